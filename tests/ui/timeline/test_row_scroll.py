"""Rows keep a legible height and scroll instead of squashing (issue 11): a scroll bar, Shift+wheel,
real mouse and wheel events."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.timeline.widget import ROW_DENSITIES


def test_rows_keep_their_height_and_scroll_when_the_view_is_short(timeline, qtbot) -> None:
    timeline.resize(900, 150)
    qtbot.wait(20)
    assert timeline.row_px() >= ROW_DENSITIES["comfortable"][0]
    top, bottom = timeline.view.viewRange()[1]
    assert bottom - top < len(timeline.layout)  # not every row fits: they are not squashed
    bar = timeline.row_scroll
    assert bar.isVisible() and bar.value() == 0
    # A real click in the scroll bar's trough below the handle pages down.
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(bar.width() // 2, bar.height() - 4))
    assert timeline.view.viewRange()[1][0] > 0.5
    # Shift+wheel scrolls the rows back up, and the scroll bar follows.
    viewport = timeline.plot.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    wheel = QWheelEvent(
        centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 360),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ShiftModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(viewport, wheel)
    assert abs(timeline.view.viewRange()[1][0]) < 1e-6
    assert bar.value() == 0


def test_scroll_bar_hides_when_every_row_fits(timeline, qtbot) -> None:
    timeline.resize(900, 700)
    qtbot.wait(20)
    assert not timeline.row_scroll.isVisible()
