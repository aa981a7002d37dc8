"""The rasterised part of the blocks layer (suite-summary lanes always, bioreactor rows in dense
views), kept as one image a little wider than the view.

Columns are counted on an absolute pixel grid (``u = epoch seconds × pixels per second``), so a
pan only moves the window into the cached image: the first pan step after a zoom draws the image
with a margin on both sides, and nothing is recomputed until the view leaves it. Any change of
data, selection, zoom, rows or size starts a new image.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from ui.timeline.blocks import CANCELLED, SEVERITY_ERROR, SEVERITY_WARNING, BlockArrays
from ui.timeline.raster import Band, Canvas, argb, owners, paint_bands

if TYPE_CHECKING:
    from ui.timeline.blocks_item import BlocksItem

MARGIN = 0.25  # of the view width, on each side


class DenseLayer:
    def __init__(self, item: BlocksItem) -> None:
        self.item = item
        self.canvas = Canvas()
        self.generation = 0
        self.renders = 0
        self._key: tuple[object, ...] | None = None
        self._u_left = 0
        self._width = 0

    def invalidate(self) -> None:
        self.generation += 1

    def paint(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        view: QRectF,
        sx: float,
        ox: float,
        sy: float,
        oy: float,
        device: tuple[int, int, int, int],
        raster: bool,
    ) -> None:
        # On a high-DPI screen the image is built in physical pixels, so blocks stay crisp.
        target = painter.device()
        ratio = target.devicePixelRatioF() if target is not None else 1.0
        if ratio != 1.0:
            sx, ox, sy, oy = sx * ratio, ox * ratio, sy * ratio, oy * ratio
            device = tuple(round(v * ratio) for v in device)  # type: ignore[assignment]
        left, top, right, bottom = device
        width = right - left
        u_view = math.floor(left - ox)
        # Scales are compared to 10 significant digits: the same zoom recomputed after a pan
        # differs in its last bits, and that must not count as a new zoom. The width is left out:
        # a pan can round the visible rect one pixel wider, which ``inside`` already covers.
        key = (
            self.generation,
            f"{sx:.10g}",
            f"{sy:.10g}",
            f"{oy:.6g}",
            top,
            bottom,
            raster,
            f"{view.top():.9g}",
            f"{view.bottom():.9g}",
        )
        inside = self._u_left <= u_view and u_view + width <= self._u_left + self._width
        if key != self._key or not inside:
            # A new zoom (a wheel step) draws just the view; a pan that leaves the image draws
            # it again with room on both sides, so the rest of the pan is a moving window.
            margin = 0 if key != self._key else max(64, int(width * MARGIN))
            self._u_left, self._width = u_view - margin, width + 2 * margin
            self._key = key
            self.renders += 1
            self._render(arrays, view, sx, sy, oy, top, bottom - top, raster)
        height, stride = self.canvas.pixels.shape
        image = QImage(
            self.canvas.pixels.data,
            stride,
            height,
            stride * 4,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        source = QRectF(u_view - self._u_left, 0, width, height)
        painter.drawImage(QPointF((u_view + ox) / ratio, top / ratio), image, source)

    def _render(
        self,
        arrays: BlockArrays,
        view: QRectF,
        sx: float,
        sy: float,
        oy: float,
        top: int,
        height: int,
        raster: bool,
    ) -> None:
        item = self.item
        pixels = self.canvas.reset(self._width, max(1, height))
        slots = arrays.in_time_range(self._u_left / sx, (self._u_left + self._width) / sx)
        slots = slots[arrays.lane[slots] >= 0]
        tops, heights = arrays.lane_top, arrays.lane_height
        summary = np.flatnonzero((tops + heights >= view.top()) & (tops <= view.bottom()))
        rows = None
        if raster:
            first, last = max(0, int(view.top())), min(len(arrays.layout), int(view.bottom()) + 1)
            reactors = arrays.bioreactor_rows
            rows = reactors[(reactors >= first) & (reactors < last)]
        lanes = summary if rows is None else np.union1d(summary, arrays.row_lane[rows])
        if lanes.size == 0 or slots.size == 0:
            return
        x0 = arrays.start[slots] * sx - self._u_left
        x1 = arrays.end[slots] * sx - self._u_left
        own = owners(x0, x1, arrays.lane[slots], lanes, self._width)
        position = {lane: index for index, lane in enumerate(lanes.tolist())}
        y_a = tops[summary] * sy + oy - top
        y_b = (tops[summary] + heights[summary]) * sy + oy - top
        bands = [
            Band(lane, round(min(a, b)), max(round(min(a, b)) + 1, round(max(a, b)) - 1))
            for lane, a, b in zip(summary.tolist(), y_a.tolist(), y_b.tolist(), strict=True)
        ]
        fill = item.words[arrays.colour[slots].astype(np.int64) * 3]
        fill[arrays.status[slots] == CANCELLED] = 0
        paint_bands(pixels, bands, own[[position[lane] for lane in summary.tolist()]], fill)
        if rows is None or rows.size == 0:
            return
        row_y, row_h = item.row_band(rows.astype(np.float64), sy, oy)
        bands = [
            Band(r, int(y) - top, int(y + h) - top)
            for r, y, h in zip(rows.tolist(), row_y.tolist(), row_h.tolist(), strict=True)
        ]
        frame = np.zeros(slots.size, dtype=np.uint32)
        severity = arrays.severity[slots]
        frame[severity == SEVERITY_WARNING] = argb(item.warning_colour)
        frame[severity == SEVERITY_ERROR] = argb(item.error_colour)
        frame[item.selected[slots]] = argb(item.selection_colour)
        picked = own[[position[int(arrays.row_lane[r])] for r in rows.tolist()]]
        paint_bands(pixels, bands, picked, item.words[item.styles(arrays, slots)], frame)
