"""Typed and pasted dates are taken as typed (issue 11: select-all + "2027-04-05" used to give
2026-04-05), and a start in the past asks first. Driven by real key and mouse events."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.factories import NEW_YORK, SEOUL, local
from tests.ui.helpers import stored
from ui.campaign_form import NewCampaignDialog
from ui.date_field import DateField


def type_over(field: DateField, text: str) -> None:
    """Select everything in the field and type ``text`` key by key, then leave with Tab."""
    field.line.setFocus()
    QTest.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.line, text)


def open_dialog(window, qtbot, bioreactor: str = "SDO-SU01", day: str = "2027-09-06"):  # type: ignore[no-untyped-def]
    dialog = NewCampaignDialog(
        window.service,
        bioreactor,
        local(day, SEOUL),
        window,
        confirm=window.notifier.confirm,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_select_all_and_type_a_date_gives_that_date(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    type_over(dialog.start, "2027-04-05")
    assert dialog.start.date() == QDate(2027, 4, 5)
    QTest.keyClick(dialog.start.line, Qt.Key.Key_Tab)
    made = dialog.campaign()
    assert made is not None and made.start == local("2027-04-05", SEOUL)
    assert "Ends 2027-" in dialog.preview.text()


def test_typing_over_the_year_part_changes_only_the_year(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    line = dialog.start.line
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_Home)
    for _ in range(4):
        QTest.keyClick(line, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(line, "2028")
    assert dialog.start.date() == QDate(2028, 9, 6)


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [("5 Apr 2027", QDate(2027, 4, 5)), ("2027/04/05", QDate(2027, 4, 5)),
     (" 2027-04-05 ", QDate(2027, 4, 5)), ("4/5/2027", QDate(2027, 4, 5))],
)  # fmt: skip
def test_a_pasted_date_is_read_whole(window, qtbot, pasted: str, expected: QDate) -> None:
    dialog = open_dialog(window, qtbot)
    QGuiApplication.clipboard().setText(pasted)
    line = dialog.start.line
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.start.date() == expected
    QTest.keyClick(line, Qt.Key.Key_Tab)
    assert line.text() == expected.toString("yyyy-MM-dd")


def test_text_that_is_not_a_date_blocks_create_and_says_why(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    type_over(dialog.start, "2027-13-05")
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not create.isEnabled()
    assert "not a real date" in dialog.preview.text()
    assert dialog.start.line.property("invalid") is True
    for _ in range(5):
        QTest.keyClick(dialog.start.line, Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.start.line, "12-04")
    assert create.isEnabled() and dialog.start.date() == QDate(2027, 12, 4)


def test_up_and_down_step_a_day(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    dialog.start.line.setFocus()
    QTest.keyClick(dialog.start.line, Qt.Key.Key_Up)
    QTest.keyClick(dialog.start.line, Qt.Key.Key_Up)
    QTest.keyClick(dialog.start.line, Qt.Key.Key_Down)
    assert dialog.start.date() == QDate(2027, 9, 7)


def test_a_start_in_the_past_asks_before_creating(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    past = date.today() - timedelta(days=40)
    type_over(dialog.start, past.isoformat())
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    window.notifier.answer = False
    QTest.mouseClick(create, Qt.MouseButton.LeftButton)
    kind, title, text = window.notifier.messages[-1]
    assert (kind, title) == ("confirm", "Start in the past")
    assert past.isoformat() in text and "before today" in text
    assert dialog.isVisible() and dialog.result() == 0
    window.notifier.answer = True
    QTest.mouseClick(create, Qt.MouseButton.LeftButton)
    assert dialog.result() == NewCampaignDialog.DialogCode.Accepted


def test_a_future_start_does_not_ask(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot)
    QTest.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == NewCampaignDialog.DialogCode.Accepted
    assert window.notifier.messages == []


def test_inspector_takes_a_typed_start_and_due_and_applies(window, qtbot, plan_db) -> None:
    window.show_campaigns(["CMP-0001"])
    inspector = window.inspector
    type_over(inspector.start, "2027-03-08")
    inspector.has_due.setChecked(True)
    type_over(inspector.due, "30 Jun 2027")
    assert inspector.apply_button.isEnabled()
    QTest.mouseClick(inspector.apply_button, Qt.MouseButton.LeftButton)
    saved = stored(plan_db).campaigns["CMP-0001"]
    assert saved.start == local("2027-03-08", NEW_YORK)
    assert saved.due == date(2027, 6, 30)
    assert window.notifier.messages == []


def test_inspector_refuses_a_half_typed_date(window, qtbot) -> None:
    window.show_campaigns(["CMP-0001"])
    inspector = window.inspector
    type_over(inspector.start, "2027-03-")
    assert "Start:" in inspector.problems.text()
    assert not inspector.apply_button.isEnabled()


def test_inspector_moving_a_start_into_the_past_asks(window, qtbot, plan_db) -> None:
    window.show_campaigns(["CMP-0001"])
    inspector = window.inspector
    past = (datetime.now() - timedelta(days=400)).date()
    type_over(inspector.start, past.isoformat())
    window.notifier.answer = False
    QTest.mouseClick(inspector.apply_button, Qt.MouseButton.LeftButton)
    assert window.notifier.messages[-1][1] == "Start in the past"
    assert stored(plan_db).campaigns["CMP-0001"].start == local("2027-03-01", NEW_YORK)
