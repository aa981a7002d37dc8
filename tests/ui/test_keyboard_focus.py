"""Keyboard and focus (issue 11): the conflicts table is one Tab stop, Tab reaches the inspector,
Tab leaves Notes without typing a tab, Enter applies. Real key events."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.factories import NEW_YORK, local
from tests.ui.helpers import stored


def focus_window(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_tab_leaves_the_conflicts_table_for_the_inspector(window, qtbot) -> None:
    focus_window(window, qtbot)
    window.show_campaigns(["CMP-0001"])
    table = window.conflicts_panel.table
    table.setFocus()
    assert table.model().rowCount() >= 1
    QTest.keyClick(table, Qt.Key.Key_Down)  # arrows move between rows
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.inspector.product


def test_tab_in_notes_moves_on_and_saves_no_tab(window, qtbot, plan_db) -> None:
    focus_window(window, qtbot)
    window.show_campaigns(["CMP-0001"])
    notes = window.inspector.notes
    notes.setFocus()
    QTest.keyClicks(notes, "Check media")
    QTest.keyClick(notes, Qt.Key.Key_Tab)
    assert "\t" not in notes.toPlainText()
    assert QApplication.focusWidget() is not notes
    QTest.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored(plan_db).campaigns["CMP-0001"].notes == "Check media"


def test_enter_in_a_field_applies(window, qtbot, plan_db) -> None:
    focus_window(window, qtbot)
    window.show_campaigns(["CMP-0001"])
    inspector = window.inspector
    line = inspector.start.line
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(line, "2027-03-15")
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert stored(plan_db).campaigns["CMP-0001"].start == local("2027-03-15", NEW_YORK)
    inspector.batches.setFocus()
    QTest.keyClick(inspector.batches, Qt.Key.Key_Up)
    QTest.keyClick(inspector.batches, Qt.Key.Key_Enter)
    assert stored(plan_db).campaigns["CMP-0001"].batches == 3


def test_enter_in_notes_is_a_new_line_not_apply(window, qtbot, plan_db) -> None:
    focus_window(window, qtbot)
    window.show_campaigns(["CMP-0001"])
    notes = window.inspector.notes
    notes.setFocus()
    QTest.keyClicks(notes, "one")
    QTest.keyClick(notes, Qt.Key.Key_Return)
    QTest.keyClicks(notes, "two")
    assert notes.toPlainText() == "one\ntwo"
    assert stored(plan_db).campaigns["CMP-0001"].notes == ""
