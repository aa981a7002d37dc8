"""Re-plan a window with CP-SAT and check the answer with the conflict engine.

The model (``model.py``) knows overlap, changeover, turnaround, maintenance, availability,
scale, shared seed bioreactors and downstream trains, and material (needs + lag). Whatever it
proposes is applied to a copy of the schedule and checked in full; an error-severity conflict
the model did not foresee (a rule it does not know, or one it approximates) is forbidden and the
solver asked again, a few rounds at most. A plan the engine still refuses is never returned.
"""

from __future__ import annotations

import dataclasses
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import end_of_local_date, local_days_between, start_of_local_date
from scheduler_app.planning.greedy import Assignment, greedy_partial
from scheduler_app.planning.model import PlanModel, build_model
from scheduler_app.planning.window import Instance, PlanWindow, build_instance, day_value
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "optimal", "feasible", "infeasible", "unknown"
"""``optimal``/``feasible``: a plan placing every movable campaign with no error conflict, proven
best or the best found by the time limit. ``infeasible``: proven that no such plan exists.
``unknown``: none found by the time limit, not proven impossible. The last two may still come
with a plan around the campaigns left where they are (``PlanResult.stuck``)."""
_FOUND, _PROVEN, _UNKNOWN = "found", "proven", "unknown"
MAX_ROUNDS = 4
WHOLE_SHARE = 0.6
"""When the greedy pass finds a campaign with no room, the share of the time limit for placing
every campaign; the rest goes to the plan around those it could not place."""
Move = tuple[Campaign, Campaign]


@dataclass(frozen=True, slots=True)
class Progress:
    """What the solver has found so far (for a progress bar)."""

    elapsed_s: float
    solutions: int
    objective: float | None
    bound: float | None


@dataclass(slots=True)
class PlanResult:
    """The outcome: ``moves`` are ``(before, after)`` pairs, empty unless a plan was found that
    the conflict engine accepts. ``conflicts`` counts the whole schedule after the moves. When
    no plan places every movable campaign, ``status`` is infeasible (proven) or unknown (not
    found in time), ``stuck`` names the campaigns left in their conflicts, ``reason`` says why,
    and ``moves`` (if any) clear the rest around them. ``first_feasible_s`` and ``gap`` are
    for plans placing every campaign only."""

    status: str
    moves: list[Move]
    days_late_before: int
    days_late_after: int
    conflicts: dict[str, int]
    reason: str = ""
    movable: int = 0
    wall_s: float = 0.0
    first_feasible_s: float | None = None
    gap: float | None = None
    cancelled: bool = False
    rounds: int = 0
    notes: list[str] = field(default_factory=list)
    stuck: list[CampaignId] = field(default_factory=list)
    bound: float | None = None
    """The solver's best bound on its objective (for the gap of a plan it did not find)."""
    scale: tuple[int, int, int] = (0, 0, 0)
    """The objective's weights of days late, campaigns moved and days moved."""

    @property
    def reported_status(self) -> str:
        """The status as ``plan`` reports it: DESIGN's three words. A search that found nothing
        in time is reported ``infeasible``; its ``reason`` says it is not proven impossible and
        that a longer time limit may find a plan."""
        return INFEASIBLE if self.status == UNKNOWN else self.status

    def as_json(self, applied: bool) -> dict[str, object]:
        """The shape ``plan --json`` prints, times in ISO 8601 UTC; ``unplaced`` names the
        campaigns the changes leave where they are (in their conflicts) and ``reason`` says why
        (both empty for optimal and feasible)."""
        return {
            "status": self.reported_status,
            "applied": applied,
            "reason": self.reason,
            "unplaced": list(self.stuck),
            "changes": [
                {
                    "campaign": before.id,
                    "from": {"bioreactor": before.bioreactor, "start": _iso(before)},
                    "to": {"bioreactor": after.bioreactor, "start": _iso(after)},
                }
                for before, after in self.moves
            ],
            "days_late": {"before": self.days_late_before, "after": self.days_late_after},
            "conflicts": self.conflicts,
        }


class Optimiser:
    """One optimisation run over a snapshot of the schedule; :meth:`cancel` may be called from
    another thread (the app's Cancel button) and stops the search within a moment."""

    def __init__(
        self,
        schedule: Schedule,
        window: PlanWindow,
        time_limit_s: float = 30.0,
        workers: int | None = None,
        progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.schedule = schedule.copy()
        self.window = window
        self.time_limit_s = time_limit_s
        self.workers = workers or max(2, min(8, os.cpu_count() or 2))
        self.progress = progress
        self._cancelled = threading.Event()
        self._solver: cp_model.CpSolver | None = None

    def cancel(self) -> None:
        self._cancelled.set()
        solver = self._solver
        if solver is not None:
            solver.stop_search()

    def run(self) -> PlanResult:
        began = time.perf_counter()
        schedule = self.schedule
        instance = build_instance(schedule, self.window)
        before_late = days_late(schedule, instance.scope)
        counts = ConflictEngine(schedule).counts()
        result = PlanResult(OPTIMAL, [], before_late, before_late, counts)
        result.movable = len(instance.movables)
        if instance.movables:
            self._plan(instance, result, began)
        result.wall_s = time.perf_counter() - began
        return result

    def _plan(self, instance: Instance, result: PlanResult, began: float) -> None:
        """The whole window first (from the greedy plan as a hint). When no plan placing every
        movable campaign is found, the status says whether that is proven (``infeasible``) or
        not (``unknown``), and the time left goes to a plan around the campaigns the greedy
        pass found no room for: they stay where they are, named (``stuck``), the rest cleared."""
        no_room = [m.campaign.id for m in instance.movables if not m.options]
        hint, stuck, why = greedy_partial(self.schedule, instance)
        outcome = _PROVEN
        if not no_room:
            share = self.time_limit_s * (WHOLE_SHARE if stuck else 1.0)
            outcome = self._solve(instance, result, began, share, hint)
            if outcome == _FOUND:
                if not stuck:
                    self._prefer_greedy(result, instance, hint)
                return
            if not stuck and self._adopt(result, instance, hint):
                # The greedy plan places every campaign. The model counts whole days, so a
                # campaign kept at 19:00 takes its whole first and last day there: a window it
                # proves impossible may still have a plan at the exact times the engine checks.
                result.status, result.gap = FEASIBLE, None
                if outcome == _PROVEN:
                    result.notes.append(
                        "the solver's whole-day model has no plan; the greedy plan, at the "
                        "exact times, has one the conflict engine accepts"
                    )
                return
        result.status = INFEASIBLE if outcome == _PROVEN else UNKNOWN
        # The greedy pass left the stuck campaigns where they were, in the way of the others:
        # its plan is one around them, and a hint for the solver's.
        pinned = list(dict.fromkeys([*no_room, *stuck]))
        partial = build_instance(self.schedule, self.window, frozenset(pinned))
        hint = {
            m.campaign.id: hint[m.campaign.id] for m in partial.movables if m.campaign.id in hint
        }
        more = [m.campaign.id for m in partial.movables if m.campaign.id not in hint]
        status, first = result.status, result.first_feasible_s
        if partial.movables and not self._cancelled.is_set():
            found = self._solve(partial, result, began, self.time_limit_s, hint) == _FOUND
            if not found and not more:
                self._adopt(result, partial, hint)
        # The figures are the whole window's: a plan around stuck campaigns is not one.
        result.status, result.first_feasible_s, result.gap = status, first, None
        result.stuck = pinned
        result.reason = _not_placed(instance, pinned, why, no_room, outcome, self.time_limit_s)

    def _adopt(self, result: PlanResult, instance: Instance, plan: Assignment) -> bool:
        """The greedy plan, when the solver found nothing better in time (every campaign it
        moves was placed where the engine found no error); False if the engine refuses it."""
        return self._accept(result, instance, plan_moves(self.schedule, instance, plan))

    def _accept(self, result: PlanResult, instance: Instance, moves: list[Move]) -> bool:
        """Take ``moves`` as the plan unless the engine finds an error on a movable campaign."""
        movable_ids = {m.campaign.id for m in instance.movables}
        if _engine_errors(self.schedule, moves, movable_ids):
            return False
        self._take(result, instance, moves)
        return True

    def _prefer_greedy(self, result: PlanResult, instance: Instance, plan: Assignment) -> None:
        """The greedy plan instead of the solver's, when it scores better (days late, then
        campaigns moved, then days moved) and the engine accepts it: the whole-day model may
        move a campaign the greedy pass keeps at its exact time, or run out of time first."""
        moves = plan_moves(self.schedule, instance, plan)
        ours = (result.days_late_after, len(result.moves), self._days_moved(result.moves))
        _, late = apply_moves(self.schedule, instance, moves)
        theirs = (late, len(moves), self._days_moved(moves))
        if theirs >= ours or not self._accept(result, instance, moves):
            return
        result.status, result.gap = FEASIBLE, None
        objective = sum(w * v for w, v in zip(result.scale, theirs, strict=True))
        if result.bound is not None and any(result.scale) and objective >= result.bound:
            # The gap of this plan to what the solver proved no plan (in whole days) can beat;
            # none where this plan beats that bound, which then says nothing about it.
            result.gap = 0.0 if objective == 0 else (objective - result.bound) / objective
        result.notes.append(
            f"the greedy plan ({theirs[1]} moved, {theirs[0]} days late) beats the solver's "
            f"best ({ours[1]} moved, {ours[0]} days late) and is the one offered"
        )

    def _days_moved(self, moves: list[Move]) -> int:
        """Site-local start days moved, as the model counts them (from a start at 19:00 to
        midnight the same day: none; each start on its own bioreactor's wall clock)."""
        total = 0
        for before, after in moves:
            was = day_value(before.start, self.schedule.time_zone_of(before.bioreactor))
            now = day_value(after.start, self.schedule.time_zone_of(after.bioreactor))
            total += abs(math.floor(now) - math.floor(was))
        return total

    def _take(self, result: PlanResult, instance: Instance, moves: list[Move]) -> None:
        """Records ``moves`` as the plan: the days late of the window's campaigns and the
        whole schedule's conflicts after them."""
        after, result.days_late_after = apply_moves(self.schedule, instance, moves)
        result.moves = moves
        result.conflicts = ConflictEngine(after).counts()

    def _solve(
        self,
        instance: Instance,
        result: PlanResult,
        began: float,
        budget_s: float,
        hint: Assignment | None,
    ) -> str:
        """Search, verify with the engine, forbid what it refuses. ``_FOUND`` when ``result``
        holds a plan the engine accepts (its status optimal or feasible); ``_PROVEN`` when the
        solver proved there is none; ``_UNKNOWN`` otherwise (time limit, cancel, or every plan
        found refused by the engine)."""
        plan_model = build_model(instance, hint, self.schedule)
        movable_ids = {m.campaign.id for m in instance.movables}
        for round_number in range(1, MAX_ROUNDS + 1):
            result.rounds += 1
            left = budget_s - (time.perf_counter() - began)
            status, plan, watcher = self._search(plan_model, max(left, 0.5), began)
            if result.first_feasible_s is None:
                result.first_feasible_s = watcher.first_s
            result.cancelled = self._cancelled.is_set()
            if plan is None:
                return _PROVEN if status == cp_model.INFEASIBLE else _UNKNOWN
            moves = plan_moves(self.schedule, instance, plan)
            refused = _engine_errors(self.schedule, moves, movable_ids)
            if not refused:
                self._fill(result, instance, moves, status, watcher)
                result.scale = plan_model.weights
                return _FOUND
            kinds = sorted({c.kind for c in refused})
            result.notes.append(
                f"round {round_number}: the conflict engine found {len(refused)} "
                f"error conflict(s) the model does not cover ({', '.join(kinds)}); forbidden"
            )
            for conflict in refused:
                plan_model.forbid([(key, *plan[key]) for key in conflict.campaigns if key in plan])
            if self._cancelled.is_set():
                break
        return _UNKNOWN

    def _search(
        self, plan_model: PlanModel, limit: float, began: float
    ) -> tuple[cp_model.CpSolverStatus, Assignment | None, _Watcher]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = self.workers
        # Probing in presolve can take the whole time limit on a circuit model with thousands
        # of arcs before any search starts; the search finds the first plan from the hint.
        solver.parameters.cp_model_probing_level = 0
        watcher = _Watcher(self, began)
        self._solver = solver
        try:
            if self._cancelled.is_set():
                return cp_model.UNKNOWN, None, watcher
            status = solver.solve(plan_model.model, watcher)
        finally:
            self._solver = None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, watcher
        watcher.status = status
        watcher.objective = solver.objective_value
        watcher.bound = solver.best_objective_bound
        return status, plan_model.read(solver), watcher

    def _fill(
        self,
        result: PlanResult,
        instance: Instance,
        moves: list[Move],
        status: cp_model.CpSolverStatus,
        watcher: _Watcher,
    ) -> None:
        self._take(result, instance, moves)
        result.status = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
        objective, bound = watcher.objective, watcher.bound
        result.bound = bound
        if objective is not None and bound is not None:
            result.gap = 0.0 if objective == 0 else abs(objective - bound) / abs(objective)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records when the first plan came, reports progress and honours a cancel."""

    def __init__(self, owner: Optimiser, began: float) -> None:
        super().__init__()
        self.owner = owner
        self.began = began
        self.first_s: float | None = None
        self.solutions = 0
        self.status: cp_model.CpSolverStatus | None = None
        self.objective: float | None = None
        self.bound: float | None = None

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self.began
        self.solutions += 1
        if self.first_s is None:
            self.first_s = elapsed
        if self.owner.progress is not None:
            self.owner.progress(
                Progress(elapsed, self.solutions, self.objective_value, self.best_objective_bound)
            )
        if self.owner._cancelled.is_set():
            self.stop_search()


def plan_moves(schedule: Schedule, instance: Instance, plan: Assignment) -> list[Move]:
    """``(before, after)`` for each campaign the plan places somewhere else; a campaign kept on
    its bioreactor and day keeps its exact start."""
    moves: list[Move] = []
    for movable in instance.movables:
        code, day = plan[movable.campaign.id]
        if code == movable.origin and day == movable.origin_day:
            continue
        tz_name = schedule.time_zone_of(code)
        start = start_of_local_date(date.fromordinal(day), tz_name)
        before = movable.campaign
        moves.append((before, dataclasses.replace(before, bioreactor=code, start=start)))
    moves.sort(key=lambda pair: (pair[1].start, pair[1].id))
    return moves


def apply_moves(schedule: Schedule, instance: Instance, moves: list[Move]) -> tuple[Schedule, int]:
    """A copy of ``schedule`` with ``moves`` made, and the days late of the window's campaigns
    in it."""
    after = schedule.copy()
    for _, placed in moves:
        after.put_campaign(placed)
    moved_ids = {b.id for b, _ in moves}
    scope = [after.campaigns[c.id] if c.id in moved_ids else c for c in instance.scope]
    return after, days_late(after, scope)


def days_late(schedule: Schedule, campaigns: list[Campaign]) -> int:
    """Whole site-local days the campaigns end after their due dates, summed."""
    total = 0
    for campaign in campaigns:
        if campaign.due is None:
            continue
        tz_name = schedule.time_zone_of(campaign.bioreactor)
        over = local_days_between(
            end_of_local_date(campaign.due, tz_name), campaign.end_in(tz_name), tz_name
        )
        if over > 0:
            total += math.ceil(over - 1e-9)
    return total


def _engine_errors(
    schedule: Schedule, moves: list[Move], movable: set[CampaignId]
) -> list[Conflict]:
    after = schedule.copy()
    for _, placed in moves:
        after.put_campaign(placed)
    return [
        c
        for c in ConflictEngine(after).check_all()
        if c.severity is Severity.ERROR and movable.intersection(c.campaigns)
    ]


def _not_placed(
    instance: Instance,
    pinned: list[CampaignId],
    why: dict[CampaignId, str],
    no_room: list[CampaignId],
    outcome: str,
    limit_s: float,
) -> str:
    """Why not every movable campaign could be placed, and which ones were left where they are."""
    count = len(instance.movables)
    horizon = date.fromordinal(instance.highest)
    if no_room:
        head = (
            f"every start day from {instance.window.first} to {horizon} on every bioreactor "
            "where the product's scale is validated (and the product qualified) overlaps a "
            "campaign that stays put, maintenance or a date before the bioreactor is available"
        )
    elif outcome == _PROVEN:
        head = (
            f"no plan places all {count} movable campaigns without an error conflict (proven by "
            "the solver: the campaigns that stay put, the maintenance windows and the due days, "
            "never a start after its due day, leave too little room)"
        )
    else:
        head = (
            f"no plan placing all {count} movable campaigns was found in {limit_s:g} s (not "
            "proven impossible; a longer time limit may find one)"
        )
    shown = [f"{key} ({why[key]})" if why.get(key) else str(key) for key in pinned[:5]]
    more = f" and {len(pinned) - 5} more" if len(pinned) > 5 else ""
    left = "it where it is" if len(pinned) == 1 else "them where they are"
    return (
        f"{head}; could not be placed: {', '.join(shown)}{more}; the plan leaves {left}, in "
        "their conflicts, and clears the rest"
    )


def _iso(campaign: Campaign) -> str:
    return campaign.start.strftime("%Y-%m-%dT%H:%M:%SZ")
