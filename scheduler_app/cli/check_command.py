"""``check [FILE.xlsx] [--json]``: list the conflicts of a database or of a workbook.

Exit code 1 when any error-severity conflict is found, so that a script or CI job can gate on it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scheduler_app.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    EXIT_USAGE,
    add_scenario_option,
    format_table,
    load_plan,
    local_text,
    plural,
    print_error,
    print_json,
    scenario_of,
)
from scheduler_app.errors import ValidationError
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.wording import campaign_list
from scheduler_app.schedule import Schedule

SEVERITY_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings"}


class WorkbookRefused(ValidationError):
    """The workbook cannot be checked; ``problems`` are the import's findings, one per line."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="list the conflicts of a database or a workbook",
        description="Check the whole schedule against every rule. Exit code 1 when an "
        "error-severity conflict is found.",
    )
    parser.add_argument(
        "workbook",
        nargs="?",
        metavar="FILE.xlsx",
        help="check this workbook instead of the database (nothing is written)",
    )
    parser.add_argument("--json", action="store_true", help="print the conflicts as JSON")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.rules.engine import check_schedule

    if args.workbook and scenario_of(args):
        raise ValidationError("check reads either a workbook or a scenario, not both.")
    if args.workbook:
        try:
            schedule, where = load_workbook_schedule(Path(args.workbook)), args.workbook
        except WorkbookRefused as refused:
            print_error(str(refused))
            for problem in refused.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_USAGE
    else:
        schedule, where = load_plan(args)
    conflicts = check_schedule(schedule)
    counts = count_by_severity(conflicts)
    if args.json:
        print_json({"conflicts": [c.as_json() for c in conflicts], "counts": counts})
    else:
        print(conflicts_text(conflicts, schedule, where))
    return EXIT_CONFLICTS if counts[Severity.ERROR.value] else EXIT_OK


def count_by_severity(conflicts: Sequence[Conflict]) -> dict[str, int]:
    counts = {severity.value: 0 for severity in Severity}
    for conflict in conflicts:
        counts[conflict.severity.value] += 1
    return counts


def load_workbook_schedule(path: Path) -> Schedule:
    """The schedule a workbook carries, master data included, without touching any database.
    An unreadable workbook, or one the import would refuse, raises :class:`WorkbookRefused`
    with the import's own problems (sheet, row, column, value, message)."""
    from scheduler_app.excel import ExcelError, read_workbook

    if not path.is_file():
        raise ValidationError(f"{path}: no such file.")
    try:
        result = read_workbook(path)
    except ExcelError as error:
        raise WorkbookRefused(str(error), [str(issue) for issue in error.issues]) from None
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.errors:
        raise WorkbookRefused(
            f"{path.name} cannot be checked: the import would refuse it "
            f"({plural(len(result.errors), 'error')})",
            [str(issue) for issue in result.errors],
        )
    return result.schedule


def conflicts_text(conflicts: Sequence[Conflict], schedule: Schedule, where: str) -> str:
    """Conflicts grouped by severity, each with site-local times, then a one-line summary."""
    blocks = []
    for severity, title in SEVERITY_TITLES.items():
        rows = [_row(c, schedule) for c in conflicts if c.severity == severity]
        if rows:
            headers = ["kind", "campaigns", "bioreactor", "from (site)", "to (site)", "what to do"]
            blocks.append(f"{title} ({len(rows)})\n" + format_table(headers, rows, indent="  "))
    counts = count_by_severity(conflicts)
    summary = (
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')} in "
        f"{plural(len(schedule.campaigns), 'campaign')} ({where})"
    )
    if not conflicts:
        summary = f"No conflicts: {summary}"
    return "\n\n".join([*blocks, summary])


def _row(conflict: Conflict, schedule: Schedule) -> list[str]:
    site = schedule.sites.get(conflict.site)
    tz_name = site.time_zone if site else "UTC"
    return [
        conflict.kind,
        campaign_list(conflict.campaigns),
        conflict.bioreactor,
        local_text(conflict.start, tz_name),
        local_text(conflict.end, tz_name),
        conflict.message,
    ]
