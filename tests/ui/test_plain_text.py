"""Issue 13.3: planner and Excel text is shown as text, never as markup. A product named
``<img src="/dev/zero">`` made the app abort as soon as one of its campaigns was selected; a
Campaign ID ``<b>CMP-X</b>`` showed bold in the inspector, the conflicts tooltip and dialogs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign
from tests.ui.helpers import planning_schedule
from ui.plain_text import message_box, plain_tooltip

BOMB = '<img src="/dev/zero">'
BOLD_ID = "<b>CMP-X</b>"


def _hostile_db(path: Path) -> Path:
    schedule = planning_schedule()
    product = schedule.products["ABX-201"]
    schedule.products[product.code] = dataclasses.replace(
        product, name=BOMB, client="<h1>Client</h1>"
    )
    campaign(schedule, BOLD_ID, start="2027-03-05", batches=1, notes="<i>note</i>")
    store = Store.open(path)
    try:
        ScheduleService(store).apply_schedule(schedule, action="demo", description="hostile")
    finally:
        store.close()
    return path


def test_selecting_a_campaign_with_markup_in_its_names_shows_them_literally(
    open_window, tmp_path: Path
) -> None:
    window = open_window(_hostile_db(tmp_path / "hostile.sqlite"))
    window.show_campaigns([BOLD_ID])
    inspector = window.inspector
    window.grab()  # paints every label: an <img> read as HTML would load /dev/zero here

    assert inspector.title.text() == BOLD_ID
    assert BOMB in inspector.subtitle.text() and "<h1>Client</h1>" in inspector.subtitle.text()
    for label in window.findChildren(QLabel):
        if "<" in label.text() and label.textFormat() != Qt.TextFormat.PlainText:
            raise AssertionError(f"{label.objectName() or label} shows markup: {label.text()!r}")
    assert "CMP-X" in inspector.conflicts.text()


def test_conflict_tooltips_show_ids_as_typed(open_window, tmp_path: Path) -> None:
    window = open_window(_hostile_db(tmp_path / "hostile.sqlite"))
    model = window.conflicts_model
    tips = [
        model.data(model.index(row, 0, QModelIndex()), Qt.ItemDataRole.ToolTipRole)
        for row in range(model.rowCount())
    ]
    mine = [tip for tip in tips if "CMP-X" in tip]
    assert mine, tips
    for tip in mine:
        assert "&lt;b&gt;CMP-X&lt;/b&gt;" in tip and "<b>" not in tip
        assert tip.startswith("<qt>")


def test_plain_tooltip_keeps_line_breaks_and_escapes() -> None:
    assert plain_tooltip("a <b>\nb & c") == "<qt>a &lt;b&gt;<br>b &amp; c</qt>"
    assert plain_tooltip("") == "" and plain_tooltip(None) is None


def test_message_boxes_show_plain_text(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[Qt.TextFormat, str]] = []

    def exec_(box: QMessageBox) -> int:
        seen.append((box.textFormat(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    from ui.notify import Notifier

    Notifier(None).error("Refused", f"{BOLD_ID} was changed by {BOMB}")
    message_box(None, QMessageBox.Icon.Critical, "t", BOMB)
    assert seen == [
        (Qt.TextFormat.PlainText, f"{BOLD_ID} was changed by {BOMB}"),
        (Qt.TextFormat.PlainText, BOMB),
    ]
