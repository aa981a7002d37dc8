"""The conflict check as a fresh process meets it, against floors measured in the same run.

- ``first_check_vs_cold_check``: in a fresh process that has just loaded the schedule from SQLite
  (what ``main.py check`` does), the first full check against a later cold one (a fresh engine on
  a fresh copy of the schedule): whatever the first check pays once per process (zone tables,
  imports on first use) shows here.
- ``cold_check_vs_numpy_floor``: the cold check against a minimal numpy overlap-and-gap check
  written here, on the same campaigns, extraction from the campaign objects included. The floor
  counts days in UTC and knows two rules; the engine counts site-local days and knows every rule,
  so a ratio near 1 would be suspicious and one far above 2 says the engine wastes time.

Runnable alone: ``python benchmarks/bench_check.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.common import BenchContext, Result, prepare_database  # noqa: E402
from scheduler_app.campaigns import Status  # noqa: E402
from scheduler_app.schedule import Schedule  # noqa: E402

DAY = 86_400.0
REPEAT = 9


def numpy_floor(schedule: Schedule) -> int:
    """Overlaps and short gaps between consecutive campaigns on each bioreactor, counting days in
    UTC: the least work any check of these two rules has to do, extraction included."""
    campaigns = [c for c in schedule.campaigns.values() if c.status is not Status.CANCELLED]
    count = len(campaigns)
    reactor_index = {code: i for i, code in enumerate(schedule.bioreactors)}
    product_index = {code: i for i, code in enumerate(schedule.products)}
    changeover = np.array([p.changeover_days for p in schedule.products.values()], np.float64)
    turnaround = np.array([p.turnaround_days for p in schedule.products.values()], np.float64)
    reactor = np.fromiter((reactor_index[c.bioreactor] for c in campaigns), np.int64, count)
    product = np.fromiter((product_index[c.product] for c in campaigns), np.int64, count)
    start = np.fromiter((c.start.timestamp() for c in campaigns), np.float64, count)
    days = np.fromiter((c.duration_days for c in campaigns), np.float64, count)
    end = start + days * DAY
    order = np.lexsort((start, reactor))
    reactor, product, start, end = reactor[order], product[order], start[order], end[order]
    same = reactor[1:] == reactor[:-1]
    gap = start[1:] - end[:-1]
    before, after = product[:-1], product[1:]
    needed = np.where(
        before == after, turnaround[after], np.maximum(changeover[before], changeover[after])
    )
    overlaps = same & (gap < 0)
    short = same & ~overlaps & (gap < needed * DAY)
    return int(overlaps.sum() + short.sum())


def measure_in_fresh_process(db_path: str) -> dict[str, float]:
    """In this (fresh) process: load the schedule as ``main.py check`` does (``load_plan``),
    then time the first check, later cold checks and the floor, alternating the last two."""
    from scheduler_app.cli.common import load_plan
    from scheduler_app.rules.engine import ConflictEngine

    schedule, _ = load_plan(argparse.Namespace(db=db_path, scenario=None))  # as check loads
    began = time.perf_counter()
    kept = ConflictEngine(schedule)  # what check_schedule does, the engine kept alive
    first = kept.check_all()
    first_ms = (time.perf_counter() - began) * 1000
    colds, floors = [], []
    engine: ConflictEngine | None = None
    answer: list[object] = []
    for _ in range(REPEAT):
        fresh = schedule.copy()
        # The previous round's engine and answer are freed here, untimed: freeing them is not
        # part of a check (it was timed, 1.6 ms at 10,000 campaigns and 17 ms at 100,000).
        engine, answer = None, []
        began = time.perf_counter()
        engine = ConflictEngine(fresh)
        answer = engine.check_all()
        colds.append((time.perf_counter() - began) * 1000)
        if answer != first:
            raise AssertionError("a cold check differs from the first one")
        fresh = schedule.copy()
        began = time.perf_counter()
        numpy_floor(fresh)
        floors.append((time.perf_counter() - began) * 1000)
    return {
        "first_ms": first_ms,
        "cold_ms": statistics.median(colds),
        "floor_ms": statistics.median(floors),
        "conflicts": float(len(first)),
        "campaigns": float(len(schedule.campaigns)),
    }


def run(ctx: BenchContext) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-check-") as folder:
        db = Path(folder) / "bench.db"
        prepare_database(ctx, db)
        runs = []
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(db)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={**os.environ},
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"check process failed: {done.stderr.strip()[-800:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first = statistics.median(r["first_ms"] for r in runs)
    cold = statistics.median(r["cold_ms"] for r in runs)
    floor = statistics.median(r["floor_ms"] for r in runs)
    conflicts = int(runs[0]["conflicts"])
    return [
        Result(
            f"first check in a fresh process vs a cold check, {ctx.size} campaigns",
            first / cold,
            "x",
            1.3,
            key="first_check_vs_cold_check",
            note=f"medians of 3 fresh processes after Store.open + load: first check "
            f"{first:.1f} ms, later cold check {cold:.1f} ms (fresh engine, fresh copy; median "
            f"of {REPEAT}); {conflicts:,} conflicts",
        ),
        Result(
            f"cold check vs numpy overlap-and-gap floor, {ctx.size} campaigns",
            cold / floor,
            "x",
            2.0,
            key="cold_check_vs_numpy_floor",
            note=f"cold check {cold:.1f} ms vs floor {floor:.1f} ms (same campaigns, extraction "
            "from campaign objects included, alternating; the floor counts UTC days and checks "
            "overlap and gaps only)",
        ),
        Result(
            f"cold full check, {ctx.size} campaigns",
            cold,
            "ms",
            20.0 if ctx.n_campaigns <= 10_000 else None,
            key="cold_check_ms",
            note="fresh engine on a fresh copy of the loaded schedule, in a fresh process "
            "(DESIGN's 20 ms is for 10,000)",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(measure_in_fresh_process(sys.argv[2])))
    else:
        for result in run(BenchContext()):
            print(f"{result.name}: {result.value:.2f} {result.unit} (target {result.target})")
            print(f"    {result.note}")
