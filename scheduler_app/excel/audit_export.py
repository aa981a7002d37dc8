"""The History panel's rows as a workbook: one sheet, one row per audit entry, the time both at
the entry's site (wall clock) and in UTC.

Written like the schedule export: assembled in memory, written beside the target and renamed
into place only when complete (:mod:`file_output`), so a failed export never damages the file
that was there before; text is never a formula.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.workbook import Workbook

from scheduler_app.audit_query import AuditLine
from scheduler_app.excel import file_output
from scheduler_app.excel.cells import Formats, SheetCells
from scheduler_app.excel.writer import _WORKBOOK_OPTIONS, _close

HEADERS = [
    "When (site-local)",
    "Site",
    "When (UTC)",
    "User",
    "Action",
    "Campaign / record",
    "Field",
    "Old (as recorded)",
    "New (as recorded)",
    "Source",
    "Reason",
    "Change set",
]
_WIDTHS = (17, 6, 17, 14, 12, 20, 16, 30, 30, 8, 30, 34)


def write_audit_workbook(
    lines: Sequence[AuditLine], path: str | os.PathLike[str], title: str = "History"
) -> Path:
    """Write ``lines`` (newest first, as listed) to ``path``; raises ``ExcelError`` with a
    planner's sentence when the file cannot be written. Returns the path written."""
    target = Path(path)
    file_output.check_target(target)
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {**_WORKBOOK_OPTIONS, "in_memory": True})
    try:
        _write(workbook, lines, title)
    finally:
        _close(workbook, target)
    file_output.write_in_place(target, buffer.getbuffer())
    return target


def _write(workbook: Workbook, lines: Sequence[AuditLine], title: str) -> None:
    sheet = workbook.add_worksheet(title[:31] or "History")
    cells = SheetCells(sheet, Formats(workbook))
    cells.header(0, HEADERS)
    for column, width in enumerate(_WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for row, line in enumerate(lines, start=1):
        entry = line.entry
        cells.moment(row, 0, line.local)
        cells.text(row, 1, line.site)
        cells.moment(row, 2, line.utc)
        cells.text(row, 3, entry.user)
        cells.text(row, 4, entry.action)
        cells.text(row, 5, line.what)
        cells.text(row, 6, line.field)
        cells.text(row, 7, entry.old)
        cells.text(row, 8, entry.new)
        cells.text(row, 9, entry.source)
        cells.text(row, 10, entry.reason)
        cells.text(row, 11, entry.change_set)
    if lines:
        sheet.autofilter(0, 0, len(lines), len(HEADERS) - 1)
