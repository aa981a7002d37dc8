"""A slow, obviously-right reading of the process rules (DESIGN "Process rules") on site-local
days, for checking demo data before and independently of the conflict engine: over-booked seed
and downstream intervals, campaigns longer than their product allows, and material links
started before release."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule


def _live(schedule: Schedule) -> list[Campaign]:
    return [c for c in schedule.campaigns.values() if c.status is not Status.CANCELLED]


def _local(schedule: Schedule, campaign: Campaign) -> date:
    return utc_to_local_naive(campaign.start, schedule.time_zone_of(campaign.bioreactor)).date()


def windows(schedule: Schedule, campaign: Campaign, role: EquipmentRole) -> list[tuple[date, date]]:
    product = schedule.product(campaign.product)
    start = _local(schedule, campaign)
    out = []
    for index in range(campaign.batches):
        begin = start + timedelta(days=index * (campaign.batch_days + campaign.turnaround_days))
        end = begin + timedelta(days=campaign.batch_days)
        if role is EquipmentRole.SEED and product.seed_days:
            out.append((begin - timedelta(days=product.seed_days), begin))
        if role is EquipmentRole.DOWNSTREAM and product.harvest_days:
            out.append((end, end + timedelta(days=product.harvest_days)))
    return out


def overbooked(schedule: Schedule, role: EquipmentRole) -> list[tuple[frozenset[str], date, date]]:
    """Maximal runs of days on which more windows need a pool than it has units."""
    pools: dict[frozenset[str], list[tuple[date, date]]] = {}
    for campaign in _live(schedule):
        units = frozenset(u.code for u in schedule.serving(role, campaign.bioreactor))
        if units:
            pools.setdefault(units, []).extend(windows(schedule, campaign, role))
    found = []
    for units, wanted in pools.items():
        load: dict[date, int] = {}
        for begin, end in wanted:
            day = begin
            while day < end:
                load[day] = load.get(day, 0) + 1
                day += timedelta(days=1)
        run: list[date] = []
        for day in sorted(d for d, n in load.items() if n > len(units)):
            if run and day != run[-1] + timedelta(days=1):
                found.append((units, run[0], run[-1] + timedelta(days=1)))
                run = []
            run.append(day)
        if run:
            found.append((units, run[0], run[-1] + timedelta(days=1)))
    return found


def too_long(schedule: Schedule) -> list[str]:
    return sorted(
        c.id
        for c in _live(schedule)
        if schedule.product(c.product).max_batches
        and c.batches > schedule.product(c.product).max_batches
    )


def material(schedule: Schedule) -> list[str]:
    out = []
    for campaign in _live(schedule):
        if campaign.needs is None:
            continue
        needed = schedule.campaigns.get(campaign.needs)
        if needed is None or needed.status is Status.CANCELLED:
            out.append(campaign.id)
            continue
        tz_name = schedule.time_zone_of(campaign.bioreactor)
        released = utc_to_local_naive(schedule.campaign_end(needed), tz_name).date() + timedelta(
            days=campaign.lag_days
        )
        if _local(schedule, campaign) < released:
            out.append(campaign.id)
    return sorted(out)


def qualified_too_early(schedule: Schedule) -> list[str]:
    out = []
    for campaign in _live(schedule):
        site = schedule.site_of(campaign.bioreactor).code
        day = schedule.product(campaign.product).qualified_date(site)
        if day is not None and _local(schedule, campaign) < day:
            out.append(campaign.id)
    return sorted(out)
