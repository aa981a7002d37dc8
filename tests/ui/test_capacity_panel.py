"""Capacity in the window (issue 11): the toolbar button brings the tab to the front, the chart
follows the timeline's range, and the table exports to Excel."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabBar

from ui.capacity_view import export_capacity


def test_the_toolbar_button_raises_the_capacity_tab(window, qtbot) -> None:
    button = window.window_actions.toolbar.widgetForAction(window.window_actions.capacity)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.capacity.isVisible, timeout=2000)
    assert window.capacity_dock.isVisible()
    bars = [
        bar
        for bar in window.findChildren(QTabBar)
        if "Capacity" in [bar.tabText(i) for i in range(bar.count())]
    ]
    qtbot.waitUntil(lambda: bars[0].tabText(bars[0].currentIndex()) == "Capacity", timeout=2000)


def test_capacity_follows_the_timeline_range(window, qtbot) -> None:
    window.window_actions.capacity.trigger()
    qtbot.waitUntil(window.capacity.isVisible, timeout=2000)
    start, end = datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 9, 1, tzinfo=UTC)
    window.timeline.set_visible_range(start, end)
    qtbot.waitUntil(
        lambda: "2027-04 to 2027-09" in window.capacity.range_label.text(), timeout=2000
    )
    left, right = window.capacity.utilisation.viewRange()[0]
    assert abs(left - start.timestamp()) < 86_400 and abs(right - end.timestamp()) < 86_400


def test_the_capacity_table_exports_to_excel(window, qtbot, tmp_path: Path) -> None:
    window.window_actions.capacity.trigger()
    qtbot.waitUntil(window.capacity.isVisible, timeout=2000)
    path = tmp_path / "capacity.xlsx"
    export_capacity(window.capacity, str(path))
    sheet = openpyxl.load_workbook(path)["Capacity"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Site", "Month", "Available days", "Maintenance days", "Occupied days", "Utilisation %",
        "Booked litres",
    )  # fmt: skip
    assert len(rows) - 1 == len(window.capacity.table_rows()) > 0
    # CMP-0001: two 14-day batches and 2 days between them from 1 March 2027, 5,000 L each.
    assert ("SYR", "2027-03", 31, 0, 30, round(100 * 30 / 31, 1), 10000) in rows
