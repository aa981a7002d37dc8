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


def _master(window, qtbot) -> MasterDataDialog:  # type: ignore[no-untyped-def]
    dialog = MasterDataDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    QTest.keyClicks(widget, text)


def test_a_new_product_typed_in_the_form_is_one_undo_step(window, plan_db, qtbot) -> None:
    master = _master(window, qtbot)
    QTest.mouseClick(master.new_buttons["product"], Qt.MouseButton.LeftButton)
    form = master.new_dialog
    assert form is not None and form.isVisible()
    assert not form.create_button.isEnabled() and "needs a code" in form.problem.text()
    _type(form.code, "ABX-201")
    assert "already a product ABX-201" in form.problem.text()
    form.code.clear()
    _type(form.code, "ZNT-300")
    _type(form.name, "Zentamab")
    assert "validated scale" in form.problem.text() and not form.create_button.isEnabled()
    _type(form.scales, "5000; 15000")
    site = form.sites.item(1)
    site.setCheckState(Qt.CheckState.Checked)
    assert form.problem.text() == "" and form.create_button.isEnabled()
    QTest.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    made = stored(plan_db).products["ZNT-300"]
    assert (made.name, made.validated_scales_l, made.qualified_sites) == (
        "Zentamab",
        (5000, 15000),
        (site.data(Qt.ItemDataRole.UserRole),),
    )
    rows = [master.products.verticalHeaderItem(r).text() for r in range(master.products.rowCount())]
    assert "ZNT-300" in rows and master.products.currentRow() == rows.index("ZNT-300")
    assert window.undo_stack.undoText() == "New product ZNT-300"
    window.undo_stack.undo()
    assert "ZNT-300" not in stored(plan_db).products
    window.undo_stack.redo()
    assert stored(plan_db).products["ZNT-300"] == made


def test_a_new_bioreactor_in_a_new_suite_then_deleted_and_undone(window, plan_db, qtbot) -> None:
    master = _master(window, qtbot)
    form = master.open_new("bioreactor")
    _type(form.code, "SYR-BR506")
    form.site.setCurrentIndex(form.site.findData("SYR"))
    form.suite.setEditText("")
    _type(form.suite.lineEdit(), "SYR-S9")
    form.volume.setValue(15000)
    form.kind.setCurrentText("Single-use")
    assert form.create_button.isEnabled(), form.problem.text()
    assert form.note.text() == "A new suite SYR-S9 is made at SYR with it."
    QTest.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    fresh = stored(plan_db)
    assert fresh.suites["SYR-S9"].site == "SYR"
    assert fresh.bioreactors["SYR-BR506"].working_volume_l == 15000
    assert master.tabs.currentWidget() is master.equipment
    assert master.delete_button.text() == "Delete bioreactor…"
    QTest.mouseClick(master.delete_button, Qt.MouseButton.LeftButton)
    assert window.notifier.messages[-1][:2] == ("confirm", "Delete bioreactor")
    assert "SYR-BR506" not in stored(plan_db).bioreactors
    window.undo_stack.undo()
    assert stored(plan_db).bioreactors["SYR-BR506"].working_volume_l == 15000
    window.undo_stack.undo()
    assert "SYR-BR506" not in stored(plan_db).bioreactors
    assert "SYR-S9" not in stored(plan_db).suites


def test_deleting_a_product_in_use_is_refused_naming_the_campaigns(window, plan_db, qtbot) -> None:
    master = _master(window, qtbot)
    master.tabs.setCurrentWidget(master.products)
    row, _ = _cell(master.products, "ABX-201", "Name")
    master.products.selectRow(row)
    before = stored(plan_db)
    QTest.mouseClick(master.delete_button, Qt.MouseButton.LeftButton)
    kind, title, text = window.notifier.messages[-1]
    assert kind == "error"
    assert "Product ABX-201 is still used by campaigns CMP-0001" in text
    assert stored(plan_db) == before
    assert window.undo_stack.count() == 0
