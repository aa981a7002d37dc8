"""Shared seed bioreactors and downstream trains in the CP-SAT model: for each set of units that
serves some production bioreactors, a cumulative constraint over every batch's seed occupancy
(``[batch start − seed days, batch start)``) or harvest (``[batch end, batch end + harvest
days)``) on those bioreactors, with capacity the number of units; a unit down for maintenance or
not yet available takes one unit for that time. Campaigns that stay put count as fixed demand
(their days rounded outwards). Production bioreactors served by overlapping but different unit
sets are modelled per set; the conflict engine checks the plan in any case."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.planning.window import Instance, day_value
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
    """One cumulative constraint per set of serving units that a movable campaign could use."""
    moving = {m.campaign.id for m in instance.movables}
    reachable = {code for m in instance.movables for code in m.options}
    for role, spans_of in ROLES:
        groups: dict[tuple[str, ...], list[BioreactorCode]] = {}
        for code in sorted(reachable):
            units: tuple[str, ...] = tuple(str(u.code) for u in schedule.serving(role, code))
            if units:
                groups.setdefault(units, []).append(code)
        for units, reactors in groups.items():
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
) -> None:
    """Material: a campaign starts no earlier than the campaign it needs ends plus its lag days
    (site-local days; a campaign that stays put counts with its end rounded up)."""
    movable = {m.campaign.id: m for m in instance.movables if m.campaign.id in starts}
    for campaign in schedule.campaigns.values():
        if campaign.needs is None or campaign.status is Status.CANCELLED:
            continue
        needed = schedule.campaigns.get(campaign.needs)
        if needed is None or needed.status is Status.CANCELLED:
            continue  # an error no placement clears; the engine reports it
        later, earlier = movable.get(campaign.id), movable.get(needed.id)
        lag = campaign.lag_days
        if later is not None and earlier is not None:
            earlier_days = earlier.campaign.duration_days
            # Days of different sites' calendars are hours apart: a day's margin then.
            zones = {schedule.time_zone_of(code) for m in (later, earlier) for code in m.options}
            margin = 1 if len(zones) > 1 else 0
            model.add(starts[campaign.id] >= starts[needed.id] + earlier_days + lag + margin)
        elif later is not None:
            tz_name = schedule.time_zone_of(needed.bioreactor)
            margin = _margin(schedule, later.options, tz_name)
            ready = math.ceil(day_value(schedule.campaign_end(needed), tz_name)) + lag
            model.add(starts[campaign.id] >= ready + margin)
        elif earlier is not None:
            tz_name = schedule.time_zone_of(campaign.bioreactor)
            margin = _margin(schedule, earlier.options, tz_name)
            latest = math.floor(day_value(campaign.start, tz_name)) - lag
            model.add(starts[needed.id] + earlier.campaign.duration_days <= latest - margin)


def _margin(schedule: Schedule, options: Iterable[str], tz_name: str) -> int:
    """A day's margin when a campaign may be placed on another site's calendar."""
    return int(any(schedule.time_zone_of(code) != tz_name for code in options))
