"""Where the rasterised layer's bands lie on the canvas: which lanes get an owner grid, which
canvas rows show a suite-summary lane, a bioreactor row's fill or its framed top and bottom edge.

None of it depends on the time axis, so a wheel zoom (time only) reuses the plan and only the
columns are worked out again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from PySide6.QtCore import QRectF

from ui.timeline.blocks import BlockArrays

LINE = 2  # frame thickness in device pixels

RowBand = Callable[[np.ndarray, float, float], tuple[np.ndarray, np.ndarray]]


@dataclass
class BandPlan:
    """``lanes`` (sorted) are the rows of the owner grid and ``lane_pos`` maps a lane to its grid
    row (or -1). Compact rows: 0 is transparent, then one per entry of ``summary`` (grid rows of
    the summary bands), one per entry of ``reactors`` (grid rows of the bioreactor rows, their
    fill) and as many again for their framed edges. ``source`` gives each canvas row's compact
    row (0 between bands: nothing is drawn there) and ``reactor_of`` each grid row's index in
    ``reactors`` (or -1)."""

    lanes: np.ndarray
    lane_pos: np.ndarray
    summary: np.ndarray
    reactors: np.ndarray
    reactor_of: np.ndarray
    source: np.ndarray

    @property
    def count(self) -> int:
        return 1 + self.summary.size + 2 * self.reactors.size

    @cached_property
    def segments(self) -> list[tuple[int, int, int]]:
        """``(first canvas row, rows, compact row)`` of each run of consecutive canvas rows that
        show the same compact row (not 0): one fill each. Rows between bands are left alone."""
        source = self.source
        first = np.flatnonzero(np.diff(source, prepend=-1) != 0)
        rows = np.diff(np.append(first, source.size))
        row = source[first]
        drawn = row != 0
        return list(
            zip(first[drawn].tolist(), rows[drawn].tolist(), row[drawn].tolist(), strict=True)
        )

    def rows_of(self, grid: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """``grid[positions]``, as a view when the positions are consecutive (the usual case)."""
        size = positions.size
        if size and positions[-1] - positions[0] == size - 1 and (np.diff(positions) == 1).all():
            return np.asarray(grid[positions[0] : positions[-1] + 1])
        return np.asarray(grid[positions])


def plan_bands(
    arrays: BlockArrays,
    row_band: RowBand,
    view: QRectF,
    sy: float,
    oy: float,
    top: int,
    height: int,
    raster: bool,
) -> BandPlan:
    """The plan for a canvas ``height`` device rows tall whose first row is ``top``; bioreactor
    rows are included only when ``raster`` (else they are drawn as vectors)."""
    tops, heights = arrays.lane_top, arrays.lane_height
    summary = np.flatnonzero((tops + heights >= view.top()) & (tops <= view.bottom()))
    rows = np.zeros(0, dtype=np.int64)
    if raster:
        first, last = max(0, int(view.top())), min(len(arrays.layout), int(view.bottom()) + 1)
        reactors = arrays.bioreactor_rows
        rows = reactors[(reactors >= first) & (reactors < last) & (arrays.row_lane[reactors] >= 0)]
    lanes = np.union1d(summary, arrays.row_lane[rows]).astype(np.int64)
    lane_pos = np.full(max(int(tops.size), 1), -1, dtype=np.int64)
    lane_pos[lanes] = np.arange(lanes.size)
    source = np.zeros(max(1, height), dtype=np.intp)
    y_a = tops[summary] * sy + oy - top
    y_b = (tops[summary] + heights[summary]) * sy + oy - top
    for index, (a, b) in enumerate(zip(y_a.tolist(), y_b.tolist(), strict=True)):
        upper = round(min(a, b))
        lower = max(upper + 1, round(max(a, b)) - 1)
        source[max(upper, 0) : max(min(lower, height), 0)] = 1 + index
    row_y, row_h = row_band(rows.astype(np.float64), sy, oy)
    fill, edge = 1 + summary.size, 1 + summary.size + rows.size
    for index, (y, h) in enumerate(zip(row_y.tolist(), row_h.tolist(), strict=True)):
        upper, lower = max(int(y) - top, 0), min(int(y + h) - top, height)
        if lower <= upper:
            continue
        thick = min(LINE, max(1, (lower - upper) // 3))
        source[upper:lower] = fill + index
        source[upper : upper + thick] = edge + index
        source[lower - thick : lower] = edge + index
    grid_rows = lane_pos[arrays.row_lane[rows]]
    reactor_of = np.full(lanes.size, -1, dtype=np.int64)
    reactor_of[grid_rows] = np.arange(rows.size)
    return BandPlan(lanes, lane_pos, lane_pos[summary], grid_rows, reactor_of, source)
