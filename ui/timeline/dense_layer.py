"""The rasterised part of the blocks layer (suite-summary lanes always, bioreactor rows in dense
views), kept as one image a little wider than the view.

Columns are counted on an absolute pixel grid (``u = epoch seconds × pixels per second``), so a
pan only moves the window into the cached image: the first pan step after a zoom draws the image
with a margin on both sides, and nothing is recomputed until the view leaves it. Any change of
data, selection, zoom, rows or size starts a new image; what does not depend on the zoom (blocks
sorted by lane, their colours, the vertical band plan) is kept until the data or rows change.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from ui.timeline.blocks import CANCELLED, SEVERITY_ERROR, SEVERITY_WARNING, BlockArrays
from ui.timeline.dense_plan import LINE, BandPlan, plan_bands
from ui.timeline.raster import (
    Compact,
    Runs,
    argb,
    framed_pixels,
    owner_grid,
    pixel_spans,
    run_frames,
)

if TYPE_CHECKING:
    from ui.timeline.blocks_item import BlocksItem

MARGIN = 0.25  # of the view width, on each side


class LaneOrder:
    """The visible blocks that sit in a suite-summary lane, sorted by lane then start, with the
    colour words the canvas needs per slot (a last entry, for "no block", is transparent)."""

    slots: np.ndarray
    lane: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __init__(
        self, item: BlocksItem, arrays: BlockArrays, previous: LaneOrder | None = None
    ) -> None:
        count = len(arrays)
        # BlockArrays re-sorts (a new ``order``) on every data change and takes new lane and
        # visibility columns on every filter or layout change; a selection keeps all three.
        self.source = (arrays.order, arrays.lane, arrays.visible)
        if previous is not None and all(
            mine is theirs for mine, theirs in zip(previous.source, self.source, strict=True)
        ):
            self.slots, self.lane = previous.slots, previous.lane
            self.start, self.end = previous.start, previous.end
        else:
            order = arrays.order
            order = order[(arrays.lane[order] >= 0) & arrays.visible[order]]
            self.slots = order[np.argsort(arrays.lane[order], kind="stable")]
            self.lane = arrays.lane[self.slots].astype(np.int64)
            self.start = arrays.start[self.slots]
            self.end = arrays.end[self.slots]
        self.empty = count
        every = np.arange(count)
        self.summary = np.zeros(count + 1, dtype=np.uint32)
        self.summary[:count] = item.words[arrays.colour[:count].astype(np.int64) * 3]
        self.summary[:count][arrays.status[:count] == CANCELLED] = 0
        # Stacked blocks (overlaps in sub-lanes) are left out of the bioreactor rows' image: their
        # fill is transparent and they get no frame there; the blocks item draws them as vectors
        # in their sub-lanes, as the block view does.
        stacked = arrays.subs[:count] > 1
        self.fill = np.zeros(count + 1, dtype=np.uint32)
        self.fill[:count] = item.words[item.styles(arrays, every)]
        self.fill[:count][stacked] = 0
        self.frame = np.zeros(count + 1, dtype=np.uint32)
        severity = arrays.severity[:count]
        self.frame[:count][severity == SEVERITY_WARNING] = argb(item.warning_colour)
        self.frame[:count][severity == SEVERITY_ERROR] = argb(item.error_colour)
        self.frame[:count][item.selected[:count]] = argb(item.selection_colour)
        self.frame[:count][stacked] = 0
        self.framed = self.frame[self.slots] != 0
        self.bounds = np.stack((self.start, self.end))
        self.first_end = float(self.end.min()) if self.end.size else 0.0
        self.last_start = float(self.start.max()) if self.start.size else 0.0
        self._bands: tuple[BandPlan, np.ndarray, bool] | None = None

    def bands(self, plan: BandPlan) -> tuple[np.ndarray, bool]:
        """Each block's row in the owner grid of ``plan`` (-1: not drawn), and whether all are
        drawn; kept while the plan is."""
        if self._bands is None or self._bands[0] is not plan:
            band = plan.lane_pos[self.lane]
            self._bands = (plan, band, bool((band >= 0).all()))
        return self._bands[1], self._bands[2]


class DenseLayer:
    def __init__(self, item: BlocksItem) -> None:
        self.item = item
        self.pixels = np.zeros((1, 1), dtype=np.uint32)
        self.generation = 0
        self.renders = 0
        self._key: tuple[object, ...] | None = None
        self._u_left = 0
        self._width = 0
        self._order: tuple[int, LaneOrder] | None = None
        self._plan: tuple[tuple[object, ...], BandPlan, Compact | None] | None = None

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
        rows_key = (
            self.generation,
            f"{sy:.10g}",
            f"{oy:.6g}",
            top,
            bottom,
            raster,
            f"{view.top():.9g}",
            f"{view.bottom():.9g}",
        )
        key = (*rows_key, f"{sx:.10g}")
        inside = self._u_left <= u_view and u_view + width <= self._u_left + self._width
        if key != self._key or not inside:
            # A new zoom (a wheel step) draws just the view; a pan that leaves the image draws
            # it again with room on both sides, so the rest of the pan is a moving window.
            margin = 0 if key != self._key else max(64, int(width * MARGIN))
            self._u_left, self._width = u_view - margin, width + 2 * margin
            self._key = key
            self.renders += 1
            self._render(arrays, view, sx, sy, oy, top, bottom - top, raster, rows_key)
        if self._plan is None or not self._plan[1].runs:
            return
        shown, stride = self.pixels.shape
        image = QImage(
            self.pixels.data, stride, shown, stride * 4, QImage.Format.Format_ARGB32_Premultiplied
        )
        image.setDevicePixelRatio(ratio)
        x, source_x = (u_view + ox) / ratio, float(u_view - self._u_left)
        # Only the rows that show anything are kept and drawn, a run of consecutive ones at a
        # time: about a third of a view's rows lie between bands and would blend nothing.
        for first, packed, rows in self._plan[1].runs:
            source = QRectF(source_x, packed, width, rows)
            painter.drawImage(QPointF(x, (top + first) / ratio), image, source)

    def _lane_order(self, arrays: BlockArrays) -> LaneOrder:
        if self._order is None or self._order[0] != self.generation:
            previous = self._order[1] if self._order is not None else None
            self._order = (self.generation, LaneOrder(self.item, arrays, previous))
        return self._order[1]

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
        rows_key: tuple[object, ...],
    ) -> None:
        height, width = max(1, height), self._width
        if self._plan is None or self._plan[0] != rows_key:
            row_band = self.item.row_band
            plan = plan_bands(arrays, row_band, view, sy, oy, top, height, raster)
            self._plan = (rows_key, plan, None)
        _, plan, compact = self._plan
        if compact is None or compact.rows.shape != (plan.count, width):
            compact = Compact(plan.count, width, plan.source[plan.shown])
            self._plan = (rows_key, plan, compact)
        if self.pixels.shape != (plan.shown.size, width):
            self.pixels = np.empty((plan.shown.size, width), dtype=np.uint32)
        order = self._lane_order(arrays)
        t0, t1 = self._u_left / sx, (self._u_left + width) / sx
        band, everywhere = order.bands(plan)
        if everywhere and order.first_end > t0 and order.last_start <= t1:
            pick: slice | np.ndarray = slice(None)
        else:
            pick = np.flatnonzero((order.end > t0) & (order.start <= t1) & (band >= 0))
        slots, band, framed = order.slots[pick], band[pick], order.framed[pick]
        if slots.size == 0 or plan.lanes.size == 0:
            self.pixels.fill(0)
            return
        begin, end = pixel_spans(order.bounds[:, pick], sx, self._u_left, width)
        ok = end > begin
        if not ok.all():
            slots, band, framed, begin, end = slots[ok], band[ok], framed[ok], begin[ok], end[ok]
        runs = Runs.of(begin, end, band, width)
        grid = owner_grid(runs, slots, plan.lanes.size, width, order.empty)
        rows = compact.rows
        summary, reactors = plan.summary.size, plan.reactors.size
        lanes = rows[1 : 1 + summary]
        np.take(order.summary, plan.rows_of(grid, plan.summary), out=lanes, mode="clip")
        if reactors:
            fill = rows[1 + summary : 1 + summary + reactors]
            edge = rows[1 + summary + reactors :]
            np.take(order.fill, plan.rows_of(grid, plan.reactors), out=fill, mode="clip")
            edge[...] = fill
            framed &= plan.reactor_of[band] >= 0
            if framed.any():
                self._frames(order, plan, grid, fill, edge, runs, framed, slots)
        compact.expand(self.pixels)

    @staticmethod
    def _frames(
        order: LaneOrder,
        plan: BandPlan,
        grid: np.ndarray,
        fill: np.ndarray,
        edge: np.ndarray,
        runs: Runs,
        framed: np.ndarray,
        slots: np.ndarray,
    ) -> None:
        """Conflict and selection frames: the framed blocks' pixels on the top and bottom edge
        rows, and those within ``LINE`` pixels of a change of owner on the fill rows."""
        width = grid.shape[1]
        flat_edge, flat_fill = edge.reshape(-1), fill.reshape(-1)
        exact = None
        if runs.redo is not None:
            exact, framed = framed & runs.redo, framed & ~runs.redo
        index = np.flatnonzero(framed)
        band = runs.start[index] // width
        shift = (plan.reactor_of[band] - band) * width
        colour = order.frame[slots[index]]
        pixels, colours, sides, side_colours = run_frames(runs, index, shift, colour, width, LINE)
        flat_edge[pixels] = colours
        flat_fill[sides] = side_colours
        if exact is not None and exact.any():
            # In a nested overlap a block may show in pieces: look at the pixels themselves.
            index = np.flatnonzero(exact)
            begin = runs.start[index] % width
            band = runs.start[index] // width
            end = begin + runs.stop[index] - runs.start[index]
            band_of, column, owner_slot, side = framed_pixels(
                grid, begin, end, band, slots[index], LINE
            )
            spots = plan.reactor_of[band_of] * width + column
            colour = order.frame[owner_slot]
            flat_edge[spots] = colour
            flat_fill[spots[side]] = colour[side]
