"""The Excel round trip: export a schedule to a workbook, read it back, preview the changes.

``write_workbook`` (XlsxWriter) and ``read_workbook`` (openpyxl, read-only, behind the checks in
:mod:`safety`) never import Qt; ``compute_changes`` is what the import dialog and ``import``
command show before :meth:`ScheduleService.apply_schedule` applies it.

The names below are imported on first use (PEP 562), so a module that only needs a leaf such as
:mod:`values` (the forgiving date parser the app's date fields share) does not pay for openpyxl
and XlsxWriter at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler_app.excel.changes import (
        CampaignDiff,
        ChangeSetPreview,
        FieldChange,
        compute_changes,
    )
    from scheduler_app.excel.errors import ExcelCancelled, ExcelError, ImportIssue
    from scheduler_app.excel.reader import ImportResult, read_workbook
    from scheduler_app.excel.writer import write_workbook

_HOMES = {
    "CampaignDiff": "changes",
    "ChangeSetPreview": "changes",
    "FieldChange": "changes",
    "compute_changes": "changes",
    "ExcelCancelled": "errors",
    "ExcelError": "errors",
    "ImportIssue": "errors",
    "ImportResult": "reader",
    "read_workbook": "reader",
    "write_workbook": "writer",
}

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


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
