"""The Excel round trip: export a schedule to a workbook, read it back, preview the changes.

``write_workbook`` (XlsxWriter) and ``read_workbook`` (openpyxl, read-only, behind the checks in
:mod:`safety`) never import Qt; ``compute_changes`` is what the import dialog and ``import``
command show before :meth:`ScheduleService.apply_schedule` applies it.
"""

from __future__ import annotations

from scheduler_app.excel.changes import (
    CampaignDiff,
    ChangeSetPreview,
    FieldChange,
    compute_changes,
)
from scheduler_app.excel.errors import ExcelCancelled, ExcelError, ImportIssue
from scheduler_app.excel.reader import ImportResult, read_workbook
from scheduler_app.excel.writer import write_workbook

__all__ = [
    "CampaignDiff",
    "ChangeSetPreview",
    "ExcelCancelled",
    "ExcelError",
    "FieldChange",
    "ImportIssue",
    "ImportResult",
    "compute_changes",
    "read_workbook",
    "write_workbook",
]
