"""The Excel dialogs on a real window: export, edit, import with a preview, one undo step; a bad
workbook is refused with its sheet, row and column; cancelling leaves everything as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QFileDialog

from scheduler_app.excel import compute_changes, read_workbook
from tests.factories import small_schedule
from tests.ui.helpers import stored
from ui import import_preview
from ui.export_dialog import run_export
from ui.import_dialog import run_import
from ui.import_preview import ImportPreviewDialog, RowsModel, campaign_cells


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    return path


@dataclass
class Answers:
    """How the monkeypatched preview answers, and the dialogs it was shown."""

    accept: bool = True
    delete_missing: bool = False
    shown: list[ImportPreviewDialog] = field(default_factory=list)


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Preview dialogs are answered instead of blocking; each one is kept for inspection."""
    answers = Answers()

    def fake_exec(dialog: ImportPreviewDialog) -> int:
        answers.shown.append(dialog)
        dialog.delete_missing.setChecked(answers.delete_missing)
        accepted = QDialog.DialogCode.Accepted if answers.accept else QDialog.DialogCode.Rejected
        return int(accepted.value)

    monkeypatch.setattr(ImportPreviewDialog, "exec", fake_exec)
    return answers


def _shift_two_and_drop_one(path: Path) -> None:
    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    start = header.index("Start") + 1
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    for campaign_id in ("CMP-0001", "CMP-0003"):
        cell = sheet.cell(rows[campaign_id], start)
        cell.value = cell.value + timedelta(days=7)
    sheet.delete_rows(rows["CMP-0002"])
    book.save(path)


def test_export_then_import_is_one_undo_step(window, plan_db, save_to, previews) -> None:
    before = stored(plan_db).campaigns
    run_export(window, window.service)
    assert save_to.exists()
    assert window.notifier.messages[-1][:2] == ("info", "Export finished")
    _shift_two_and_drop_one(save_to)

    run_import(window, window.service, window.undo_stack)

    (dialog,) = previews.shown
    changed = dialog.models["changed"]
    assert changed.rowCount() == 2
    assert {changed.index(r, 0).data() for r in range(2)} == {"CMP-0001", "CMP-0003"}
    assert {changed.index(r, 1).data() for r in range(2)} == {"Start"}
    assert "(SYR)" in changed.index(0, 2).data() or "(SDO)" in changed.index(0, 2).data()
    assert dialog.models["missing"].rowCount() == 1
    assert dialog.delete_missing.isEnabled()

    after = stored(plan_db).campaigns
    assert after["CMP-0001"].start == before["CMP-0001"].start + timedelta(days=7)
    assert "CMP-0002" in after  # missing, kept: the box was not ticked
    assert window.undo_stack.count() == 1
    assert window.window_actions.undo.text().startswith("Undo Import plan.xlsx (2 changed")

    window.undo()
    assert {k: c.start for k, c in stored(plan_db).campaigns.items()} == {
        k: c.start for k, c in before.items()
    }
    window.redo()
    assert stored(plan_db).campaigns["CMP-0003"].start == before["CMP-0003"].start + timedelta(
        days=7
    )


def test_delete_missing_when_ticked_and_undo_restores(window, plan_db, save_to, previews) -> None:
    run_export(window, window.service)
    _shift_two_and_drop_one(save_to)
    previews.delete_missing = True

    run_import(window, window.service, window.undo_stack)

    assert "CMP-0002" not in stored(plan_db).campaigns
    window.undo()
    assert "CMP-0002" in stored(plan_db).campaigns
    assert "CMP-0002" in window.service.schedule.campaigns


def test_cancel_in_the_preview_changes_nothing(window, plan_db, save_to, previews) -> None:
    before = stored(plan_db).campaigns
    run_export(window, window.service)
    _shift_two_and_drop_one(save_to)
    previews.accept = False

    run_import(window, window.service, window.undo_stack)

    assert len(previews.shown) == 1
    assert stored(plan_db).campaigns == before
    assert window.undo_stack.count() == 0


def test_a_workbook_with_errors_is_refused_with_sheet_row_column(
    window, plan_db, save_to, previews
) -> None:
    run_export(window, window.service)
    book = load_workbook(save_to)
    book["Campaigns"]["B2"] = "NOPE-1"
    book.save(save_to)

    run_import(window, window.service, window.undo_stack)

    assert previews.shown == []
    kind, title, text = window.notifier.messages[-1]
    assert (kind, title) == ("error", "Import refused")
    assert "Campaigns row 2, Product ('NOPE-1'): Unknown product" in text
    assert window.undo_stack.count() == 0


def test_an_unreadable_file_is_one_message(window, save_to, previews) -> None:
    save_to.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    run_import(window, window.service, window.undo_stack)

    kind, title, text = window.notifier.messages[-1]
    assert (kind, title) == ("error", "Import failed") and ".xls" in text


def test_export_failure_is_reported(window, monkeypatch, tmp_path) -> None:
    target = tmp_path / "missing-folder" / "plan.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    run_export(window, window.service)

    kind, title, text = window.notifier.messages[-1]
    assert (kind, title) == ("error", "Export failed") and "does not exist" in text


def test_preview_models_are_sound(qtmodeltester, qtbot, tmp_path) -> None:
    from tests.factories import campaign

    current = small_schedule()
    campaign(current, "CMP-0001")
    campaign(current, "CMP-0002", start="2027-06-01")
    incoming = current.copy()
    del incoming.campaigns["CMP-0002"]
    dialog = ImportPreviewDialog("x.xlsx", current, incoming, [])
    qtbot.addWidget(dialog)
    for model in dialog.models.values():
        qtmodeltester.check(model)
    assert dialog.models["missing"].index(0, 3).data() == "2027-06-01 00:00 (SYR)"
    preview = compute_changes(current, incoming)
    model = RowsModel(import_preview.CAMPAIGN_COLUMNS, preview.missing, campaign_cells(current))
    qtmodeltester.check(model)
    dialog.delete_missing.setChecked(True)
    assert dialog.delete_missing.text() == "Delete campaigns missing from the workbook (1)"
    assert dialog.preview.delete_missing


def test_read_workbook_sees_what_export_dialog_wrote(window, save_to) -> None:
    run_export(window, window.service)
    result = read_workbook(save_to, window.service.schedule)
    assert result.errors == [] and set(result.schedule.campaigns) == set(
        window.service.schedule.campaigns
    )


def test_cancelled_export_and_import_leave_everything_as_it_was(
    window, plan_db, save_to, previews, monkeypatch
) -> None:
    from ui.excel_progress import ExcelProgress

    cancel = {"on": True}
    real_call = ExcelProgress.__call__

    def progress(self: ExcelProgress, fraction: float) -> bool:
        return real_call(self, fraction) and not (cancel["on"] and fraction > 0.5)

    monkeypatch.setattr(ExcelProgress, "__call__", progress)
    save_to.write_bytes(b"the workbook operations have open")
    messages = len(window.notifier.messages)

    run_export(window, window.service)
    assert save_to.read_bytes() == b"the workbook operations have open"
    assert len(window.notifier.messages) == messages  # a cancel is not an error

    cancel["on"] = False
    run_export(window, window.service)
    _shift_two_and_drop_one(save_to)
    cancel["on"] = True
    before = stored(plan_db).campaigns

    run_import(window, window.service, window.undo_stack)

    assert previews.shown == [] and stored(plan_db).campaigns == before
    assert window.undo_stack.count() == 0


def test_export_from_the_app_shows_slip_against_the_latest_published_plan(
    window, plan_db, save_to
) -> None:
    from datetime import timedelta as days

    from openpyxl import load_workbook

    from scheduler_app.versions import publish_plan

    publish_plan(window.service.store, reason="sent", user="ann")
    moved = window.service.schedule.campaigns["CMP-0003"]
    window.service.move_campaign("CMP-0003", start=moved.start + days(days=4))
    run_export(window, window.service)
    book = load_workbook(save_to)
    header = [cell.value for cell in book["Campaigns"][1]]
    slip = header.index("Slip (days)")
    rows = {row[0]: row for row in book["Campaigns"].iter_rows(min_row=2, values_only=True)}
    assert rows["CMP-0003"][slip] == 4
    assert "Changes since v1" in book.sheetnames
