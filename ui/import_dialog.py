"""File → Import Excel…: choose a workbook, read it with progress, preview, apply as one undo step.

Problems in the workbook are listed (sheet, row, column, value, message) and nothing is applied.
Applying goes through ``ScheduleService.apply_schedule`` (one transaction, one audited change
set); the undo step hands that change set back to the service, which reverts all of it: campaigns,
master data, maintenance windows and extra columns.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from scheduler_app.excel import ExcelCancelled, ExcelError, ImportResult, read_workbook
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from ui.commands import ChangeCommand, ErrorHandler, _keep
from ui.excel_progress import ExcelProgress
from ui.export_dialog import notifier_for
from ui.import_preview import ImportPreviewDialog

FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
SHOWN_ISSUES = 25


def import_command(
    service: ScheduleService,
    incoming: Schedule,
    delete_missing: bool,
    text: str,
    on_error: ErrorHandler = _keep,
) -> ChangeCommand:
    """The first ``redo()`` applies the incoming schedule; undo and redo replay its change set."""
    return ChangeCommand(
        service,
        lambda: service.apply_schedule(incoming, delete_missing=delete_missing, description=text),
        text,
        on_error,
    )


def issues_text(result: ImportResult) -> str:
    lines = [str(issue) for issue in result.errors[:SHOWN_ISSUES]]
    if len(result.errors) > SHOWN_ISSUES:
        lines.append(f"… and {len(result.errors) - SHOWN_ISSUES} more.")
    return "\n".join(lines)


def read_with_progress(parent: QWidget | None, path: Path, known: Schedule) -> ImportResult | None:
    """The workbook's contents, or None if the planner cancelled or it could not be read (the
    reason has then been shown)."""
    progress = ExcelProgress(parent, "Import", f"Reading {path.name}…")
    try:
        return read_workbook(path, known, progress=progress)
    except ExcelCancelled:
        return None
    except ExcelError as error:
        notifier_for(parent).error("Import failed", str(error))
        return None
    finally:
        progress.close()


def run_import(parent: QWidget | None, service: ScheduleService, undo_stack: QUndoStack) -> None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import Excel workbook", "", FILTER)
    if not name:
        return
    path = Path(name)
    notifier = notifier_for(parent)
    result = read_with_progress(parent, path, service.schedule)
    if result is None:
        return
    if result.errors:
        notifier.error(
            "Import refused",
            f"{path.name} has {len(result.errors)} problem(s); nothing was imported.\n\n"
            f"{issues_text(result)}",
        )
        return
    dialog = ImportPreviewDialog(
        path.name, service.schedule, result.schedule, result.warnings, parent
    )
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        delete_missing = dialog.delete_missing.isChecked()
    finally:
        dialog.deleteLater()
    # The main window collects refusals from undo and redo and explains them; elsewhere the
    # first apply's refusal is shown here.
    reporter = getattr(parent, "errors", None)
    on_error: ErrorHandler = getattr(reporter, "collect", _keep)
    command = import_command(
        service, result.schedule, delete_missing, f"Import {path.name}", on_error
    )
    undo_stack.push(command)
    if reporter is not None and hasattr(reporter, "flush"):
        reporter.flush()
    elif command.failed is not None:
        notifier.error("Import failed", str(command.failed))
