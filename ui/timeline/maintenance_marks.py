"""Maintenance windows under the pointer: which window a point of the timeline falls in, its
tooltip, and the band previewed while a planner draws a new window (Alt-drag on a row)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from scheduler_app.localtime import to_epoch, utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from ui.timeline.rows import RowLayout

DRAW_KEY = Qt.KeyboardModifier.AltModifier
"""Alt-drag on an empty part of a bioreactor row draws a maintenance window there."""


def window_at(
    schedule: Schedule, layout: RowLayout, x: float, y: float
) -> MaintenanceWindow | None:
    """The maintenance window drawn at view point ``(x, y)`` (epoch seconds, row units)."""
    row = int(y) if y >= 0 else -1
    for window in schedule.maintenance:
        if not to_epoch(window.start) <= x < to_epoch(window.end):
            continue
        if row in layout.rows_of_scope(window.site, window.suite, window.bioreactor):
            return window
    return None


def window_tooltip(schedule: Schedule, window: MaintenanceWindow) -> str:
    """Scope, site-local start and end, and the reason; how to change it."""
    zone = schedule.site(window.site).time_zone
    start = utc_to_local_naive(window.start, zone)
    end = utc_to_local_naive(window.end, zone)
    return (
        f"<b>Maintenance</b> on {window.scope}<br>"
        f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M} ({zone})<br>"
        f"{window.reason or '(no reason given)'}<br>"
        "<i>Double-click to edit; right-click for more.</i>"
    )


class DrawBand(pg.GraphicsObject):
    """The window being drawn: a hatched band on one row from the press to the pointer."""

    def __init__(self) -> None:
        super().__init__()
        self.rect = QRectF()
        self.hide()

    def show_span(self, row: int, start: float, end: float) -> None:
        self.prepareGeometryChange()
        left, right = min(start, end), max(start, end)
        self.rect = QRectF(left, row, right - left, 1.0)
        self.show()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self.rect

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        device = painter.transform().mapRect(self.rect)
        painter.save()
        painter.resetTransform()
        painter.fillRect(device, QColor(232, 89, 12, 60))
        painter.setBrush(QBrush(QColor("#e8590c"), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor("#e8590c"), 1.5, Qt.PenStyle.DashLine))
        painter.drawRect(device.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()
