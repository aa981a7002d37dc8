"""``export FILE.xlsx``: write the whole schedule, master data included, to a workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scheduler_app.cli.common import EXIT_OK, add_scenario_option, load_plan, plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the schedule to an Excel workbook",
        description="Write every campaign, maintenance window, product, bioreactor and site to "
        "a workbook (site-local times), with a Gantt sheet, the conflicts and an About sheet. "
        "An existing file is replaced only when the new one is complete.",
    )
    parser.add_argument("workbook", metavar="FILE.xlsx", help="the workbook to write")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.excel import write_workbook
    from scheduler_app.rules.engine import check_schedule

    path = Path(args.workbook)
    schedule, where = load_plan(args)
    conflicts = check_schedule(schedule)
    write_workbook(schedule, path, conflicts=conflicts, source_description=where)
    print(
        f"Wrote {path}: {plural(len(schedule.campaigns), 'campaign')}, "
        f"{plural(len(schedule.maintenance), 'maintenance window')}, "
        f"{plural(len(conflicts), 'conflict')} (from {where})."
    )
    return EXIT_OK
