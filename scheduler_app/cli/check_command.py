"""``check [FILE.xlsx] [--json]``: list the conflicts of a database or of a workbook.

Exit code 1 when any error-severity conflict is found, so that a script or CI job can gate on it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scheduler_app.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    format_table,
    local_text,
    open_store,
    plural,
    print_json,
)
from scheduler_app.errors import ValidationError
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.schedule import Schedule

SEVERITY_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings"}


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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.rules.engine import check_schedule

    if args.workbook:
        schedule, where = load_workbook_schedule(Path(args.workbook)), args.workbook
    else:
        store = open_store(args)
        try:
            schedule, where = store.load(), store.url_for_display
        finally:
            store.close()
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
    """The schedule a workbook carries, master data included; an unreadable or invalid workbook
    is refused with the import's own messages (sheet, row, column), nothing else is touched."""
    if not path.is_file():
        raise ValidationError(f"{path}: no such file.")
    try:
        from scheduler_app.excel import read_workbook
    except ImportError:
        raise ValidationError(
            "Checking a workbook needs the Excel package (scheduler_app.excel), which is not "
            "available in this installation."
        ) from None
    result = read_workbook(path)
    errors = list(getattr(result, "errors", ()) or ())
    if errors:
        shown = "; ".join(str(error) for error in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ValidationError(f"{path} cannot be checked: {shown}{more}")
    schedule = getattr(result, "schedule", result)
    if not isinstance(schedule, Schedule):
        raise ValidationError(f"{path} holds no schedule.")
    return schedule


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
        ", ".join(conflict.campaigns),
        conflict.bioreactor,
        local_text(conflict.start, tz_name),
        local_text(conflict.end, tz_name),
        conflict.message,
    ]
