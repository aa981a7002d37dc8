"""The rasterised part of the blocks layer (suite-summary lanes always, bioreactor rows in dense
views), kept as the distinct pixel rows of one canvas a little wider than the view; Qt fills each
band of the view with its row (:class:`~ui.timeline.raster.Compact`).

Columns are counted on an absolute pixel grid (``u = epoch seconds × pixels per second``), so a
pan only moves the window into the cached canvas: the first pan step after a zoom draws it with a
margin on both sides, and nothing is recomputed until the view leaves it. Any change of data,
selection, zoom, rows or size starts a new canvas; what does not depend on the zoom (blocks
sorted by lane, their colours, the vertical band plan and the blocks in its lanes) is kept until
the data or rows change.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QPainter

from ui.timeline.blocks import BlockArrays
from ui.timeline.dense_plan import LINE, BandPlan, plan_bands
from ui.timeline.lane_order import LaneOrder
from ui.timeline.raster import Compact, Runs, framed_pixels, owner_grid, pixel_spans, run_frames

if TYPE_CHECKING:
    from ui.timeline.blocks_item import BlocksItem

MARGIN = 0.25  # of the view width, on each side
HIGH = 1 if sys.byteorder == "little" else 0  # the high half of a uint64 seen as two uint32


class DenseLayer:
    def __init__(self, item: BlocksItem) -> None:
        self.item = item
        self.generation = 0
        self.renders = 0
        self._key: tuple[object, ...] | None = None
        self._u_left = 0
        self._width = 0
        self._order: tuple[int, LaneOrder] | None = None
        self._plan: tuple[tuple[object, ...], BandPlan] | None = None
        self.compact: Compact | None = None

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
        if self._plan is None or self.compact is None or not self._plan[1].segments:
            return
        plan, compact = self._plan[1], self.compact
        # In device pixels (the world transform undoes the ratio), so each band is one fill
        # of whole pixels, tiled from its row of the canvas (column 0 at ``origin``). Where the
        # view starts is rounded as Qt rounds an image's position.
        painter.save()
        if ratio != 1.0:
            painter.scale(1.0 / ratio, 1.0 / ratio)
        x = math.floor(u_view + ox + 0.5)
        painter.setBrushOrigin(QPoint(x - (u_view - self._u_left), 0))
        brushes = compact.brushes
        for first, rows, row in plan.segments:
            painter.fillRect(x, top + first, width, rows, brushes[row])
        painter.restore()

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
            self._plan = (rows_key, plan)
        plan, compact = self._plan[1], self.compact
        if compact is None or not compact.fits(plan.count, width):
            # A little room to spare: the same zoom a pixel wider (rounding) reuses the rows
            # and their brushes.
            compact = self.compact = Compact(plan.count, width, width + 8)
        compact.use(width)
        order = self._lane_order(arrays)
        t0, t1 = self._u_left / sx, (self._u_left + width) / sx
        slots, band, framed, words, bounds = order.drawn(plan).within(t0, t1)
        rows = compact.pixels
        if slots.size == 0 or plan.lanes.size == 0:
            rows.fill(0)
            return
        begin, end = pixel_spans(bounds, sx, self._u_left, width)
        ok = end > begin
        if not ok.all():
            slots, band, framed, begin, end = slots[ok], band[ok], framed[ok], begin[ok], end[ok]
            words = words[ok]
        runs = Runs.of(begin, end, band, width)
        # One grid of (summary word, fill word) pairs: each lane's two colour rows at once. The
        # summary words are the low halves (a cast keeps them, faster than a strided copy).
        lanes = plan.lanes.size
        pairs = owner_grid(runs, words, lanes, width, 0).reshape(lanes, width)
        summary, reactors = plan.summary.size, plan.reactors.size
        np.copyto(rows[1 : 1 + summary], plan.rows_of(pairs, plan.summary), casting="unsafe")
        if reactors:
            fill = rows[1 + summary : 1 + summary + reactors]
            halves = plan.rows_of(pairs, plan.reactors).view(np.uint32)
            fill[...] = halves[:, HIGH::2]
            rows[1 + summary + reactors :] = fill
            if framed.any():
                whole = compact.rows  # contiguous: whole rows, however many columns are in use
                fill_rows = whole[1 + summary : 1 + summary + reactors]
                edge_rows = whole[1 + summary + reactors :]
                grid = lambda: owner_grid(runs, slots, lanes, width, order.empty)  # noqa: E731
                self._frames(order, plan, grid, width, fill_rows, edge_rows, runs, framed, slots)

    @staticmethod
    def _frames(
        order: LaneOrder,
        plan: BandPlan,
        grid: Callable[[], np.ndarray],
        width: int,
        fill: np.ndarray,
        edge: np.ndarray,
        runs: Runs,
        framed: np.ndarray,
        slots: np.ndarray,
    ) -> None:
        """Conflict and selection frames: the framed blocks' pixels on the top and bottom edge
        rows, and those within ``LINE`` pixels of a change of owner on the fill rows. ``fill``
        and ``edge`` are whole canvas rows (their first ``width`` columns are in use); ``grid``
        makes the owner grid, wanted only in a nested overlap."""
        stride = fill.shape[1]
        flat_edge, flat_fill = edge.reshape(-1), fill.reshape(-1)

        def spread(at: np.ndarray) -> np.ndarray:
            """Positions in rows ``width`` long as positions in rows ``stride`` long."""
            return at if stride == width else at + at // width * (stride - width)

        exact = None
        if runs.redo is not None:
            exact, framed = framed & runs.redo, framed & ~runs.redo
        index = np.flatnonzero(framed)
        band = runs.start[index] // width
        shift = (plan.reactor_of[band] - band) * width
        colour = order.frame[slots[index]]
        pixels, colours, sides, side_colours = run_frames(runs, index, shift, colour, width, LINE)
        flat_edge[spread(pixels)] = colours
        flat_fill[spread(sides)] = side_colours
        if exact is not None and exact.any():
            # In a nested overlap a block may show in pieces: look at the pixels themselves.
            index = np.flatnonzero(exact)
            begin = runs.start[index] % width
            band = runs.start[index] // width
            end = begin + runs.stop[index] - runs.start[index]
            band_of, column, owner_slot, side = framed_pixels(
                grid(), begin, end, band, slots[index], LINE
            )
            spots = plan.reactor_of[band_of] * stride + column
            colour = order.frame[owner_slot]
            flat_edge[spots] = colour
            flat_fill[spots[side]] = colour[side]
