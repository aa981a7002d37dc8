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
from scheduler_app.planning.window import HORIZON_DAYS, Instance, PlanWindow, build_instance
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

OPTIMAL, FEASIBLE, INFEASIBLE = "optimal", "feasible", "infeasible"
MAX_ROUNDS = 4
PARTIAL_SHARE = 0.5
"""When the greedy pass finds a campaign with no room, the share of the time limit for the plan
around it; the rest goes to clearing the whole window."""
MAX_PINNING = 8
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
    the window cannot be cleared, ``status`` is infeasible, ``stuck`` names the campaigns left
    in their conflicts and ``moves`` (if any) clear the rest around them."""

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

    def as_json(self, applied: bool) -> dict[str, object]:
        """The shape ``plan --json`` prints, times in ISO 8601 UTC."""
        return {
            "status": self.status,
            "applied": applied,
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
        """The whole window when the greedy pass places every campaign. Otherwise first a plan
        around the campaigns it found no room for (they stay where they are, named; status
        infeasible), then, with the time left, the whole window again: adopted if found."""
        no_room = [m.campaign.id for m in instance.movables if not m.options]
        hint, stuck = greedy_partial(instance)
        if not no_room and not stuck:
            self._solve(instance, result, began, self.time_limit_s, hint)
            return
        # Pinning a campaign makes it an obstacle, which may leave others without room: pin
        # until the greedy pass places everyone else, so the solver starts from a full plan.
        pinned = list(dict.fromkeys([*no_room, *stuck]))
        for _ in range(MAX_PINNING):
            partial = build_instance(self.schedule, self.window, frozenset(pinned))
            hint, more = greedy_partial(partial)
            more = [m.campaign.id for m in partial.movables if not m.options] + more
            if not more:
                break
            pinned = list(dict.fromkeys([*pinned, *more]))
        share = self.time_limit_s * (1.0 if no_room else PARTIAL_SHARE)
        if partial.movables and not self._solve(partial, result, began, share, hint):
            return
        result.stuck = pinned
        result.status = INFEASIBLE
        why = "no bioreactor has room for them" if no_room else ""
        if not no_room and not self._cancelled.is_set():
            whole = PlanResult(INFEASIBLE, [], result.days_late_before, 0, result.conflicts)
            if self._solve(instance, whole, began, self.time_limit_s, None):
                result.moves, result.stuck, result.reason = whole.moves, [], ""
                result.status, result.gap = whole.status, whole.gap
                result.days_late_after, result.conflicts = whole.days_late_after, whole.conflicts
                return
            why = whole.reason
        names = ", ".join(pinned[:6]) + (f" and {len(pinned) - 6} more" if len(pinned) > 6 else "")
        result.reason = (
            f"{names} cannot be placed without an error conflict ({why or _too_full(instance)});"
            " the plan leaves "
            + ("it where it is" if len(pinned) == 1 else "them where they are")
            + " and clears the rest"
        )

    def _solve(
        self,
        instance: Instance,
        result: PlanResult,
        began: float,
        budget_s: float,
        hint: Assignment | None,
    ) -> bool:
        """Search, verify with the engine, forbid what it refuses; True when ``result`` holds a
        plan the engine accepts."""
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
                result.status = INFEASIBLE
                result.reason = (
                    "no plan found within the time limit (not proven impossible); try a longer "
                    "--time-limit"
                    if status == cp_model.UNKNOWN
                    else _too_full(instance)
                )
                return False
            moves = plan_moves(self.schedule, instance, plan)
            refused = _engine_errors(self.schedule, moves, movable_ids)
            if not refused:
                self._fill(result, instance, moves, status, watcher)
                return True
            kinds = sorted({c.kind for c in refused})
            result.notes.append(
                f"round {round_number}: the conflict engine found {len(refused)} "
                f"error conflict(s) the model does not cover ({', '.join(kinds)}); forbidden"
            )
            for conflict in refused:
                plan_model.forbid([(key, *plan[key]) for key in conflict.campaigns if key in plan])
            if self._cancelled.is_set():
                break
        result.status = INFEASIBLE
        result.reason = (
            "every plan found still breaks a rule the optimiser does not model ("
            + "; ".join(result.notes)
            + "); nothing is proposed — fix these by hand or with the slot finder"
        )
        return False

    def _search(
        self, plan_model: PlanModel, limit: float, began: float
    ) -> tuple[cp_model.CpSolverStatus, Assignment | None, _Watcher]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = self.workers
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
        after = self.schedule.copy()
        for _, placed in moves:
            after.put_campaign(placed)
        moved_ids = {b.id for b, _ in moves}
        scope = [after.campaigns[c.id] if c.id in moved_ids else c for c in instance.scope]
        result.moves = moves
        result.days_late_after = days_late(after, scope)
        result.conflicts = ConflictEngine(after).counts()
        result.status = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
        objective, bound = watcher.objective, watcher.bound
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


def _no_room(schedule: Schedule, instance: Instance, stuck: list[Campaign]) -> str:
    last = date.fromordinal(instance.highest)
    names = ", ".join(f"{c.id} ({c.product})" for c in stuck[:5])
    more = f" and {len(stuck) - 5} more" if len(stuck) > 5 else ""
    return (
        f"{names}{more} fit on no bioreactor where the product's scale is validated (and the "
        f"product qualified) between {instance.window.first} and {last} "
        f"({HORIZON_DAYS} days past the window); widen the window or free a bioreactor"
    )


def _too_full(instance: Instance) -> str:
    return (
        f"the {len(instance.movables)} movable campaigns cannot all fit between the campaigns "
        f"that stay put (locked, Confirmed or outside the window) and the maintenance windows "
        f"before {date.fromordinal(instance.highest)}; widen the window, include Confirmed "
        "campaigns or free a bioreactor by hand"
    )


def _iso(campaign: Campaign) -> str:
    return campaign.start.strftime("%Y-%m-%dT%H:%M:%SZ")
