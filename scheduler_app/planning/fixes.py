"""Ranked fixes for one conflict: the earliest clear start on the same bioreactor, the best other
bioreactor, and pushing the following campaigns (ripple). Each option is what would move and the
conflicts the moved campaigns would then be part of, as the engine previews them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.errors import LockedError
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.planning.ripple import ripple_moves
from scheduler_app.planning.slots import Slot, earliest_start, find_slots
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

Move = tuple[Campaign, Campaign]
MOST_OPTIONS = 3


@dataclass(frozen=True, slots=True)
class FixOption:
    """One way out: ``moves`` are ``(before, after)``; ``conflicts`` those the moved campaigns
    would take part in afterwards."""

    kind: str  # "same", "other" or "ripple"
    title: str
    moves: tuple[Move, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def errors(self) -> int:
        return sum(1 for c in self.conflicts if c.severity is Severity.ERROR)

    def rank(self) -> tuple[int, int, int, float]:
        shift = sum(abs((a.start - b.start).total_seconds()) for b, a in self.moves)
        return (self.errors, len(self.conflicts), len(self.moves), shift)


def fix_options(engine: ConflictEngine, conflict: Conflict, today: date) -> list[FixOption]:
    """Up to three options for ``conflict``, best first (fewest errors, then warnings, then
    fewest campaigns moved, then least time moved). ``today`` is the earliest start offered
    (site-local) and the options look from the campaign's own start day when that is later, so
    that a fix moves a campaign later rather than months earlier; a locked campaign is never
    moved."""
    schedule = engine.schedule
    target = _movable(schedule, conflict)
    if target is None:
        return []
    options: list[FixOption] = []
    tz_name = schedule.time_zone_of(target.bioreactor)
    since = max(today, utc_to_local_naive(target.start, tz_name).date())
    floor = start_of_local_date(since, tz_name)
    same = earliest_start(engine, target, target.bioreactor, floor)
    if same is not None and same != target.start:
        moved = dataclasses.replace(target, start=same)
        options.append(_option(engine, "same", _when(schedule, moved, "Move"), [(target, moved)]))
    others = [
        slot
        for slot in find_slots(engine, target.id, after=since)
        if slot.bioreactor != target.bioreactor
    ]
    if others:
        best = min(others, key=lambda s: (len(s.warnings), s.start))
        moved = best.placed(target)
        options.append(_option(engine, "other", _slot_title(schedule, best), [(target, moved)]))
    ripple = _ripple(engine, target)
    if ripple is not None:
        options.append(ripple)
    options.sort(key=FixOption.rank)
    return options[:MOST_OPTIONS]


def _movable(schedule: Schedule, conflict: Conflict) -> Campaign | None:
    """The campaign to move: the offending (last named) one, else the latest unlocked one."""
    for key in reversed(conflict.campaigns):
        campaign = schedule.campaigns.get(key)
        if campaign is not None and not campaign.status.locked:
            return campaign
    return None


def _ripple(engine: ConflictEngine, target: Campaign) -> FixOption | None:
    """Keep the campaigns before ``target``; move it to its earliest clear start once the
    campaigns after it are out of the way, and push those just enough."""
    schedule = engine.schedule
    followers = [
        c
        for c in schedule.campaigns.values()
        if c.bioreactor == target.bioreactor
        and c.id != target.id
        and c.start >= target.start
        and c.status is not Status.CANCELLED
    ]
    if not followers:
        return None
    alone = schedule.copy()
    for campaign in followers:
        alone.remove_campaign(campaign.id)
    start = earliest_start(ConflictEngine(alone), target, target.bioreactor, target.start)
    if start is None or start == target.start:
        return None
    try:
        moves = ripple_moves(schedule, target.id, start)
    except LockedError:
        return None
    if len(moves) < 2:
        return None
    first = moves[0][1]
    title = f"{_when(schedule, first, 'Move')} and push {len(moves) - 1} following"
    return _option(engine, "ripple", title, moves)


def _option(engine: ConflictEngine, kind: str, title: str, moves: list[Move]) -> FixOption:
    afters = [after for _, after in moves]
    ids = {c.id for c in afters}
    found = tuple(c for c in engine.preview(afters) if ids.intersection(c.campaigns))
    return FixOption(kind, title, tuple(moves), found)


def _when(schedule: Schedule, campaign: Campaign, verb: str) -> str:
    tz_name = schedule.time_zone_of(campaign.bioreactor)
    day = utc_to_local_naive(campaign.start, tz_name).date()
    return f"{verb} {campaign.id} to {day} on {campaign.bioreactor}"


def _slot_title(schedule: Schedule, slot: Slot) -> str:
    tz_name = schedule.time_zone_of(slot.bioreactor)
    day = utc_to_local_naive(slot.start, tz_name).date()
    return f"Move {slot.campaign} to {slot.bioreactor} from {day}"
