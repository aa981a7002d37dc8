"""Excel round trip: export and import of a 10,000-row workbook, and the openpyxl baseline.

The import target is relative: at most twice what openpyxl read-only needs just to read the same
cells (``load_workbook(read_only=True, data_only=True)`` + ``iter_rows(values_only=True)`` over
the Campaigns sheet), measured in the same run, interleaved, so that a busy machine slows both.
Run alone with ``python benchmarks/bench_excel.py`` or through ``benchmarks/run.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BenchContext, Result
from scheduler_app.excel import compute_changes, read_workbook, write_workbook
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule

REPEAT = 3


def _seconds(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def _conflicts(schedule: Schedule) -> list[Conflict]:
    """What the app hands the export: the engine's current list (not part of the timing)."""
    from scheduler_app.rules.engine import check_schedule

    return check_schedule(schedule)


def _baseline(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in book["Campaigns"].iter_rows(values_only=True))
    finally:
        book.close()


def run(ctx: BenchContext) -> list[Result]:
    schedule = ctx.schedule
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    path = ctx.workdir / "bench_excel.xlsx"
    conflicts = _conflicts(schedule)
    rows = f"{len(schedule.campaigns):,} campaigns, {len(conflicts):,} conflicts"

    exports = []
    for _ in range(REPEAT):
        cpu = time.process_time()
        wall = _seconds(lambda: write_workbook(schedule, path, conflicts=conflicts))
        exports.append((wall, time.process_time() - cpu))
    export_s, export_cpu_s = (statistics.median(column) for column in zip(*exports, strict=True))
    imports, baselines = [], []
    for _ in range(REPEAT):
        baselines.append(_seconds(lambda: _baseline(path)))
        imports.append(_seconds(lambda: read_workbook(path, schedule)))
    import_s, baseline_s = statistics.median(imports), statistics.median(baselines)
    result = read_workbook(path, schedule)
    if result.errors or len(result.schedule.campaigns) != len(schedule.campaigns):
        raise AssertionError(f"the benchmark workbook did not read back: {result.errors[:3]}")
    preview_s = _seconds(lambda: compute_changes(schedule, result.schedule))
    return [
        Result(
            f"export {ctx.size}-row workbook",
            export_s,
            "s",
            3.0 * max(1.0, ctx.n_campaigns / 10_000),
            note=f"{rows}; target 3 s at 10,000 rows, scaled linearly above",
            key="export_s",
        ),
        Result(
            f"export {ctx.size}-row workbook, CPU time",
            export_cpu_s,
            "s",
            note="the wall time above also counts waiting for a busy CPU",
        ),
        Result(f"import {ctx.size}-row workbook", import_s, "s", note="read + validate, no apply"),
        Result("openpyxl read-only baseline", baseline_s, "s", note="same cells, values only"),
        Result(
            "import / openpyxl baseline", import_s / baseline_s, "x", 2.0, key="import_vs_openpyxl"
        ),
        Result(
            "import preview (change set + conflicts)",
            preview_s,
            "s",
            note="compare + engine on the merged schedule",
        ),
    ]


if __name__ == "__main__":
    for row in run(BenchContext()):
        target = "" if row.target is None else f" (target {row.target:g}, met: {row.met})"
        print(f"{row.name:42} {row.value:8.3f} {row.unit}{target}  {row.note}")
