"""Shared seed bioreactors and downstream trains in the CP-SAT model: for each set of units that
serves some production bioreactors, a cumulative constraint over every batch's seed occupancy
(``[batch start − seed days, batch start)``) or harvest (``[batch end, batch end + harvest
days)``) on those bioreactors, with capacity the number of units; a unit down for maintenance or
not yet available takes one unit for that time. Campaigns that stay put count as fixed demand
(their days rounded outwards). Pools are formed as the engine forms them (``rules/pools.py``): a
set of units with every production bioreactor whose own set lies inside it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import add_local_days, start_of_local_date, zone
from scheduler_app.planning.window import Instance, Movable, day_value
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule

Span = tuple[int, int]  # day offset from the campaign's start, length in days
REACH_DAYS = 120


def seed_spans(campaign: Campaign, product: Product) -> list[Span]:
    step = campaign.batch_days + campaign.turnaround_days
    days = product.seed_days
    return [(k * step - days, days) for k in range(campaign.batches)] if days > 0 else []


def harvest_spans(campaign: Campaign, product: Product) -> list[Span]:
    step = campaign.batch_days + campaign.turnaround_days
    days = product.harvest_days
    offset = campaign.batch_days
    return [(k * step + offset, days) for k in range(campaign.batches)] if days > 0 else []


ROLES: tuple[tuple[EquipmentRole, Callable[[Campaign, Product], list[Span]]], ...] = (
    (EquipmentRole.SEED, seed_spans),
    (EquipmentRole.DOWNSTREAM, harvest_spans),
)


def add_pools(
    model: cp_model.CpModel,
    schedule: Schedule,
    instance: Instance,
    starts: dict[CampaignId, cp_model.IntVar],
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]],
) -> None:
    """One cumulative constraint per pool, as the engine forms them: a set of units serving some
    production bioreactor, with every production bioreactor whose own set lies inside it, when a
    movable campaign may go to one of those."""
    moving = {m.campaign.id for m in instance.movables}
    reachable = {code for m in instance.movables for code in m.options}
    producing = [r.code for r in schedule.production_bioreactors()]
    for role, spans_of in ROLES:
        units_of = {
            code: tuple(str(u.code) for u in schedule.serving(role, code)) for code in producing
        }
        for units in sorted({u for u in units_of.values() if u}):
            inside = set(units)
            reactors = [c for c in producing if units_of[c] and inside.issuperset(units_of[c])]
            if reachable.isdisjoint(reactors):
                continue
            intervals: list[cp_model.IntervalVar] = []
            for movable in instance.movables:
                key = movable.campaign.id
                product = schedule.products[movable.campaign.product]
                for code in reactors:
                    literal = present.get(key, {}).get(code)
                    if literal is None:
                        continue
                    for offset, days in spans_of(movable.campaign, product):
                        intervals.append(
                            model.new_optional_fixed_size_interval_var(
                                starts[key] + offset, days, literal, f"{role.value}_{key}_{code}"
                            )
                        )
            if not intervals:
                continue
            demands = [1] * len(intervals)
            spans = _fixed(schedule, instance, reactors, moving, spans_of)
            spans += _downtime(schedule, instance, units)
            for first, last, load in _capped_profile(spans, len(units)):
                intervals.append(model.new_fixed_size_interval_var(first, last - first, "taken"))
                demands.append(load)
            model.add_cumulative(intervals, demands, len(units))


def _capped_profile(spans: list[tuple[int, int]], capacity: int) -> list[tuple[int, int, int]]:
    """What stays put (campaigns, downtime) as ``(first, last, units taken)`` steps, each capped
    at the pool's size: where the fixed demand alone already over-books the pool (a conflict no
    movable campaign caused) nothing movable may join, but the model stays feasible."""
    edges: dict[int, int] = {}
    for first, last in spans:
        if last > first:
            edges[first] = edges.get(first, 0) + 1
            edges[last] = edges.get(last, 0) - 1
    steps = []
    load = 0
    points = sorted(edges)
    for here, there in zip(points, points[1:], strict=False):
        load += edges[here]
        if load > 0:
            steps.append((here, there, min(load, capacity)))
    return steps


def _fixed(
    schedule: Schedule,
    instance: Instance,
    reactors: list[BioreactorCode],
    moving: set[CampaignId],
    spans_of: Callable[[Campaign, Product], list[Span]],
) -> list[tuple[int, int]]:
    """The demand of the campaigns that stay put on these bioreactors, near the horizon."""
    low, high = instance.lowest - REACH_DAYS, instance.highest + REACH_DAYS
    found = []
    wanted = set(reactors)
    for campaign in schedule.campaigns.values():
        if campaign.id in moving or campaign.status is Status.CANCELLED:
            continue
        if campaign.bioreactor not in wanted or campaign.product not in schedule.products:
            continue
        start = day_value(campaign.start, schedule.time_zone_of(campaign.bioreactor))
        if start > high or start + campaign.duration_days + REACH_DAYS < low:
            continue
        for offset, days in spans_of(campaign, schedule.products[campaign.product]):
            first = math.floor(start + offset)
            last = math.ceil(start + offset + days)
            found.append((first, last))
    return found


def _downtime(
    schedule: Schedule, instance: Instance, units: tuple[str, ...]
) -> list[tuple[int, int]]:
    """A unit in maintenance or not yet available takes itself out of the pool."""
    low, high = instance.lowest - REACH_DAYS, instance.highest + REACH_DAYS
    found = []
    for code in units:
        tz_name = schedule.time_zone_of(code)
        unit = schedule.bioreactor(code)
        site = schedule.site_of(code)
        opens = [d.toordinal() for d in (unit.available_from, site.available_from) if d]
        if opens and max(opens) > low:
            found.append((low, max(opens)))
        for window in schedule.maintenance_for(code):
            first = math.floor(day_value(window.start, tz_name))
            last = math.ceil(day_value(window.end, tz_name))
            if last > low and first < high and last > first:
                found.append((first, last))
    return found


def add_needs(
    model: cp_model.CpModel,
    schedule: Schedule,
    instance: Instance,
    starts: dict[CampaignId, cp_model.IntVar],
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]],
) -> None:
    """Material: a campaign starts no earlier than the campaign it needs ends plus its lag days,
    counted on the needed campaign's site calendar. Starts are local midnights of the site each
    lands on, so across sites the day numbers are compared through the instants they stand for:
    on a site whose clock is ahead, the same instant has the later day number."""
    movable = {m.campaign.id: m for m in instance.movables if m.campaign.id in starts}
    zones = _Zones(model, schedule, present)
    for campaign in schedule.campaigns.values():
        if campaign.needs is None or campaign.status is Status.CANCELLED:
            continue
        needed = schedule.campaigns.get(campaign.needs)
        if needed is None or needed.status is Status.CANCELLED:
            continue  # an error no placement clears; the engine reports it
        later, earlier = movable.get(campaign.id), movable.get(needed.id)
        lag = campaign.lag_days
        if later is not None and earlier is not None:
            for later_zone, on_later in zones.of(later):
                for earlier_zone, on_earlier in zones.of(earlier):
                    ahead = _ahead(later_zone, earlier_zone, instance)
                    model.add(
                        starts[campaign.id] >= starts[needed.id] + earlier.length + lag + ahead
                    ).only_enforce_if([on_later, on_earlier])
        elif later is not None:
            ready = add_local_days(
                schedule.campaign_end(needed), lag, schedule.time_zone_of(needed.bioreactor)
            )
            for zone_name, on in zones.of(later):
                day = _first_midnight_day(ready, zone_name)
                model.add(starts[campaign.id] >= day).only_enforce_if(on)
        elif earlier is not None:
            for zone_name, on in zones.of(earlier):
                # Its end plus the lag (midnights of its own site) at or before the start.
                last = campaign.start.astimezone(zone(zone_name)).date().toordinal()
                model.add(starts[needed.id] + earlier.length + lag <= last).only_enforce_if(on)


class _Zones:
    """For a movable campaign, each time zone it may land in, with the literal saying it does."""

    def __init__(
        self,
        model: cp_model.CpModel,
        schedule: Schedule,
        present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]],
    ) -> None:
        self.model, self.schedule, self.present = model, schedule, present
        self._found: dict[CampaignId, list[tuple[str, cp_model.LiteralT]]] = {}

    def of(self, movable: Movable) -> list[tuple[str, cp_model.LiteralT]]:
        key = movable.campaign.id
        found = self._found.get(key)
        if found is None:
            by_zone: dict[str, list[cp_model.IntVar]] = {}
            for code, literal in self.present[key].items():
                by_zone.setdefault(self.schedule.time_zone_of(code), []).append(literal)
            if len(by_zone) == 1:
                found = [(next(iter(by_zone)), True)]
            else:
                found = []
                for name, literals in sorted(by_zone.items()):
                    on = self.model.new_bool_var(f"zone_{key}_{name}")
                    self.model.add(sum(literals) == on)
                    found.append((name, on))
            self._found[key] = found
        return found


def _ahead(later_zone: str, earlier_zone: str, instance: Instance) -> int:
    """1 when a midnight of ``later_zone`` comes before the same-numbered midnight of
    ``earlier_zone`` (its clock is ahead) anywhere in the horizon, else 0."""
    if later_zone == earlier_zone:
        return 0
    ahead = 0
    for day in (instance.lowest, instance.highest):
        moment = start_of_local_date(date.fromordinal(day), "UTC")
        if zone_offset(moment, later_zone) > zone_offset(moment, earlier_zone):
            ahead = 1
    return ahead


def _first_midnight_day(instant: datetime, zone_name: str) -> int:
    """The first local day of ``zone_name`` whose midnight is at or after ``instant``."""
    day = instant.astimezone(zone(zone_name)).date()
    if start_of_local_date(day, zone_name) < instant:
        day += timedelta(days=1)
    return day.toordinal()


def zone_offset(moment: datetime, zone_name: str) -> timedelta:
    offset = moment.astimezone(zone(zone_name)).utcoffset()
    return offset if offset is not None else timedelta(0)
