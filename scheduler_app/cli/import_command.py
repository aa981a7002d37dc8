"""``import FILE.xlsx [--dry-run] [--delete-missing] [--json]``: bring an edited workbook back.

The change set is printed first; with any error in the workbook nothing is applied and the exit
code is 2. Applying is one transaction and one audited change set
(``ScheduleService.apply_schedule``).
``--json`` prints exactly the DESIGN.md shape; ``deleted`` lists what was deleted (with
``--dry-run``, what would be).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from scheduler_app.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_scenario_option,
    open_service,
    plural,
    print_json,
)
from scheduler_app.errors import SchedulerError

if TYPE_CHECKING:
    from scheduler_app.excel import ChangeSetPreview, ImportIssue

SHOWN_LINES = 40


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import an edited workbook (shows the change set first)",
        description="Read a workbook, show what it would change (added, changed, unchanged, "
        "missing campaigns) and apply it as one change set. Nothing is applied if the "
        "workbook has any error.",
    )
    parser.add_argument("workbook", metavar="FILE.xlsx", help="the workbook to import")
    parser.add_argument("--dry-run", action="store_true", help="show the changes, apply nothing")
    parser.add_argument(
        "--delete-missing",
        action="store_true",
        help="delete campaigns that are in the database but not in the workbook",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.change_set import Source
    from scheduler_app.excel import ExcelError, compute_changes, read_workbook

    path = Path(args.workbook)
    progress = Progress(path.name)
    service = open_service(args, Source.IMPORT)
    try:
        try:
            result = read_workbook(path, service.schedule, progress.reading)
        except ExcelError as error:
            if args.json:
                print_json(_payload(False, [_sentence(str(error))], []))
                return EXIT_USAGE
            raise
        warnings = [issue.as_json() for issue in result.warnings]
        if result.errors:
            errors = [issue.as_json() for issue in result.errors]
            if args.json:
                print_json(_payload(False, errors, warnings))
            else:
                print(_issues_text(path, result.errors, result.warnings))
            return EXIT_USAGE
        progress.step("comparing with the database and checking conflicts")
        preview = compute_changes(service.schedule, result.schedule, args.delete_missing)
        deleted = [c.id for c in preview.missing] if args.delete_missing else []
        applied = False
        if not args.dry_run:
            progress.step("applying")
            try:
                change_set = service.apply_schedule(
                    result.schedule,
                    delete_missing=args.delete_missing,
                    description=f"Import {path.name}",
                )
            except SchedulerError as error:
                if args.json:
                    print_json(_payload(False, [_sentence(str(error))], warnings))
                    return EXIT_USAGE
                raise
            applied = True
            deleted = list(change_set.ids("deleted"))
        if args.json:
            payload = _payload(applied, [], warnings)
            payload["changes"] = {
                "added": [c.id for c in preview.added],
                "changed": [d.campaign_id for d in preview.changed],
                "unchanged": preview.unchanged,
                "missing": [c.id for c in preview.missing],
                "deleted": deleted,
            }
            print_json(payload)
        else:
            print(changes_text(path, preview, result.warnings, applied, deleted, result.conflicts))
        return EXIT_OK
    finally:
        service.store.close()


class Progress:
    """Progress of a long import on stderr (stdout stays the report or the JSON): nothing for
    the first second, then a line per tenth read and one per later step."""

    def __init__(self, name: str, stream: TextIO | None = None, after_s: float = 1.0) -> None:
        self.name = name
        self.stream = stream
        self.began = time.monotonic()
        self.after_s = after_s
        self.shown = -1

    def _late(self) -> bool:
        return time.monotonic() - self.began >= self.after_s

    def _say(self, text: str) -> None:
        stream = self.stream or sys.stderr
        print(f"{self.name}: {text} ({time.monotonic() - self.began:.0f} s)", file=stream)
        stream.flush()

    def reading(self, fraction: float) -> None:
        tenth = int(fraction * 10)
        if tenth > self.shown and self._late():
            self.shown = tenth
            self._say(f"reading {tenth * 10} %")

    def step(self, what: str) -> None:
        if self._late():
            self._say(what)


def _sentence(message: str) -> dict[str, object]:
    return {"sheet": "", "row": 0, "column": "", "value": None, "message": message}


def _payload(
    applied: bool, errors: list[dict[str, object]], warnings: list[dict[str, object]]
) -> dict[str, Any]:
    return {
        "applied": applied,
        "errors": errors,
        "warnings": warnings,
        "changes": {"added": [], "changed": [], "unchanged": 0, "missing": [], "deleted": []},
    }


def _issues_text(path: Path, errors: list[ImportIssue], warnings: list[ImportIssue]) -> str:
    lines = [f"{path.name}: {plural(len(errors), 'error')}; nothing was imported."]
    lines += [f"  error: {issue}" for issue in errors[:SHOWN_LINES]]
    if len(errors) > SHOWN_LINES:
        lines.append(f"  … and {len(errors) - SHOWN_LINES} more errors")
    lines += [f"  warning: {issue}" for issue in warnings[:SHOWN_LINES]]
    return "\n".join(lines)


def changes_text(
    path: Path,
    preview: ChangeSetPreview,
    warnings: list[ImportIssue],
    applied: bool,
    deleted: Sequence[str],
    conflicts: Sequence[ImportIssue] = (),
) -> str:
    """The change set as a planner reads it: counts, then per campaign what changes."""
    counts = preview.counts()
    lines = [
        f"{path.name}: {counts['changed']} changed, {counts['added']} added, "
        f"{counts['unchanged']} unchanged, {counts['missing']} missing from the workbook"
    ]
    for diff in preview.changed[:SHOWN_LINES]:
        fields = "; ".join(f"{f.field} {f.old} → {f.new}" for f in diff.fields)
        lines.append(f"  changed {diff.campaign_id}: {fields}")
    for campaign in preview.added[:SHOWN_LINES]:
        lines.append(f"  added   {campaign.id}: {campaign.product} on {campaign.bioreactor}")
    if preview.missing:
        what = "deleted" if deleted else "kept (use --delete-missing to delete them)"
        shown = ", ".join(c.id for c in preview.missing[:SHOWN_LINES])
        lines.append(f"  missing from the workbook, {what}: {shown}")
    hidden = max(len(preview.changed) - SHOWN_LINES, 0) + max(len(preview.added) - SHOWN_LINES, 0)
    if hidden:
        lines.append(f"  … and {hidden} more (use --json for all)")
    lines += [f"  master data: {line}" for line in preview.master_data]
    lines += [f"  conflict: {issue}" for issue in conflicts[:SHOWN_LINES]]
    listed = {id(issue) for issue in conflicts}
    others = [issue for issue in warnings if id(issue) not in listed]
    lines += [f"  warning: {issue}" for issue in others[:SHOWN_LINES]]
    lines.append(
        f"After the import: {plural(counts['conflict_errors'], 'conflict error')}, "
        f"{plural(counts['conflict_warnings'], 'conflict warning')} "
        f"({len(preview.new_conflicts)} new)."
    )
    lines.append("Applied." if applied else "Dry run: nothing was changed.")
    return "\n".join(lines)
