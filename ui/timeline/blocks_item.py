"""One graphics item that paints every campaign block of the visible range in one ``paint()``.

Per STYLE.md (pyqtgraph #2287): one item per layer, never one per block. ``paint`` culls with
``searchsorted`` to the visible time and rows and maps to device pixels with numpy. Dense views
(thousands of narrow blocks) are rasterised in numpy and drawn as one image
(:mod:`ui.timeline.raster`); sparse ones draw one ``drawRects`` call per colour. Labels, batch
dividers and lock marks only where a block is wide enough to carry them. Mouse events are handed
to ``handler`` (:mod:`ui.timeline.drag`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import HoverEvent, MouseClickEvent, MouseDragEvent
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from ui.timeline.block_marks import DIVIDER_MIN_PX, LABEL_MIN_PX, MAX_LABELS, BlockMarks
from ui.timeline.blocks import (
    BAND_PAD,
    CANCELLED,
    LOCKED_CODES,
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    TENTATIVE,
    BlockArrays,
)
from ui.timeline.dense_layer import DenseLayer
from ui.timeline.painting import RectBatch, exposed_view, lighter, paint_exposed
from ui.timeline.raster import argb

ERROR_COLOUR = QColor("#d62728")
WARNING_COLOUR = QColor("#f0a000")
SELECTION_COLOUR = QColor("#0a2a66")
RASTER_MIN_BLOCKS = 400
PAD = BAND_PAD

FILL, LIGHT, GHOST = 0, 1, 2
ROW_LIMIT = 2**31 - 1  # rows are int32


def row_range(top: float, bottom: float) -> tuple[int, int]:
    """The first and last row (from 0) whose band ``[row, row + 1]`` meets ``[top, bottom]``."""
    first = max(0, min(math.ceil(top) - 1, ROW_LIMIT))
    return first, max(-1, min(math.floor(bottom), ROW_LIMIT))


class BlocksItem(pg.GraphicsObject):
    """Paints the campaign blocks of :class:`BlockArrays` (bioreactor rows and suite summaries)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrays: BlockArrays | None = None
        self.handler: Any = None
        self.selected = np.zeros(0, dtype=bool)
        self.faded = np.zeros(0, dtype=bool)
        self.last_paint_mode = ""
        self._colours: list[QColor] = []
        self._coloured = -1  # how many of the arrays' products the colours cover
        self._brushes: dict[int, QBrush] = {}
        self.words = np.zeros(0, dtype=np.uint32)
        self.locked = np.zeros(0, dtype=bool)
        self._bounds = QRectF()
        self._batch = RectBatch()
        self.dense = DenseLayer(self)
        self.error_colour, self.warning_colour = ERROR_COLOUR, WARNING_COLOUR
        self.selection_colour = SELECTION_COLOUR
        self.marks = BlockMarks()
        paint_exposed(self)

    def set_arrays(self, arrays: BlockArrays) -> None:
        """Take freshly built or updated arrays; recomputes colours and the cached bounds. The
        same arrays updated in place keep their colours unless products were added (a product's
        colour changes only with master data, which builds new arrays)."""
        same = arrays is self.arrays and len(arrays.product_codes) == self._coloured
        self.arrays = arrays
        if not same:
            self._set_colours(arrays)
        self.locked = np.isin(arrays.status, LOCKED_CODES)
        self.sync_masks()
        self.dense.invalidate()
        rows = max(1, len(arrays.layout))
        self.prepareGeometryChange()
        # The whole span a planner can scroll to (1990 … 2100): clicks on empty row space must
        # reach this item too (double-click creates, right-click opens the menu).
        self._bounds = QRectF(6.3e8, 0.0, 3.5e9, float(rows))
        self.update()

    def _set_colours(self, arrays: BlockArrays) -> None:
        schedule = arrays.schedule
        self._colours = [QColor(schedule.products[code].colour) for code in arrays.product_codes]
        self._coloured = len(arrays.product_codes)
        if not self._colours:
            self._colours = [QColor("#4C78A8")]
        self._brushes.clear()
        self.words = np.array(
            [argb(self._brush(key).color()) for key in range(3 * len(self._colours))],
            dtype=np.uint32,
        )

    def sync_masks(self) -> None:
        """Grow the selection/fade masks to the number of slots (slots are only ever added)."""
        assert self.arrays is not None
        size = self.arrays.start.size
        if self.selected.size != size:
            selected = np.zeros(size, dtype=bool)
            faded = np.zeros(size, dtype=bool)
            keep = min(size, self.selected.size)
            selected[:keep] = self.selected[:keep]
            faded[:keep] = self.faded[:keep]
            self.selected, self.faded = selected, faded

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._bounds)
        return path

    def _brush(self, key: int) -> QBrush:
        brush = self._brushes.get(key)
        if brush is None:
            colour = self._colours[key // 3 % len(self._colours)]
            style = key % 3
            if style == LIGHT:
                colour = lighter(colour, 0.55)
            elif style == GHOST:
                colour = QColor(colour)
                colour.setAlpha(60)
            brush = QBrush(colour)
            self._brushes[key] = brush
        return brush

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        arrays = self.arrays
        view = self.viewRect()
        if arrays is None or len(arrays) == 0 or view is None:
            return
        transform = painter.transform()
        sx, ox, sy, oy = transform.m11(), transform.dx(), transform.m22(), transform.dy()
        if sx == 0 or sy == 0:
            return
        slots = arrays.in_time_range(view.left(), view.right())
        if slots.size == 0:
            return
        left, right = sorted((view.left() * sx + ox, view.right() * sx + ox))
        upper, lower = sorted((view.top() * sy + oy, view.bottom() * sy + oy))
        device = (math.floor(left), math.floor(upper), math.ceil(right), math.ceil(lower))
        # Rows that reach into the view, compared as integers (rows are; the edges are not): as
        # ``row + 1 >= top and row <= bottom`` for rows from 0.
        first_row, last_row = row_range(view.top(), view.bottom())
        rows = arrays.row[slots]
        row_slots = slots[(rows >= first_row) & (rows <= last_row)]
        raster = row_slots.size >= RASTER_MIN_BLOCKS
        exposed = exposed_view(self, option, painter, view)
        if exposed is None:
            return
        if exposed != view:
            # Only what Qt repaints (a drag's ghost band): the same blocks, fewer of them; the
            # mode and the device bounds (label pinning, clipping) still follow the whole view.
            rows = arrays.row[row_slots]
            row_slots = row_slots[
                (arrays.end[row_slots] > exposed.left())
                & (arrays.start[row_slots] < exposed.right())
                & (rows + 1 >= exposed.top())
                & (rows <= exposed.bottom())
            ]
        self.last_paint_mode = "raster" if raster else "vector"
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.dense.paint(painter, arrays, view, sx, ox, sy, oy, device, raster)
        if raster:
            # The image has the fills and frames; only blocks that carry marks go on, and the
            # stacked ones (the image leaves their rows' overlaps empty) in their sub-lanes.
            marked = self.locked[row_slots]
            if arrays.max_duration * abs(sx) >= DIVIDER_MIN_PX:
                widths = (arrays.end[row_slots] - arrays.start[row_slots]) * abs(sx)
                marked |= widths >= DIVIDER_MIN_PX
            stacked = arrays.subs[row_slots] > 1
            row_slots = row_slots[marked | stacked]
            stacked = stacked[marked | stacked]
        if row_slots.size:
            geometry = self._geometry(arrays, row_slots, sx, ox, sy, oy, device)
            if not raster:
                keys = self.styles(arrays, row_slots)
                self._vector_rows(painter, arrays, row_slots, keys, *geometry)
            elif stacked.any():
                drawn = row_slots[stacked]
                keys = self.styles(arrays, drawn)
                self._vector_rows(painter, arrays, drawn, keys, *(g[stacked] for g in geometry))
            self._paint_marks(painter, arrays, row_slots, sx, ox, geometry, device)
        painter.restore()

    def _geometry(
        self,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        device: tuple[int, int, int, int],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Device rectangles ``(x, y, w, h)`` of the blocks on their bioreactor rows."""
        left, _, right, _ = device
        x0 = np.clip(arrays.start[slots] * sx + ox, left - 8.0, right + 8.0)
        x1 = np.clip(arrays.end[slots] * sx + ox, left - 8.0, right + 8.0)
        y, h = self.row_band(arrays.row[slots].astype(np.float64), sy, oy)
        subs = arrays.subs[slots]
        if (subs > 1).any():
            # Overlapping campaigns share their row in sub-lanes, one above the other.
            part = h / subs
            y = np.round(y + part * arrays.sub[slots])
            h = np.where(subs > 1, np.maximum(np.floor(part) - 1.0, 1.0), h)
        return x0, y, np.maximum(x1 - x0 - 1.0, 1.0), h

    @staticmethod
    def row_band(row: np.ndarray, sy: float, oy: float) -> tuple[np.ndarray, np.ndarray]:
        """Top and height in device pixels of the block band inside each row."""
        y_a, y_b = row * sy + oy, (row + 1.0) * sy + oy
        height = np.abs(y_b - y_a)
        pad = np.maximum(2.0, np.round(height * PAD))
        return np.round(np.minimum(y_a, y_b) + pad), np.maximum(np.round(height - 2 * pad), 1.0)

    def styles(self, arrays: BlockArrays, slots: np.ndarray) -> np.ndarray:
        status = arrays.status[slots]
        style = np.where(status == TENTATIVE, LIGHT, FILL)
        style = np.where((status == CANCELLED) | self.faded[slots], GHOST, style)
        styled: np.ndarray = arrays.colour[slots].astype(np.int64) * 3 + style
        return styled

    def _paint_marks(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        geometry: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        device: tuple[int, int, int, int],
    ) -> None:
        """Hatching on locked blocks, batch dividers, lock marks and labels."""
        x, y, w, h = geometry
        status = arrays.status[slots]
        locked = self.locked[slots]
        if locked.any():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(0, 0, 0, 80), Qt.BrushStyle.BDiagPattern))
            self._batch.draw_rects(painter, x[locked], y[locked], w[locked], h[locked])
        lo, hi = device[0] - 8.0, device[2] + 8.0
        wide = (w >= DIVIDER_MIN_PX) & (arrays.batches[slots] > 1)
        self.marks.paint_dividers(painter, arrays, slots[wide], sx, ox, y[wide], h[wide], lo, hi)
        labelled = w >= LABEL_MIN_PX
        count = int(labelled.sum())
        if count == 0 or count > MAX_LABELS:
            return
        keys = self.styles(arrays, slots)
        faded = (status == CANCELLED) | self.faded[slots]
        self.marks.paint_labels(
            painter,
            arrays,
            slots,
            x,
            y,
            w,
            h,
            locked,
            lambda index: self._brush(int(keys[index])).color(),
            faded,
            float(device[0]),
            arrays.subs[slots] > 1,
        )

    def _vector_rows(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        keys: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        h: np.ndarray,
    ) -> None:
        order = np.argsort(keys, kind="stable")
        cuts = np.flatnonzero(np.diff(keys[order])) + 1
        painter.setPen(Qt.PenStyle.NoPen)
        for group in np.split(order, cuts):
            painter.setBrush(self._brush(int(keys[group[0]])))
            self._batch.draw_rects(painter, x[group], y[group], w[group], h[group])
        status = arrays.status[slots]
        self._outline(
            painter,
            x,
            y,
            w,
            h,
            status == TENTATIVE,
            QPen(QColor(60, 60, 60), 1, Qt.PenStyle.DashLine),
        )
        self._outline(
            painter,
            x,
            y,
            w,
            h,
            status == CANCELLED,
            QPen(QColor(120, 120, 120), 1, Qt.PenStyle.DotLine),
        )
        severity = arrays.severity[slots]
        self._outline(painter, x, y, w, h, severity == SEVERITY_WARNING, QPen(WARNING_COLOUR, 2))
        self._outline(painter, x, y, w, h, severity == SEVERITY_ERROR, QPen(ERROR_COLOUR, 2))
        self._outline(
            painter, x - 1, y - 1, w + 2, h + 2, self.selected[slots], QPen(SELECTION_COLOUR, 3)
        )

    def _outline(
        self,
        painter: QPainter,
        x: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        h: np.ndarray,
        mask: np.ndarray,
        pen: QPen,
    ) -> None:
        if not mask.any():
            return
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._batch.draw_rects(
            painter,
            x[mask] + 0.5,
            y[mask] + 0.5,
            np.maximum(w[mask] - 1, 1),
            np.maximum(h[mask] - 1, 1),
        )

    def set_faded(self, campaign_ids: list[str]) -> None:
        """Blocks being dragged are drawn faded under their ghost."""
        self._mark(self.faded, campaign_ids)

    def set_selected(self, campaign_ids: list[str]) -> None:
        self._mark(self.selected, campaign_ids)

    def _mark(self, mask: np.ndarray, campaign_ids: list[str]) -> None:
        self.dense.invalidate()
        mask[:] = False
        if self.arrays is not None:
            for campaign_id in campaign_ids:
                slot = self.arrays.slot_of.get(campaign_id)
                if slot is not None:
                    mask[slot] = True
        self.update()

    def mouseDragEvent(self, ev: MouseDragEvent) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is None:
            ev.ignore()
        else:
            self.handler.drag_event(ev)

    def mouseClickEvent(self, ev: MouseClickEvent) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is None:
            ev.ignore()
        else:
            self.handler.click_event(ev)

    def hoverEvent(self, ev: HoverEvent) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is not None:
            self.handler.hover_event(ev)
