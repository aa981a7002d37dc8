"""Products, equipment, sites and changeovers edited in the app: a cell edit is one undo step
through the service, conflicts follow at once, a bad value is refused and the cell put back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.helpers import stored
from ui.master_data_dialog import MasterDataDialog


def _cell(table, row_code: str, header: str):  # type: ignore[no-untyped-def]
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    cols = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return rows.index(row_code), cols.index(header)


def _type_into(dialog, table, row: int, col: int, text: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog.tabs.setCurrentWidget(table)
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editor = table.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Tab)  # leaving the cell commits it


def test_product_equipment_and_site_edits_are_undo_steps(window, plan_db, qtbot) -> None:
    dialog = MasterDataDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    row, col = _cell(dialog.products, "ABX-201", "Changeover days")
    _type_into(dialog, dialog.products, row, col, "14", qtbot)
    assert stored(plan_db).products["ABX-201"].changeover_days == 14
    row, col = _cell(dialog.equipment, "SYR-BR501", "Available from")
    _type_into(dialog, dialog.equipment, row, col, "2027-06-01", qtbot)
    assert stored(plan_db).bioreactors["SYR-BR501"].available_from == date(2027, 6, 1)
    assert any(c.kind == "unavailable" for c in window.service.engine.conflicts)
    row, col = _cell(dialog.sites, "SDO", "Name")
    _type_into(dialog, dialog.sites, row, col, "Songdo Plant 1", qtbot)
    assert stored(plan_db).sites["SDO"].name == "Songdo Plant 1"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert stored(plan_db).bioreactors["SYR-BR501"].available_from is None
    assert not any(c.kind == "unavailable" for c in window.service.engine.conflicts)
    row, col = _cell(dialog.equipment, "SYR-BR501", "Available from")
    assert dialog.equipment.item(row, col).text() == ""  # the table follows the undo
    window.undo_stack.undo()
    assert stored(plan_db).products["ABX-201"].changeover_days == 10


def test_a_bad_value_is_refused_and_the_cell_put_back(window, plan_db, qtbot) -> None:
    dialog = MasterDataDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    row, col = _cell(dialog.products, "ABX-201", "Batch days")
    _type_into(dialog, dialog.products, row, col, "0", qtbot)
    assert stored(plan_db).products["ABX-201"].batch_days == 14
    assert dialog.products.item(row, col).text() == "14"
    assert "Batch days of ABX-201 must be at least 1" in window.notifier.messages[-1][2]
    row, col = _cell(dialog.changeovers, "ABX-201", "CDX-110")
    _type_into(dialog, dialog.changeovers, row, col, "21", qtbot)
    assert stored(plan_db).changeovers[("ABX-201", "CDX-110")] == 21
