"""The timeline's ViewBox: wheel zooms time only, dragging the background pans (time and rows),
Shift- or Ctrl-dragging the background draws a rubber band that selects the blocks it touches."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent, MouseDragEvent
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSceneWheelEvent

RubberBandHandler = Callable[[QRectF, bool], None]


class TimelineViewBox(pg.ViewBox):
    """Rows run down (inverted Y, row 0 on top), time runs right in epoch seconds. The row height
    in pixels stays constant as the window resizes; only the time axis zooms."""

    def __init__(self) -> None:
        super().__init__(enableMenu=False, invertY=True)
        self.setMouseEnabled(x=True, y=False)
        self.row_count = 1
        self.on_rubber_band: RubberBandHandler | None = None
        self._band = QGraphicsRectItem(0, 0, 1, 1)
        pen = QPen(QColor("#1f5fbf"), 1, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._band.setPen(pen)
        self._band.setBrush(QBrush(QColor(31, 95, 191, 40)))
        self._band.setZValue(1e9)
        self._band.hide()
        self.addItem(self._band, ignoreBounds=True)
        self._band_active = False

    def scroll_rows(self, rows: float) -> None:
        """Scroll the rows by ``rows`` (positive = down), kept inside the row range."""
        top, bottom = self.viewRange()[1]
        height = bottom - top
        new_top = min(max(0.0, top + rows), max(0.0, self.row_count - height))
        self.setYRange(new_top, new_top + height, padding=0)

    def wheelEvent(self, ev: QGraphicsSceneWheelEvent, axis: int | None = None) -> None:  # noqa: N802
        if axis == 1 or ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.scroll_rows(-ev.delta() / 120.0 * 3)
            ev.accept()
            return
        super().wheelEvent(ev, axis=0)

    def mouseClickEvent(self, ev: MouseClickEvent) -> None:  # noqa: N802
        ev.ignore()

    def mouseDragEvent(self, ev: MouseDragEvent, axis: int | None = None) -> None:  # noqa: N802
        if ev.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            ev.ignore()
            return
        ev.accept()
        band_keys = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
        if ev.isStart():
            self._band_active = (
                axis is None
                and bool(ev.modifiers() & band_keys)
                and (ev.button() == Qt.MouseButton.LeftButton)
            )
        if self._band_active:
            self._rubber_band(ev)
            return
        delta = ev.pos() - ev.lastPos()
        inverse = pg.functions.invertQTransform(self.childGroup.transform())
        moved = inverse.map(QPointF(-delta.x(), -delta.y())) - inverse.map(QPointF(0.0, 0.0))
        if axis != 1:
            self.translateBy(x=moved.x())
        if axis != 0 and moved.y():
            self.scroll_rows(moved.y())
        self.sigRangeChangedManually.emit(self.state["mouseEnabled"])

    def _rubber_band(self, ev: MouseDragEvent) -> None:
        corner_a = self.mapToView(ev.buttonDownPos())
        corner_b = self.mapToView(ev.pos())
        rect = QRectF(corner_a, corner_b).normalized()
        if ev.isFinish():
            self._band.hide()
            self._band_active = False
            if self.on_rubber_band is not None:
                additive = bool(ev.modifiers() & Qt.KeyboardModifier.ControlModifier)
                self.on_rubber_band(rect, additive)
            return
        self._band.setRect(rect)
        self._band.show()
