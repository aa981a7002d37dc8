"""Reason for change: moving, resizing, editing or deleting a Confirmed campaign asks why (a drop
included); Esc cancels the change and the block stays; the reason lands in the audit row; a menu
setting asks for every change; the status bar names the recorded user."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from scheduler_app import audit_query
from scheduler_app.audit_query import AuditQuery
from scheduler_app.localtime import to_epoch
from tests.ui.helpers import stored
from tests.ui.timeline.mouse import drag, point_at
from ui.notify import Notifier
from ui.reason_dialog import ReasonDialog


def test_reason_dialog_applies_only_with_text_and_esc_cancels(qtbot) -> None:
    dialog = ReasonDialog("Reason for change", "Moving CMP-0001.")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.reason_box
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    QTest.keyClick(box, Qt.Key.Key_Return)  # nothing typed: still asking
    assert dialog.isVisible() and dialog.result() == 0
    QTest.keyClicks(box, "Client slipped the PPQ")
    assert ok.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert dialog.reason() == "Client slipped the PPQ"

    again = ReasonDialog("Reason for change", "Moving CMP-0001.")
    qtbot.addWidget(again)
    again.show()
    assert again.reason_box.itemText(0) == "Client slipped the PPQ"  # offered for reuse
    with qtbot.waitSignal(again.rejected):
        QTest.keyClick(again.reason_box, Qt.Key.Key_Escape)


def _confirm(window, key: str) -> None:  # type: ignore[no-untyped-def]
    window.service.edit_campaign(key, status="Confirmed")


def _drag_by_days(window, key: str, days: float) -> None:  # type: ignore[no-untyped-def]
    timeline = window.timeline
    campaign = window.service.schedule.campaigns[key]
    timeline.set_visible_range(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC))
    timeline.scroll_to(key)
    row = timeline.layout.bioreactor_row[campaign.bioreactor] + 0.5
    middle = (
        to_epoch(campaign.start) + to_epoch(window.service.schedule.campaign_end(campaign))
    ) / 2
    start = point_at(timeline, middle, row)
    end = point_at(timeline, middle + days * 86_400, row)
    drag(timeline, start, end)


def test_dropping_a_confirmed_campaign_asks_why_and_records_it(window, plan_db) -> None:  # type: ignore[no-untyped-def]
    _confirm(window, "CMP-0003")
    before = window.service.schedule.campaigns["CMP-0003"]
    window.notifier.reasons = ["Client moved the fill date"]
    _drag_by_days(window, "CMP-0003", 30)
    asked = [m for m in window.notifier.messages if m[0] == "reason"]
    assert len(asked) == 1 and "CMP-0003 is Confirmed" in asked[0][2]
    saved = stored(plan_db).campaigns["CMP-0003"]
    assert 25 <= (saved.start - before.start).days <= 35
    rows = audit_query.entries(window.service.store, AuditQuery(campaign="CMP-0003", limit=3))
    assert rows[0].action == "move" and rows[0].reason == "Client moved the fill date"
    # The History panel shows it too.
    window.history_dock.show()
    window.history_dock.raise_()
    window.show_campaigns(["CMP-0003"])
    assert window.history.model.lines[0].entry.reason == "Client moved the fill date"


def test_esc_in_the_real_dialog_cancels_the_drop(window, plan_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    _confirm(window, "CMP-0003")
    window.notifier = Notifier(window)  # the real dialog this time
    before = window.service.schedule.campaigns["CMP-0003"]
    slot = window.timeline.arrays.slot_of["CMP-0003"]
    shown_start = float(window.timeline.arrays.start[slot])
    seen: list[str] = []

    def press_escape() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        seen.append(dialog.message.text())
        QTest.keyClick(dialog.reason_box, Qt.Key.Key_Escape)

    QTimer.singleShot(100, press_escape)
    _drag_by_days(window, "CMP-0003", 30)
    assert seen and "Esc cancels the change" in seen[0]
    assert stored(plan_db).campaigns["CMP-0003"] == before
    assert window.service.schedule.campaigns["CMP-0003"] == before
    assert float(window.timeline.arrays.start[slot]) == shown_start  # the block is back
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.undo_stack.canUndo()


def test_a_planned_campaign_moves_without_a_question(window, plan_db) -> None:  # type: ignore[no-untyped-def]
    before = window.service.schedule.campaigns["CMP-0003"]
    _drag_by_days(window, "CMP-0003", 20)
    assert not [m for m in window.notifier.messages if m[0] == "reason"]
    assert stored(plan_db).campaigns["CMP-0003"].start > before.start


def test_the_setting_asks_for_every_change_and_is_shared(window, open_window, plan_db) -> None:  # type: ignore[no-untyped-def]
    action = window.window_actions.require_reason
    assert not action.isChecked()
    action.trigger()
    assert window.service.require_reason
    window.notifier.reasons = [None]  # the planner cancels
    assert not window.resize_campaign("CMP-0001", 3)
    assert stored(plan_db).campaigns["CMP-0001"].batches == 2
    window.notifier.reasons = ["Client asked for a third batch"]
    assert window.resize_campaign("CMP-0001", 3)
    assert stored(plan_db).campaigns["CMP-0001"].batches == 3
    other = open_window(plan_db)
    assert other.window_actions.require_reason.isChecked()


def test_status_bar_names_the_recorded_user(window) -> None:  # type: ignore[no-untyped-def]
    assert window.user_label.text() == f"User: {window.service.user}"
    assert window.user_label.isVisible()
    assert window.owner_label.isHidden()  # SQLite: no database roles to warn about


def test_refusals_say_what_kind_and_that_nothing_changed(window) -> None:  # type: ignore[no-untyped-def]
    from scheduler_app.errors import LockedError, ReasonRequiredError

    window.errors.report(
        LockedError("CMP-0004 is In progress and locked: its start cannot change.")
    )
    window.errors.report(ReasonRequiredError("CMP-0003 is Confirmed: a change needs a reason."))
    titles = [(kind, title) for kind, title, _ in window.notifier.messages[-2:]]
    assert titles == [("error", "Campaign is locked"), ("error", "A reason is needed")]
    assert all(text.endswith("Nothing was changed.") for _, _, text in window.notifier.messages)
