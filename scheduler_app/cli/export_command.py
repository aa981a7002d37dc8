"""``export FILE.xlsx``: write the whole schedule, master data included, to a workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler_app.cli.common import EXIT_OK, add_scenario_option, load_plan, open_store, plural
from scheduler_app.errors import ValidationError

if TYPE_CHECKING:
    from scheduler_app.excel.version_sheet import VersionMarks
    from scheduler_app.rules.conflict import Conflict
    from scheduler_app.schedule import Schedule


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the schedule to an Excel workbook",
        description="Write every campaign, maintenance window, product, bioreactor and site to "
        "a workbook (site-local times), with a Gantt sheet, the conflicts and an About sheet. "
        "An existing file is replaced only when the new one is complete.",
    )
    parser.add_argument("workbook", metavar="FILE.xlsx", help="the workbook to write")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write even an empty schedule over a workbook that holds campaigns",
    )
    add_scenario_option(parser)
    parser.add_argument(
        "--baseline",
        type=int,
        metavar="N",
        help="show Baseline start and Slip (days) against published version N (default: the "
        "latest published version, if any)",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="leave out the published-version columns"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.excel import write_workbook
    from scheduler_app.rules.engine import check_schedule

    path = Path(args.workbook)
    schedule, where = load_plan(args)
    if not schedule.campaigns and not args.force and holds_campaigns(path):
        raise ValidationError(
            f"{where} holds no campaigns, and {path.name} does; the export would replace a "
            "schedule with an empty one (check --db, or pass --force to do it anyway)."
        )
    conflicts = check_schedule(schedule)
    marks = None if args.no_baseline else _version_marks(args, schedule, conflicts)
    write_workbook(schedule, path, conflicts=conflicts, source_description=where, version=marks)
    print(
        f"Wrote {path}: {plural(len(schedule.campaigns), 'campaign')}, "
        f"{plural(len(schedule.maintenance), 'maintenance window')}, "
        f"{plural(len(conflicts), 'conflict')} (from {where})."
    )
    return EXIT_OK


def _version_marks(
    args: argparse.Namespace, schedule: Schedule, conflicts: list[Conflict]
) -> VersionMarks | None:
    """The published version the export compares with: ``--baseline N`` or the latest."""
    from scheduler_app.excel.version_sheet import VersionMarks
    from scheduler_app.versions import latest_version, load_version

    store = open_store(args)
    try:
        number = args.baseline if args.baseline is not None else latest_version(store)
        if number is None:
            return None
        version = load_version(store, number, schedule)
    finally:
        store.close()
    return VersionMarks.build(number, version, schedule, conflicts)


def holds_campaigns(path: Path) -> bool:
    """True when ``path`` is a workbook whose Campaigns sheet has a row below its header, or a
    file that cannot be read to tell (then it is treated as precious)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - unreadable: not ours to overwrite with nothing
        return True
    try:
        sheets = [s for s in book.worksheets if s.title == "Campaigns"] or book.worksheets[:1]
        if not sheets:
            return False
        sheets[0].reset_dimensions()
        filled = 0
        for row in sheets[0].iter_rows(values_only=True):
            if any(cell not in (None, "") for cell in row):
                filled += 1
                if filled > 1:
                    return True
        return False
    except Exception:  # noqa: BLE001
        return True
    finally:
        book.close()
