"""Capacity per site, suite or bioreactor (issue 11): the level is a choice in the dock, the
figures take maintenance off the available days, and the Excel export follows the level.

The test schedule (tests/ui/helpers.py): CMP-0001, two 14-day batches with 2 days between them
from 1 March 2027 on SYR-BR501 (5,000 L): 30 days and 10,000 L in March."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scheduler_app.capacity import Level
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from tests.factories import local
from ui.capacity_view import export_capacity

MARCH = date(2027, 3, 1)


def _open_capacity(window, qtbot):  # type: ignore[no-untyped-def]
    window.window_actions.capacity.trigger()
    view = window.capacity
    qtbot.waitUntil(lambda: view.isVisible() and bool(view.figures), timeout=3000)
    return view


def _pick_level(view, qtbot, level: Level) -> None:  # type: ignore[no-untyped-def]
    """Choose the level with the keyboard, as a planner would: focus the box, arrow keys."""
    box = view.level_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    QTest.keyClick(box, Qt.Key.Key_Home)
    for _ in range(list(Level).index(level)):
        QTest.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: view.level is level, timeout=2000)


def test_the_level_choice_redraws_per_bioreactor_and_per_suite(window, qtbot) -> None:
    view = _open_capacity(window, qtbot)
    assert list(view.figures) == ["SYR", "SDO"]
    _pick_level(view, qtbot, Level.BIOREACTOR)
    assert list(view.figures) == ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
    march = next(row for row in view.figures["SYR-BR501"] if row.month == MARCH)
    assert (march.available_days, march.occupied_days, march.booked_litres) == (31, 30, 10000)
    assert view.grid.rowCount() == 3 and view.grid.verticalHeaderItem(2).text() == "SDO-SU01"
    _pick_level(view, qtbot, Level.SUITE)
    assert list(view.figures) == ["SYR-S1", "SDO-S1"]
    assert view.table_headers()[:3] == ["Suite", "Site", "Month"]


def test_a_shutdown_added_and_deleted_is_followed_in_the_available_days(window, qtbot) -> None:
    view = _open_capacity(window, qtbot)
    window.service.add_window(
        MaintenanceWindow(SiteCode("SYR"), local("2027-03-20"), local("2027-03-27"), "Shutdown")
    )
    march = next(row for row in view.figures["SYR"] if row.month == MARCH)
    assert march.available_days == 24 and march.down_days == 7
    assert round(march.utilisation_pct or 0, 1) == 125.0  # 30 of 24 days: over-booked
    window.service.delete_window(window.service.schedule.maintenance[-1])
    march = next(row for row in view.figures["SYR"] if row.month == MARCH)
    assert march.available_days == 31 and march.down_days == 0


def test_the_excel_export_follows_the_level(window, qtbot, tmp_path: Path) -> None:
    view = _open_capacity(window, qtbot)
    window.service.add_window(
        MaintenanceWindow(
            SiteCode("SYR"),
            local("2027-03-20"),
            local("2027-03-27"),
            "PM",
            bioreactor=BioreactorCode("SYR-BR501"),
        )  # fmt: skip
    )
    _pick_level(view, qtbot, Level.BIOREACTOR)
    path = tmp_path / "capacity.xlsx"
    export_capacity(view, str(path))
    rows = list(openpyxl.load_workbook(path)["Capacity"].iter_rows(values_only=True))
    assert rows[0] == (
        "Bioreactor", "Site", "Month", "Available days", "Maintenance days", "Occupied days",
        "Utilisation %", "Booked litres",
    )  # fmt: skip
    assert ("SYR-BR501", "SYR", "2027-03", 24, 7, 30, 125, 10000) in rows
    assert {row[0] for row in rows[1:]} == {"SYR-BR501", "SDO-BR1501", "SDO-SU01"}


def test_per_bioreactor_the_grid_shows_the_months_of_the_timeline_range(window, qtbot) -> None:
    view = _open_capacity(window, qtbot)
    _pick_level(view, qtbot, Level.BIOREACTOR)
    window.timeline.set_visible_range(
        datetime(2027, 2, 10, tzinfo=UTC), datetime(2027, 5, 20, tzinfo=UTC)
    )
    grid = view.grid
    headers = ["Feb 27", "Mar 27", "Apr 27", "May 27"]

    def shown() -> list[str]:
        return [grid.horizontalHeaderItem(i).text() for i in range(grid.columnCount())]

    qtbot.waitUntil(lambda: shown() == headers, timeout=3000)
    assert grid.isVisible() and not view.graphics.isVisible()
    rows = [grid.verticalHeaderItem(i).text() for i in range(grid.rowCount())]
    assert rows == ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
    assert grid.item(0, 1).text() == f"{100 * 30 / 31:.0f}"  # SYR-BR501 in March: 30 of 31 days
    assert grid.item(0, 0).text() == "0"  # February: no booking, and outside the bookings' span
    _pick_level(view, qtbot, Level.SITE)
    assert view.graphics.isVisible() and not grid.isVisible()
    left, right = view.utilisation.viewRange()[0]  # the chart keeps the timeline's range
    assert abs(left - datetime(2027, 2, 10, tzinfo=UTC).timestamp()) < 86_400
