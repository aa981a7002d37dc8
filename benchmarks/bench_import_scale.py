"""Import at scale: ``main.py import --dry-run`` of a large workbook, whole process, four shapes.

Rows with Campaign IDs (matched to the database) or without (every row a new campaign, each given
a fresh ID), spread over the bioreactors as the synthetic schedule has them or stacked onto one
bioreactor and one start (a fill-down mistake: every row overlaps every other). Each case runs
``main.py import FILE --db DB --dry-run --json`` in its own process against an SQLite database
holding the same synthetic schedule, and reports its wall time and peak resident memory (the
child's ``ru_maxrss``). Targets (issue 13): 100,000 rows in ≤ 60 s and ≤ 1 GB each.

With ``--apply`` each case also runs the import for real (``main.py import FILE --db DB --json``,
no ``--dry-run``) on a fresh copy of the database: the change set written with its audit rows and
the conflicts checked after it.

The default run (through ``benchmarks/run.py``) uses ``--campaigns`` rows; the 100,000-row figure
is ``python benchmarks/bench_import_scale.py --rows 100000 [--apply]`` (slow: run it once, not in
a loop).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BenchContext, Result
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0
TARGET_MB = 1024.0
CASES = (("with IDs", True, False), ("without IDs", False, False))
STACKED = (("with IDs, stacked", True, True), ("without IDs, stacked", False, True))


def build_database(schedule: Schedule, path: Path) -> None:
    """An SQLite file holding ``schedule`` (through the service, as an import would)."""
    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

    path.unlink(missing_ok=True)
    store = Store.open(path)
    try:
        ScheduleService(store, source=Source.IMPORT).apply_schedule(schedule)
    finally:
        store.close()


def write_campaigns(schedule: Schedule, path: Path, with_ids: bool, stacked: bool) -> int:
    """A Campaigns-only workbook (master data comes from the database) of every campaign."""
    from xlsxwriter import Workbook

    book = Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Campaigns")
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    header = ["Campaign ID", "Product", "Bioreactor", "Start", "Batches", "Batch days",
              "Turnaround days", "Status"]  # fmt: skip
    for column, name in enumerate(header):
        sheet.write_string(0, column, name)
    ordered = sorted(schedule.campaigns.values(), key=lambda c: (c.start, c.id))
    first = ordered[0]
    zones = {code: schedule.time_zone_of(code) for code in schedule.bioreactors}
    for row, campaign in enumerate(ordered, 1):
        reactor = first.bioreactor if stacked else campaign.bioreactor
        start = first.start if stacked else campaign.start
        if with_ids:
            sheet.write_string(row, 0, campaign.id)
        sheet.write_string(row, 1, campaign.product)
        sheet.write_string(row, 2, reactor)
        sheet.write_datetime(row, 3, utc_to_local_naive(start, zones[reactor]), stamp)
        sheet.write_number(row, 4, campaign.batches)
        sheet.write_number(row, 5, campaign.batch_days)
        sheet.write_number(row, 6, campaign.turnaround_days)
        sheet.write_string(row, 7, campaign.status.value)
    book.close()
    return len(ordered)


def run_import(
    workbook: Path, database: Path, apply: bool = False
) -> tuple[float, float, float, dict[str, object]]:
    """Wall seconds, CPU seconds, peak MB and the JSON of one ``import --dry-run`` (``apply``:
    the import itself) in a fresh process (CPU time is what a busy shared machine does not
    inflate)."""
    command = [sys.executable, str(ROOT / "main.py"), "import", str(workbook), "--db",
               str(database), "--json", *(() if apply else ("--dry-run",))]  # fmt: skip
    out_path, err_path = workbook.with_suffix(".out"), workbook.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)  # reaped here, so its own rusage is ours
        wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        detail = err_path.read_text(errors="replace")[-500:]
        raise AssertionError(f"import failed ({child.returncode}): {detail}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, json.loads(out_path.read_text())


def measure(
    schedule: Schedule, workdir: Path, stacked: bool = True, apply: bool = False
) -> list[Result]:
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "import_scale.db"
    build_database(schedule, database)
    results = []
    for label, with_ids, stack in CASES + (STACKED if stacked else ()):
        workbook = workdir / f"import_scale_{'ids' if with_ids else 'new'}_{int(stack)}.xlsx"
        rows = write_campaigns(schedule, workbook, with_ids, stack)
        key = f"import_scale_{'ids' if with_ids else 'no_ids'}{'_stacked' if stack else ''}"
        results += _case(f"import {rows:,} rows {label}", key, rows, workbook, database, False)
        if apply:
            target = workdir / "import_scale_applied.db"
            target.unlink(missing_ok=True)
            shutil.copyfile(database, target)
            title = f"import {rows:,} rows {label}, applied"
            results += _case(title, key + "_applied", rows, workbook, target, True)
            target.unlink()
    return results


def _case(
    title: str, key: str, rows: int, workbook: Path, database: Path, apply: bool
) -> list[Result]:
    wall, cpu, peak_mb, payload = run_import(workbook, database, apply)
    changes = payload["changes"]
    assert isinstance(changes, dict)
    if apply and payload["applied"] is not True:
        raise AssertionError(f"{title}: not applied")
    note = (
        f"{rows:,} rows: {len(changes['added']):,} added, {len(changes['changed']):,} "
        f"changed, {changes['unchanged']:,} unchanged; CPU {cpu:.1f} s"
    )
    return [
        Result(title, wall, "s", TARGET_S, note=note, key=key + "_s"),
        Result(f"{title}, peak", peak_mb, "MB", TARGET_MB, key=key + "_mb"),
    ]


def run(ctx: BenchContext) -> list[Result]:
    return measure(ctx.schedule, ctx.workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="campaigns (rows) per workbook")
    parser.add_argument(
        "--bioreactors",
        type=int,
        help="default: 60, or one per 300 rows when that is more (60 bioreactors carry "
        "100,000 campaigns past 2200, a year the import refuses as implausible)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--apply", action="store_true", help="also apply each import (on a copy of the database)"
    )
    args = parser.parse_args()
    reactors = args.bioreactors or max(60, args.rows // 300)
    ctx = BenchContext(args.seed, args.rows, reactors)
    for row in measure(ctx.schedule, ctx.workdir, apply=args.apply):
        target = "" if row.target is None else f" (target {row.target:g}, met: {row.met})"
        print(f"{row.name:46} {row.value:9.1f} {row.unit}{target}  {row.note}", flush=True)


if __name__ == "__main__":
    main()
