"""The History dock: a correct Qt model (qtmodeltester), the selected campaign's trail and the
whole log, filters, export, and rows arriving on top when a change is made."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from scheduler_app import audit_query
from scheduler_app.audit_query import AuditQuery
from scheduler_app.ids import BioreactorCode
from scheduler_app.storage.audit import AuditEntry
from tests.factories import local, small_schedule
from ui.history_model import CHANGE, REASON, WHEN_LOCAL, WHEN_UTC, WHO, HistoryModel


def _entry(entry_id: int, key: str, field: str | None, old: str | None, new: str | None):  # type: ignore[no-untyped-def]
    return AuditEntry(
        entry_id,
        datetime(2027, 3, 1, 15, 0),
        "kim",
        "app",
        "move",
        "campaign",
        key,
        field,
        old,
        new,
        "Client asked" if entry_id == 2 else None,
        f"cs{entry_id:030d}",
    )


def test_model_passes_qtmodeltester_and_inserts_new_rows_on_top(qtmodeltester, qtbot) -> None:
    from tests.factories import campaign

    schedule = small_schedule()
    campaign(schedule, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01")
    lines = [
        audit_query.line(
            schedule, _entry(2, "CMP-0001", "start", "2027-03-01T15:00:00Z", "2027-03-08T15:00:00Z")
        ),
        audit_query.line(schedule, _entry(1, "CMP-0001", None, None, "ABX-201 on SDO-BR1501")),
    ]
    model = HistoryModel()
    model.set_lines(lines)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    # 15:00 UTC is midnight the next day in Seoul; the row says so, with the site.
    assert model.index(0, WHEN_LOCAL).data() == "2027-03-02 00:00 SDO"
    assert model.index(0, WHEN_UTC).data() == "2027-03-01 15:00"
    assert model.index(0, WHO).data() == "kim"
    assert model.index(0, CHANGE).data() == "2027-03-02 00:00 → 2027-03-09 00:00"
    assert "As recorded: 2027-03-01T15:00:00Z" in model.index(0, CHANGE).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(0, REASON).data() == "Client asked"

    newer = audit_query.line(schedule, _entry(3, "CMP-0001", "batches", "2", "3"))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.set_lines([newer, *lines])
    assert inserted.args[1:] == [0, 0]
    assert model.index(0, CHANGE).data() == "2 → 3"
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.modelReset):
        model.set_lines(lines[1:])
    assert model.rowCount() == 1


def _choose(qtbot, box, value: str) -> None:  # type: ignore[no-untyped-def]
    """Step a closed combo box with Up/Down until it shows ``value`` (each step is applied)."""
    box.setFocus()
    wanted = box.findData(value)
    assert wanted >= 0
    while box.currentIndex() != wanted:
        key = Qt.Key.Key_Down if box.currentIndex() < wanted else Qt.Key.Key_Up
        qtbot.keyClick(box, key)


def _click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))


def test_history_follows_the_selection_and_the_whole_log(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    history = window.history
    window.history_dock.show()
    window.history_dock.raise_()
    qtbot.waitUntil(history.isVisible)
    assert history.placeholder.text() == "Select a campaign to see its history."

    window.show_campaigns(["CMP-0002"])
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)
    assert {line.entry.key for line in history.model.lines} == {"CMP-0002"}
    assert history.model.lines[0].field == "created"

    # A move made in this window arrives on top, with who and what.
    before = history.model.rowCount()
    assert window.move_campaigns([("CMP-0002", local("2027-04-09"), "SYR-BR501")])
    assert history.model.rowCount() == before + 1
    top = history.model.lines[0]
    assert (top.entry.user, top.entry.action, top.field) == (window.service.user, "move", "start")

    _click(qtbot, history.all_button)
    assert history.whole_log
    keys = {line.entry.key for line in history.model.lines}
    assert {"CMP-0001", "CMP-0002", "ABX-201"} <= keys
    _click(qtbot, history.selected_button)
    assert {line.entry.key for line in history.model.lines} == {"CMP-0002"}


def test_filters_by_user_action_and_day(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    history = window.history
    window.history_dock.show()
    window.history_dock.raise_()
    history.show_whole_log(True)
    other = Store.open(window.service.store.url)
    try:
        kim = ScheduleService(other, user="kim")
        kim.move_campaign("CMP-0001", bioreactor=BioreactorCode("SDO-BR1501"))
    finally:
        other.close()
    window.service.reload()  # what the live sync does; the panel follows the change set
    qtbot.waitUntil(lambda: history.user.findData("kim") >= 0)

    # Filters picked with the keyboard, as a planner tabbing through the bar would.
    _choose(qtbot, history.user, "kim")
    assert history.model.rowCount() >= 1
    assert {line.entry.user for line in history.model.lines} == {"kim"}
    _choose(qtbot, history.action, "demo")
    assert history.model.rowCount() == 0
    assert "No changes in the log match" in history.placeholder.text()
    _choose(qtbot, history.user, "")
    assert history.model.rowCount() > 0
    _choose(qtbot, history.action, "")

    # From tomorrow (UTC) on there is nothing yet; ticking the box with the mouse applies it.
    tomorrow = datetime.now(UTC).date().toordinal() + 1
    from datetime import date

    from PySide6.QtCore import QDate

    day = date.fromordinal(tomorrow)
    history.since.setDate(QDate(day.year, day.month, day.day))
    _click(qtbot, history.use_since)
    assert history.use_since.isChecked()
    assert history.model.rowCount() == 0
    _click(qtbot, history.use_since)
    assert history.model.rowCount() > 0


def test_export_writes_what_the_filters_select(window, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    history = window.history
    window.history_dock.show()
    window.history_dock.raise_()
    window.show_campaigns(["CMP-0003"])
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)
    target = tmp_path / "out" / "history"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _click(qtbot, history.export_button)
    written = target.with_name("history.xlsx")
    assert written.exists()
    rows = list(openpyxl.load_workbook(written, read_only=True).worksheets[0].iter_rows())
    expected = audit_query.entries(
        window.service.store, AuditQuery(campaign="CMP-0003", limit=None)
    )
    assert len(rows) == len(expected) + 1
    assert {row[5].value for row in rows[1:]} == {"CMP-0003"}
    assert window.notifier.messages[-1][1] == "History exported"


def test_double_click_on_a_row_shows_its_campaign(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    history = window.history
    window.history_dock.show()
    window.history_dock.raise_()
    history.show_whole_log(True)
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)
    row = next(i for i, line in enumerate(history.model.lines) if line.entry.key == "CMP-0003")
    table = history.table
    table.scrollTo(history.model.index(row, 0))
    rect = table.visualRect(history.model.index(row, 2))
    # A real double click: press and release, the double-click press, and its release.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # The second release, so that Qt does not think the button is still held afterwards.
    qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.timeline.selected_ids() == ["CMP-0003"]
