"""File → Import Excel…: choose a workbook, read it with progress, preview, apply as one undo step.

Problems in the workbook are listed (sheet, row, column, value, message) and nothing is applied.
Applying goes through ``ScheduleService.apply_schedule`` (one transaction, one audited change
set); the undo step then replays only campaigns, through ``replace_campaigns``, after → before.
Master data and maintenance windows an import changed stay changed on undo.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from scheduler_app.errors import SchedulerError
from scheduler_app.excel import ExcelCancelled, ExcelError, ImportResult, read_workbook
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from ui.commands import CampaignsCommand, ErrorHandler, _keep
from ui.excel_progress import ExcelProgress
from ui.export_dialog import notifier_for
from ui.import_preview import ImportPreviewDialog

FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
SHOWN_ISSUES = 25


class ImportCommand(CampaignsCommand):
    """The first ``redo()`` applies the incoming schedule and remembers the campaign pairs it
    changed; later redos and undos replace those campaigns like any other command."""

    def __init__(
        self,
        service: ScheduleService,
        incoming: Schedule,
        delete_missing: bool,
        text: str,
        on_error: ErrorHandler = _keep,
    ) -> None:
        super().__init__(service, [], text, "import", on_error)
        self.incoming = incoming
        self.delete_missing = delete_missing
        self.applied = False

    def redo(self) -> None:
        if self.applied:
            super().redo()
            return
        try:
            change_set = self.service.apply_schedule(
                self.incoming, delete_missing=self.delete_missing, description=self.text()
            )
        except SchedulerError as error:
            self.failed = error
            self.setObsolete(True)
            self.on_error(error)
            return
        self.applied = True
        self.pairs = [(change.before, change.after) for change in change_set.changes]
        self.setText(change_set.description)


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
    command = ImportCommand(
        service, result.schedule, delete_missing, f"Import {path.name}", on_error
    )
    undo_stack.push(command)
    if reporter is not None and hasattr(reporter, "flush"):
        reporter.flush()
    elif command.failed is not None:
        notifier.error("Import failed", str(command.failed))
