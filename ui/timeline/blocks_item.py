"""One graphics item that paints every campaign block of the visible range in one ``paint()``.

Per STYLE.md (pyqtgraph #2287): one item per layer, never one per block. ``paint`` culls with
``searchsorted`` to the visible time and rows, maps to device pixels with numpy, and draws one
``drawRects`` call per colour; labels, batch dividers and lock marks only where a block is wide
enough to carry them. Mouse events are handed to ``handler`` (:mod:`ui.timeline.drag`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import to_epoch
from ui.timeline.blocks import (
    CANCELLED,
    LOCKED_CODES,
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    TENTATIVE,
    BlockArrays,
)
from ui.timeline.painting import RectBatch, lighter, text_colour_on

ERROR_COLOUR = QColor("#d62728")
WARNING_COLOUR = QColor("#f0a000")
SELECTION_COLOUR = QColor("#0a2a66")
LABEL_MIN_PX = 34.0
DIVIDER_MIN_PX = 18.0
MAX_LABELS = 2500

FILL, LIGHT, GHOST = 0, 1, 2


class BlocksItem(pg.GraphicsObject):
    """Paints the campaign blocks of :class:`BlockArrays` (bioreactor rows and suite summaries)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrays: BlockArrays | None = None
        self.handler: Any = None
        self.selected = np.zeros(0, dtype=bool)
        self.faded = np.zeros(0, dtype=bool)
        self._colours: list[QColor] = []
        self._brushes: dict[int, QBrush] = {}
        self._bounds = QRectF()
        self._batch = RectBatch()
        self._dividers: dict[str, tuple[Campaign, np.ndarray]] = {}
        self.font = QFont()
        self.font.setPointSizeF(8.0)
        self._metrics = QFontMetricsF(self.font)
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)

    def set_arrays(self, arrays: BlockArrays) -> None:
        """Take freshly built or updated arrays; recomputes colours and the cached bounds."""
        self.arrays = arrays
        schedule = arrays.schedule
        self._colours = [QColor(schedule.products[code].colour) for code in arrays.product_codes]
        if not self._colours:
            self._colours = [QColor("#4C78A8")]
        self._brushes.clear()
        self.sync_masks()
        extent = arrays.extent()
        rows = max(1, len(arrays.layout))
        self.prepareGeometryChange()
        if extent is None:
            self._bounds = QRectF(0.0, 0.0, 1.0, float(rows))
        else:
            self._bounds = QRectF(extent[0], 0.0, max(1.0, extent[1] - extent[0]), float(rows))
        self.update()

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
        if arrays is None or len(arrays) == 0:
            return
        view = self.viewRect()
        if view is None:
            return
        transform = painter.transform()
        sx, ox = transform.m11(), transform.dx()
        sy, oy = transform.m22(), transform.dy()
        if sx == 0 or sy == 0:
            return
        slots = arrays.in_time_range(view.left(), view.right())
        if slots.size == 0:
            return
        top, bottom = view.top() - 1, view.bottom() + 1
        left_px, right_px = sorted((view.left() * sx + ox, view.right() * sx + ox))
        lo, hi = left_px - 8.0, right_px + 8.0
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_summary(painter, arrays, slots, sx, ox, sy, oy, lo, hi, top, bottom)
        rows = arrays.row[slots]
        slots = slots[(rows >= 0) & (rows >= top) & (rows <= bottom)]
        if slots.size:
            self._paint_rows(painter, arrays, slots, sx, ox, sy, oy, lo, hi)
        painter.restore()

    def _geometry(
        self,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        lo: float,
        hi: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        x0 = np.clip(arrays.start[slots] * sx + ox, lo, hi)
        x1 = np.clip(arrays.end[slots] * sx + ox, lo, hi)
        width = np.maximum(x1 - x0 - 1.0, 1.0)
        row = arrays.row[slots].astype(np.float64)
        y_a = row * sy + oy
        y_b = (row + 1.0) * sy + oy
        height = np.abs(y_b - y_a)
        pad = np.maximum(2.0, np.round(height * 0.14))
        y = np.minimum(y_a, y_b) + pad
        return x0, y, width, height - 2 * pad

    def _paint_summary(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        lo: float,
        hi: float,
        top: float,
        bottom: float,
    ) -> None:
        lane = arrays.lane_y[slots]
        slots = slots[(lane >= 0) & (lane >= top) & (lane <= bottom)]
        slots = slots[arrays.status[slots] != CANCELLED]
        if slots.size == 0:
            return
        x0 = np.clip(arrays.start[slots] * sx + ox, lo, hi)
        x1 = np.clip(arrays.end[slots] * sx + ox, lo, hi)
        y_a = arrays.lane_y[slots] * sy + oy
        y_b = (arrays.lane_y[slots] + arrays.lane_h[slots]) * sy + oy
        y = np.minimum(y_a, y_b)
        h = np.maximum(np.abs(y_b - y_a) - 1.0, 1.0)
        w = np.maximum(x1 - x0, 1.0)
        colours = arrays.colour[slots]
        painter.setPen(Qt.PenStyle.NoPen)
        for colour in np.unique(colours):
            pick = colours == colour
            painter.setBrush(self._brush(int(colour) * 3 + FILL))
            self._batch.draw_rects(painter, x0[pick], y[pick], w[pick], h[pick])

    def _paint_rows(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        lo: float,
        hi: float,
    ) -> None:
        x, y, w, h = self._geometry(arrays, slots, sx, ox, sy, oy, lo, hi)
        status = arrays.status[slots]
        style = np.where(status == TENTATIVE, LIGHT, FILL)
        style = np.where(status == CANCELLED, GHOST, style)
        style = np.where(self.faded[slots], GHOST, style)
        keys = arrays.colour[slots].astype(np.int64) * 3 + style
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
        painter.setPen(Qt.PenStyle.NoPen)
        for group in np.split(order, cuts):
            painter.setBrush(self._brush(int(keys[group[0]])))
            self._batch.draw_rects(painter, x[group], y[group], w[group], h[group])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        wide = w >= DIVIDER_MIN_PX
        self._paint_dividers(
            painter,
            arrays,
            slots[wide & (arrays.batches[slots] > 1)],
            sx,
            ox,
            y[wide & (arrays.batches[slots] > 1)],
            h[wide & (arrays.batches[slots] > 1)],
            lo,
            hi,
        )
        locked = np.isin(status, LOCKED_CODES)
        if locked.any():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(0, 0, 0, 70), Qt.BrushStyle.BDiagPattern))
            self._batch.draw_rects(painter, x[locked], y[locked], w[locked], h[locked])
            painter.setBrush(Qt.BrushStyle.NoBrush)
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
        selected = self.selected[slots]
        if selected.any():
            self._outline(painter, x - 1, y - 1, w + 2, h + 2, selected, QPen(SELECTION_COLOUR, 3))
        self._paint_marks(painter, arrays, slots, x, y, w, h, status, locked, lo + 8.0)

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

    def _paint_dividers(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        y: np.ndarray,
        h: np.ndarray,
        lo: float,
        hi: float,
    ) -> None:
        if slots.size == 0 or slots.size > 4000:
            return
        xs_a: list[float] = []
        xs_b: list[float] = []
        ys: list[float] = []
        hs: list[float] = []
        for slot, top, height in zip(slots.tolist(), y.tolist(), h.tolist(), strict=True):
            for begin, end in self._turnarounds(arrays, arrays.ids[slot]):
                xs_a.append(begin * sx + ox)
                xs_b.append(end * sx + ox)
                ys.append(top)
                hs.append(height)
        if not xs_a:
            return
        a = np.clip(np.array(xs_a), lo, hi)
        b = np.clip(np.array(xs_b), lo, hi)
        top_arr, h_arr = np.array(ys), np.array(hs)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 150))
        self._batch.draw_rects(painter, a, top_arr, np.maximum(b - a, 1.0), h_arr)
        painter.setPen(QPen(QColor(255, 255, 255, 230), 1))
        self._batch.draw_lines(painter, a, top_arr, a, top_arr + h_arr)

    def _turnarounds(self, arrays: BlockArrays, campaign_id: str) -> np.ndarray:
        """``[(end of batch i, start of batch i+1)]`` in epoch seconds, cached per campaign."""
        campaign = arrays.schedule.campaigns.get(campaign_id)  # type: ignore[call-overload]
        if campaign is None:
            return np.zeros((0, 2))
        cached = self._dividers.get(campaign_id)
        if cached is not None and cached[0] is campaign:
            return cached[1]
        tz_name = arrays.schedule.time_zone_of(campaign.bioreactor)
        batches = campaign.batch_intervals(tz_name)
        gaps = np.array(
            [
                (to_epoch(batches[i][1]), to_epoch(batches[i + 1][0]))
                for i in range(len(batches) - 1)
            ],
            dtype=np.float64,
        ).reshape(-1, 2)
        self._dividers[campaign_id] = (campaign, gaps)
        return gaps

    def _paint_marks(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        h: np.ndarray,
        status: np.ndarray,
        locked: np.ndarray,
        view_left: float,
    ) -> None:
        """Lock marks and labels ("PRODUCT ×N", plus the ID when there is room)."""
        wide = np.flatnonzero(w >= LABEL_MIN_PX)
        if wide.size == 0 or wide.size > MAX_LABELS:
            return
        painter.setFont(self.font)
        metrics = self._metrics
        text_h = metrics.height()
        for index in wide.tolist():
            slot = int(slots[index])
            bx, by, bw, bh = float(x[index]), float(y[index]), float(w[index]), float(h[index])
            text_x = max(bx, view_left) + 4.0
            room = bx + bw - text_x - 2.0
            if locked[index]:
                self._lock_mark(painter, bx + bw - 11.0, by + bh / 2)
                room -= 12.0
            if bh < text_h - 2:
                continue
            campaign_id = arrays.ids[slot]
            product = arrays.product_codes[int(arrays.colour[slot])]
            label = f"{product} ×{int(arrays.batches[slot])}"
            full = f"{label}  {campaign_id}"
            if metrics.horizontalAdvance(full) <= room:
                label = full
            elif metrics.horizontalAdvance(label) > room:
                continue
            fill = self._brush(
                int(arrays.colour[slot]) * 3 + (LIGHT if status[index] == TENTATIVE else FILL)
            ).color()
            faded = status[index] == CANCELLED or self.faded[slot]
            painter.setPen(QColor(90, 90, 90) if faded else text_colour_on(fill))
            painter.drawText(
                QRectF(text_x, by, room, bh),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                label,
            )

    @staticmethod
    def _lock_mark(painter: QPainter, cx: float, cy: float) -> None:
        painter.setPen(QPen(QColor(20, 20, 20), 1.2))
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.drawRect(QRectF(cx - 4, cy - 1, 8, 6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(QPointF(cx - 2.5, cy - 1))
        path.arcTo(QRectF(cx - 2.5, cy - 5, 5, 7), 180, -180)
        painter.drawPath(path)

    def set_faded(self, campaign_ids: list[str]) -> None:
        """Blocks being dragged are drawn faded under their ghost."""
        self.faded[:] = False
        if self.arrays is not None:
            for campaign_id in campaign_ids:
                slot = self.arrays.slot_of.get(campaign_id)
                if slot is not None:
                    self.faded[slot] = True
        self.update()

    def set_selected(self, campaign_ids: list[str]) -> None:
        self.selected[:] = False
        if self.arrays is not None:
            for campaign_id in campaign_ids:
                slot = self.arrays.slot_of.get(campaign_id)
                if slot is not None:
                    self.selected[slot] = True
        self.update()

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is None:
            ev.ignore()
        else:
            self.handler.drag_event(ev)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is None:
            ev.ignore()
        else:
            self.handler.click_event(ev)

    def hoverEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph hook)
        if self.handler is not None:
            self.handler.hover_event(ev)
