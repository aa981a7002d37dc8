"""The greedy baseline: walk the movable campaigns in time order, keep each where it is when the
conflict engine finds no error there, else put it at its earliest error-free start (the slot
finder) on any bioreactor the window allows. What a planner does with the slot finder by hand;
the optimiser starts from it (a hint every rule accepts) and is measured against it."""

from __future__ import annotations

import dataclasses
from datetime import date

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import start_of_local_date
from scheduler_app.planning.days import local_date
from scheduler_app.planning.slots import earliest_start
from scheduler_app.planning.window import Instance, Movable
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

Assignment = dict[CampaignId, tuple[BioreactorCode, int]]


def greedy_plan(schedule: Schedule, instance: Instance) -> Assignment | None:
    """A placement for every movable campaign, or None when one finds no room at all."""
    plan, stuck, _ = greedy_partial(schedule, instance)
    return None if stuck else plan


def greedy_partial(
    schedule: Schedule, instance: Instance
) -> tuple[Assignment, list[CampaignId], dict[CampaignId, str]]:
    """Like :func:`greedy_plan`, but a campaign that finds no room stays where it is (in its
    conflict, in the way of later ones) and is listed as stuck, with why. Campaigns not yet
    reached wait where they are, in the way too."""
    work = schedule.copy()
    engine = ConflictEngine(work)
    engine.check_all()
    plan: Assignment = {}
    stuck: list[CampaignId] = []
    why: dict[CampaignId, str] = {}
    for movable in sorted(instance.movables, key=lambda m: (m.origin_day, m.campaign.id)):
        choice = _keep(engine, movable)
        if choice is None:
            choice, why_not = _earliest(engine, instance, movable)
        if choice is None:
            stuck.append(movable.campaign.id)
            why[movable.campaign.id] = why_not
            continue
        plan[movable.campaign.id] = choice
        code, day = choice
        if (code, day) != (movable.origin, movable.origin_day):
            start = start_of_local_date(date.fromordinal(day), work.time_zone_of(code))
            work.put_campaign(dataclasses.replace(movable.campaign, bioreactor=code, start=start))
            engine.update([movable.origin, code])
    return plan, stuck, why


def _keep(engine: ConflictEngine, movable: Movable) -> tuple[BioreactorCode, int] | None:
    # The engine alone decides: the window's start days are whole days, and a campaign kept
    # at 19:00 between two others touching it would not fit one.
    if _errors(engine, movable.campaign):
        return None
    return movable.origin, movable.origin_day


def _earliest(
    engine: ConflictEngine, instance: Instance, movable: Movable
) -> tuple[tuple[BioreactorCode, int] | None, str]:
    """The earliest error-free start the window allows, or None and why not."""
    schedule = engine.schedule
    best: tuple[int, int, BioreactorCode] | None = None
    beyond: tuple[int, BioreactorCode] | None = None
    latest = instance.highest
    due = movable.due_end is not None and movable.origin_day < movable.due_end
    if movable.due_end is not None and due:
        latest = min(latest, movable.due_end - 1)  # as the model: never a start after the due day
    for rank, (code, allowed) in enumerate(movable.options.items()):
        tz_name = schedule.time_zone_of(code)
        after = start_of_local_date(date.fromordinal(allowed.min()), tz_name)
        start = earliest_start(engine, movable.campaign, code, after)
        if start is None:
            continue
        day = local_date(start, tz_name).toordinal()
        if day > latest or not allowed.contains(day):
            beyond = min(beyond, (day, code)) if beyond is not None else (day, code)
            continue
        key = (day, 0 if code == movable.origin else rank + 1, code)
        if best is None or key < best:
            best = key
    if best is not None:
        return (best[2], best[0]), ""
    limit = f"by its due day {movable.campaign.due}" if due else f"by {date.fromordinal(latest)}"
    found = (
        f"; the earliest is {date.fromordinal(beyond[0])} on {beyond[1]}"
        if beyond is not None
        else ""
    )
    return (
        None,
        f"no error-free start {limit} on the {len(movable.options)} bioreactors allowed{found}",
    )


def _errors(engine: ConflictEngine, campaign: Campaign) -> bool:
    return any(
        c.severity is Severity.ERROR and campaign.id in c.campaigns
        for c in engine.preview([campaign])
    )
