"""Scenario and published-plan benchmarks on an SQLite file with the production settings:
make a scenario from a 10,000-campaign Live (copied inside the database), load it, compare two
10,000-campaign plans, and publish a version. Live's own load is measured in the same run as
the floor a scenario load is compared with.

Runnable alone: ``python benchmarks/bench_scenarios.py [--campaigns N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_storage import _fill  # noqa: E402
from benchmarks.common import BenchContext, Result, best_ms  # noqa: E402
from scheduler_app.plan_diff import diff_plans  # noqa: E402
from scheduler_app.rules.engine import check_schedule  # noqa: E402
from scheduler_app.scenarios import create_scenario, delete_scenario  # noqa: E402
from scheduler_app.schedule import Schedule  # noqa: E402
from scheduler_app.storage import Store  # noqa: E402
from scheduler_app.versions import publish_plan  # noqa: E402


def edited_copy(schedule: Schedule, every: int = 50) -> Schedule:
    """``schedule`` with every ``every``-th campaign moved a week and every ``every``-th (offset)
    deleted: about 2 % of a plan differs, as in a real what-if."""
    other = schedule.copy()
    for index, key in enumerate(sorted(schedule.campaigns)):
        campaign = schedule.campaigns[key]
        if index % every == 0:
            other.put_campaign(dataclasses.replace(campaign, start=campaign.start + timedelta(7)))
        elif index % every == 1:
            other.remove_campaign(key)
    return other


def run(ctx: BenchContext) -> list[Result]:
    schedule = ctx.schedule
    size = ctx.size
    with tempfile.TemporaryDirectory(prefix="bench-scenarios-") as folder:
        store = Store.open(Path(folder) / "bench.db")
        try:
            _fill(store, schedule)
            counter = {"n": 0}

            def create_and_drop() -> None:
                counter["n"] += 1
                name = f"what if {counter['n']}"
                create_scenario(store, name, user="bench")
                delete_scenario(store, name, user="bench")

            create_ms = best_ms(lambda: create_scenario(store, _next(counter), user="bench"), 5)
            drop_ms = best_ms(create_and_drop, 3) - create_ms
            create_scenario(store, "kept", user="bench")
            live_load_ms = best_ms(store.load, 5)
            scenario_load_ms = best_ms(lambda: store.load("kept"), 5)
            publish_ms = best_ms(lambda: publish_plan(store, reason="bench", user="bench"), 3)
            sync_ms, outline_ms, promote_ms = _live_scenario_ms(store)
        finally:
            store.close()
    other = edited_copy(schedule)
    first_conflicts, second_conflicts = check_schedule(schedule), check_schedule(other)
    diff = diff_plans(schedule, other, first_conflicts, second_conflicts)
    diff_ms = best_ms(lambda: diff_plans(schedule, other, first_conflicts, second_conflicts), 7)
    full_diff_ms = best_ms(lambda: diff_plans(schedule, other), 3)
    changed = f"{len(diff.changed)} changed, {len(diff.removed)} removed"
    plain_ms, baseline_ms, outline_paint_ms = _reference_paint_ms(ctx, other)
    return [
        Result(
            f"paint full timeline with baseline bars, {size} campaigns, cold",
            baseline_ms,
            "ms",
            16.0,
            key="paint_with_baseline_ms",
            note=f"1920x1080 fit all, a baseline bar per campaign; without the layer "
            f"{plain_ms:.2f} ms (+{baseline_ms - plain_ms:.2f} ms); with Live's outlines of a "
            f"scenario {outline_paint_ms:.2f} ms",
        ),
        Result(
            f"create a scenario from a {size}-campaign Live",
            create_ms,
            "ms",
            key="scenario_create_ms",
            note="INSERT…SELECT of campaigns, windows and their Live versions; one transaction",
        ),
        Result(
            "delete a scenario",
            max(drop_ms, 0.0),
            "ms",
            key="scenario_delete_ms",
        ),
        Result(
            f"load a {size}-campaign scenario",
            scenario_load_ms,
            "ms",
            300.0,
            key="scenario_load_ms",
            note=f"Live's own load in the same run: {live_load_ms:.0f} ms",
        ),
        Result(
            f"diff two {size}-campaign plans (conflicts known)",
            diff_ms,
            "ms",
            key="plan_diff_ms",
            note=f"{changed}; field by field, conflicts matched by kind/campaigns/where/when",
        ),
        Result(
            f"diff two {size}-campaign plans (checking both)",
            full_diff_ms,
            "ms",
            key="plan_diff_with_checks_ms",
            note="two cold full conflict checks included",
        ),
        Result(
            f"publish a {size}-campaign plan version",
            publish_ms,
            "ms",
            key="publish_version_ms",
        ),
        Result(
            f"scenario window takes in another planner's scenario move, {size} campaigns",
            sync_ms,
            "ms",
            key="scenario_sync_ms",
            note="one sync() after the other connection committed (median of 7): reads the "
            f"audit rows, reloads the campaign, re-checks its bioreactor; Live's outlines after "
            f"a Live move: {outline_ms:.2f} ms (the moved campaign re-read, not all of Live)",
        ),
        Result(
            f"promote one move and one changed window into a {size}-campaign Live",
            promote_ms,
            "ms",
            key="promote_ms",
            note="plan (both plans loaded, base versions read), write, re-base the scenario",
        ),
    ]


def _live_scenario_ms(store: Store) -> tuple[float, float, float]:
    """A scenario window's ``sync()`` taking in one move another connection made to the same
    scenario; re-reading one Live campaign for the outlines; promoting a move and a window."""
    import statistics
    import time

    from scheduler_app.promote import promote
    from scheduler_app.service import ScheduleService

    create_scenario(store, "watched", user="bench")
    shown = ScheduleService(store, user="ann", scenario="watched")
    other_store = Store.open(store.url)
    try:
        editor = ScheduleService(other_store, user="kim", scenario="watched")
        shown.sync()
        key = sorted(shown.schedule.campaigns)[len(shown.schedule.campaigns) // 2]
        times = []
        for step in range(7):
            held = editor.schedule.campaigns[key]
            editor.move_campaign(key, start=held.start + timedelta(days=1 if step % 2 else -1))
            began = time.perf_counter()
            changes = shown.sync()
            times.append((time.perf_counter() - began) * 1000)
            assert changes and shown.schedule.campaigns[key] == editor.schedule.campaigns[key]
        editor.stop_live()
    finally:
        other_store.close()
    shown.stop_live()
    outline_ms = best_ms(lambda: store.load_campaigns([key]), 7)
    if shown.schedule.maintenance:
        window = shown.schedule.maintenance[0]
        shown.change_window(window, dataclasses.replace(window, reason="bench: longer PM"))
    live = ScheduleService(store, user="bench")
    began = time.perf_counter()
    promote(live, "watched", reason="bench")
    promote_ms = (time.perf_counter() - began) * 1000
    return statistics.median(times), outline_ms, promote_ms


def _reference_paint_ms(ctx: BenchContext, other: Schedule) -> tuple[float, float, float]:
    """Cold full-view paint (as bench_ui_timeline measures it) without a reference layer, with
    every campaign's baseline bar, and with the outlines of a scenario's moved campaigns."""
    from benchmarks.bench_ui_timeline import _app, _paint_ms, _service, _timeline

    _app()
    widget = _timeline(_service(ctx))
    try:
        plain = _paint_ms(widget, zoom=True)
        widget.show_reference("baseline", other.campaigns)
        baseline = _paint_ms(widget, zoom=True)
        widget.show_reference("baseline", None)
        widget.show_reference("outline", other.campaigns)
        outline = _paint_ms(widget, zoom=True)
    finally:
        widget.close()
    return plain, baseline, outline


def _next(counter: dict[str, int]) -> str:
    counter["n"] += 1
    return f"scenario {counter['n']}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--campaigns", type=int, default=10_000)
    args = parser.parse_args()
    for result in run(BenchContext(n_campaigns=args.campaigns)):
        print(f"{result.name:55} {result.value:9.1f} {result.unit}  {result.note}")
