"""Planning assistance: the slot finder at scale, the optimiser on the demo's next 12 months and on
a synthetic 3-month window, and the optimiser's plan against the greedy earliest-slot baseline.

Run alone with ``python benchmarks/bench_planning.py [--long]`` or through ``benchmarks/run.py``.
The optimiser's 30-second run (status and gap at 30 s) is opt-in: ``--long`` here, or
``SCHEDULER_BENCH_PLAN_LONG=1`` through ``run.py``, so that the default run stays short.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BenchContext, Result
from scheduler_app.demo import demo_schedule
from scheduler_app.planning.greedy import greedy_plan
from scheduler_app.planning.optimiser import Optimiser, PlanResult, apply_moves, plan_moves
from scheduler_app.planning.slots import candidate_bioreactors, earliest_start, find_slots
from scheduler_app.planning.window import PlanWindow, build_instance
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

LONG_ENV = "SCHEDULER_BENCH_PLAN_LONG"
DEMO_FROM = date(2026, 12, 2)
SYNTHETIC_FROM = date(2027, 4, 1)
SHORT_LIMIT_S = 10.0
LONG_LIMIT_S = 30.0


def run(ctx: BenchContext, long: bool | None = None) -> list[Result]:
    if long is None:
        long = os.environ.get(LONG_ENV, "") not in ("", "0")
    return [
        *_slot_finder(ctx),
        *_demo_year(),
        *_synthetic_quarter(ctx, LONG_LIMIT_S if long else SHORT_LIMIT_S),
    ]


SLOT_QUERIES = 200


def _slot_finder(ctx: BenchContext) -> list[Result]:
    """Each query timed on the wall clock and in the thread's CPU time: on a shared machine a
    query's wall time can include a wait for a core, its CPU time cannot."""
    schedule = ctx.schedule.copy()
    engine = ConflictEngine(schedule)
    engine.check_all()
    rng = random.Random(ctx.seed)
    picked = [
        schedule.campaigns[key] for key in rng.sample(sorted(schedule.campaigns), SLOT_QUERIES)
    ]
    wall: list[float] = []
    cpu: list[float] = []
    for campaign in picked:
        reactor = rng.choice(candidate_bioreactors(schedule, campaign)).code
        began, began_cpu = time.perf_counter(), time.thread_time()
        earliest_start(engine, campaign, reactor, campaign.start)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        wall.append((time.perf_counter() - began) * 1000)
    every: list[float] = []
    for campaign in picked[:10]:
        day = campaign.start.date()
        began = time.perf_counter()
        find_slots(engine, campaign.id, after=day)
        every.append((time.perf_counter() - began) * 1000)
    size = f"{len(schedule.campaigns):,} campaigns"
    load = _load()
    return [
        Result(
            f"slot finder, one campaign on one bioreactor ({size}, median of {len(wall)})",
            statistics.median(wall),
            "ms",
            target=5.0,
            note=f"CPU median {statistics.median(cpu):.2f} ms; warm engine; {load}",
            key="slot_query_ms",
        ),
        Result(
            f"slot finder, worst of the same {len(wall)} queries, wall clock",
            max(wall),
            "ms",
            target=5.0,
            note=f"99th percentile {_percentile(wall, 99):.2f} ms; {load}",
            key="slot_query_worst_ms",
        ),
        Result(
            f"slot finder, worst of the same {len(cpu)} queries, thread CPU time",
            max(cpu),
            "ms",
            target=5.0,
            note="what the query itself costs, without waiting for a core",
            key="slot_query_worst_cpu_ms",
        ),
        Result(
            f"slot finder, every candidate bioreactor with warnings ({size}, median of 10)",
            statistics.median(every),
            "ms",
            note="about 30 candidates per query",
            key="slot_all_candidates_ms",
        ),
    ]


def _percentile(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100)[percent - 1]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f}"


def _demo_year() -> list[Result]:
    schedule = demo_schedule()
    window = PlanWindow(DEMO_FROM, DEMO_FROM + timedelta(days=364))
    result = Optimiser(schedule, window, time_limit_s=SHORT_LIMIT_S).run()
    greedy_late, greedy_moves, greedy_clear = _greedy(schedule, window)
    label = f"demo {window.first}..{window.last}, {result.movable} movable"
    return [
        Result(
            f"optimiser first plan ({label})",
            _or_nan(result.first_feasible_s),
            "s",
            target=5.0,
            key="plan_demo_first_feasible_s",
        ),
        Result(
            f"optimiser whole run ({label})",
            result.wall_s,
            "s",
            note=f"status {result.status}",
            key="plan_demo_wall_s",
        ),
        Result(
            "demo: days late after the optimiser",
            result.days_late_after,
            "days",
            note=f"before {result.days_late_before}; greedy baseline {greedy_late}",
            key="plan_demo_days_late",
        ),
        Result(
            "demo: campaigns moved by the optimiser",
            len(result.moves),
            "campaigns",
            note=f"greedy baseline {greedy_moves}"
            + ("" if greedy_clear else " (greedy plan leaves error conflicts)"),
            key="plan_demo_moves",
        ),
        Result(
            "demo: days late of the greedy earliest-slot baseline",
            greedy_late,
            "days",
            key="plan_demo_greedy_days_late",
        ),
        Result(
            "demo: campaigns moved by the greedy baseline",
            greedy_moves,
            "campaigns",
            key="plan_demo_greedy_moves",
        ),
    ]


def _synthetic_quarter(ctx: BenchContext, limit: float) -> list[Result]:
    schedule = ctx.schedule
    window = PlanWindow(SYNTHETIC_FROM, SYNTHETIC_FROM + timedelta(days=90))
    began = time.perf_counter()
    instance = build_instance(schedule, window)
    built_s = time.perf_counter() - began
    result = Optimiser(schedule, window, time_limit_s=limit).run()
    greedy_late, greedy_moves, _ = _greedy(schedule, window)
    label = f"{len(schedule.campaigns):,} campaigns, {window.first}..{window.last}"
    note = _status_note(result)
    return [
        Result(
            f"optimiser first plan ({label}, {len(instance.movables)} movable)",
            _or_nan(result.first_feasible_s),
            "s",
            target=5.0,
            note=note,
            key="plan_synthetic_first_feasible_s",
        ),
        Result(
            f"optimiser run with a {limit:g} s limit ({label})",
            result.wall_s,
            "s",
            note=f"{note}; model input built in {built_s:.2f} s",
            key="plan_synthetic_wall_s",
        ),
        Result(
            f"optimiser gap at {limit:g} s ({label})",
            _or_nan(result.gap),
            "ratio",
            note=f"days late {result.days_late_before} -> {result.days_late_after}, "
            f"{len(result.moves)} moved; greedy baseline: days late {greedy_late}, "
            f"{greedy_moves} moved",
            key="plan_synthetic_gap",
        ),
    ]


def _greedy(schedule: Schedule, window: PlanWindow) -> tuple[float, float, bool]:
    """Days late and campaigns moved by the greedy plan (nan when it finds no room)."""
    instance = build_instance(schedule, window)
    plan = greedy_plan(schedule, instance)
    if plan is None:
        return float("nan"), float("nan"), False
    moves = plan_moves(schedule, instance, plan)
    after, late = apply_moves(schedule, instance, moves)
    movable = {m.campaign.id for m in instance.movables}
    clear = not [
        c
        for c in ConflictEngine(after).check_all()
        if c.severity.value == "error" and movable.intersection(c.campaigns)
    ]
    return late, len(moves), clear


def _status_note(result: PlanResult) -> str:
    text = result.status
    if result.reason:
        text += f" ({result.reason[:80]})"
    return text


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else value


if __name__ == "__main__":
    for row in run(BenchContext(), long="--long" in sys.argv):
        print(f"{row.name}: {row.value:.4g} {row.unit}  {row.note}")
