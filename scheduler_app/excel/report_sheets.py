"""The export-only sheets a reader needs to trust the workbook: its conflicts and its provenance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from scheduler_app.excel import layout
from scheduler_app.excel.cell_checks import MAX_CELL_TEXT
from scheduler_app.excel.cells import SheetCells
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.wording import campaign_list_within
from scheduler_app.schedule import Schedule

CONFLICT_HEADERS = [
    "Kind",
    "Severity",
    "Campaigns",
    "Site",
    "Bioreactor",
    "Start",
    "End",
    "Message",
]
_CONFLICT_WIDTHS = (13, 9, 22, 7, 13, 17, 17, 90)


def write_conflicts(cells: SheetCells, schedule: Schedule, conflicts: Sequence[Conflict]) -> None:
    """One row per conflict, times site-local like everywhere else in the workbook."""
    sheet = cells.sheet
    for index, width in enumerate(_CONFLICT_WIDTHS):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(conflicts), 1), len(CONFLICT_HEADERS) - 1)
    cells.header(0, CONFLICT_HEADERS)
    for row, conflict in enumerate(conflicts, 1):
        site = schedule.sites.get(conflict.site)
        tz_name = site.time_zone if site else "UTC"
        cells.text(row, 0, conflict.kind)
        cells.text(row, 1, conflict.severity.value)
        cells.text(row, 2, campaign_list_within(conflict.campaigns, MAX_CELL_TEXT))
        cells.text(row, 3, conflict.site)
        cells.text(row, 4, conflict.bioreactor)
        cells.moment(row, 5, utc_to_local_naive(conflict.start, tz_name))
        cells.moment(row, 6, utc_to_local_naive(conflict.end, tz_name))
        cells.text(row, 7, conflict.message)


def write_about(
    cells: SheetCells,
    schedule: Schedule,
    *,
    exported_at: datetime,
    source: str,
    file_name: str,
    conflicts: Sequence[Conflict],
) -> None:
    """What was exported, when, from where, and how to read the times."""
    sheet = cells.sheet
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 110)
    errors = sum(1 for c in conflicts if c.severity is Severity.ERROR)
    zones = ", ".join(f"{site.code} = {site.time_zone}" for site in schedule.sites.values())
    facts = [
        ("Workbook", file_name),
        ("Exported from", source or "(not recorded)"),
        (
            "Contents",
            f"{len(schedule.campaigns)} campaigns, {len(schedule.maintenance)} maintenance "
            f"windows, {len(schedule.products)} products, {len(schedule.bioreactors)} "
            f"bioreactors, {len(schedule.sites)} sites",
        ),
        ("Conflicts", f"{errors} errors, {len(conflicts) - errors} warnings (sheet Conflicts)"),
        (
            "Time convention",
            "Start, End, Due and Available from are in the site's local wall-clock time "
            "(the time on the plant floor at that site), not UTC.",
        ),
        ("Site time zones", zones),
        (
            "Editing",
            f"Edit the {layout.CAMPAIGNS} sheet and import it back. End is derived from Start, "
            "Batches, Batch days and Turnaround days; an edited End is ignored. Leave Campaign ID "
            "blank for a new campaign. Columns you add after Notes are kept.",
        ),
        (
            "Ignored on import",
            f"{layout.GANTT}, {layout.CONFLICTS} and {layout.ABOUT} are for reading only.",
        ),
    ]
    cells.header(0, ["Campaign schedule export", ""])
    cells.text(1, 0, "Exported at (UTC)")
    cells.moment(1, 1, exported_at.replace(tzinfo=None))
    for row, (label, value) in enumerate(facts, 2):
        cells.text(row, 0, label)
        cells.text(row, 1, value)
