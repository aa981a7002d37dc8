"""The New campaign dialog (issue 11): it opens on a free slot, offers valid products first and
keeps only a product whose scale fits, advises moving the new campaign (with a button that does
it), and its preview never overlaps the form. Real key and mouse events."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from scheduler_app.rules.conflict import Severity
from tests.factories import NEW_YORK, local
from ui.campaign_form import NewCampaignDialog


def open_dialog(window, qtbot, bioreactor: str, day: str, zone: str = NEW_YORK):  # type: ignore[no-untyped-def]
    dialog = NewCampaignDialog(window.service, bioreactor, local(day, zone), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def errors_of(window, dialog) -> list[str]:  # type: ignore[no-untyped-def]
    made = dialog.campaign()
    return [
        c.kind
        for c in window.service.engine.preview([made])
        if made.id in c.campaigns and c.severity is Severity.ERROR
    ]


def test_it_opens_on_the_first_free_start_not_on_a_running_campaign(window, qtbot) -> None:
    # SYR-BR501 is busy from 2027-03-01 (CMP-0001, then CMP-0002) into May.
    dialog = open_dialog(window, qtbot, "SYR-BR501", "2027-03-01")
    assert dialog.start.date() > QDate(2027, 3, 1)
    assert errors_of(window, dialog) == []
    assert "No conflicts" in dialog.preview.text() or "error" not in dialog.preview.text()


def test_switching_bioreactor_keeps_only_a_product_that_fits(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot, "SYR-BR501", "2027-09-06")
    dialog.product.setCurrentIndex(dialog.product.findData("ABX-201"))  # 5,000 and 15,000 L
    box = dialog.bioreactor
    box.setFocus()
    while box.currentData() != "SDO-SU01":  # 2,000 L: ABX-201 is not validated there
        QTest.keyClick(box, Qt.Key.Key_Down)
    assert dialog.product.currentData() == "CDX-110"
    assert "(scale not validated)" in dialog.product.itemText(dialog.product.count() - 1)


def test_advice_moves_the_new_campaign_and_the_button_applies_it(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot, "SYR-BR501", "2027-09-06")
    line = dialog.start.line
    line.setFocus()
    QTest.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(line, "2027-03-10")  # on top of CMP-0001
    text = dialog.preview.text()
    assert f"Move {dialog.campaign_id} to start on or after" in text
    assert "move CMP-0001" not in text.lower() and "move CMP-0002" not in text.lower()
    assert dialog.use_free.isVisible()
    QTest.mouseClick(dialog.use_free, Qt.MouseButton.LeftButton)
    assert errors_of(window, dialog) == []
    assert not dialog.use_free.isVisible()


def test_a_long_preview_scrolls_instead_of_overlapping_the_form(window, qtbot) -> None:
    dialog = open_dialog(window, qtbot, "SYR-BR501", "2027-09-06")
    dialog.preview.setText("\n".join(f"• conflict line {n}" for n in range(40)))
    qtbot.wait(20)
    notes_bottom = dialog.notes.mapTo(dialog, dialog.notes.rect().bottomLeft()).y()
    area_top = dialog.preview_area.mapTo(dialog, dialog.preview_area.rect().topLeft()).y()
    assert notes_bottom < area_top
    assert dialog.preview_area.height() <= 180
