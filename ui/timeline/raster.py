"""Dense views drawn with numpy instead of one QPainter call per block.

When thousands of blocks are visible each is a few pixels wide, and Qt's raster engine spends
microseconds per rectangle. Here every visible lane is resolved to "what is drawn at each pixel
column" with one ``np.repeat`` (:func:`owner_grid`) of the blocks' colour words, and frames are
written only where framed blocks are. Every pixel row of a band is the same (bar its framed top
and bottom edges), so only those few distinct rows are built (:class:`Compact`): Qt fills each
band with its row as a tiled texture brush, one pixel tall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QBrush, QColor, QImage


def argb(colour: QColor) -> int:
    """A colour as the premultiplied 0xAARRGGBB word ``Format_ARGB32_Premultiplied`` stores."""
    alpha = colour.alpha()
    scale = alpha / 255.0
    red, green, blue = (round(c * scale) for c in (colour.red(), colour.green(), colour.blue()))
    return (alpha << 24) | (red << 16) | (green << 8) | blue


def pixel_spans(
    bounds: np.ndarray, scale: float, offset: float, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel columns ``[begin, end)`` each block covers, from its ``bounds`` (start and end
    times, a ``(2, n)`` array) drawn at ``time × scale - offset``: at least one pixel, and a
    pixel of air between blocks that touch when they are wide enough (4 px) to spare it."""
    x = bounds * scale
    x -= offset
    np.clip(x, 0, width, out=x)
    begin = x[0].astype(np.int64)  # floor: x is not negative
    end = np.ceil(x[1]).astype(np.int64)
    np.maximum(end, np.minimum(begin + 1, width), out=end)
    end -= end - begin >= 4
    return begin, end


@dataclass
class Runs:
    """Blocks sorted by band then begin, as flat pixel positions (``band × width + column``):
    ``start``/``stop`` is what each covers, ``[start, shown)`` what is left of it once the blocks
    after it are painted. That is exact unless an earlier block outlasts a later one (a nested
    overlap); the clusters holding one (``redo``) are painted again in order."""

    start: np.ndarray
    stop: np.ndarray
    shown: np.ndarray
    redo: np.ndarray | None

    @classmethod
    def of(cls, begin: np.ndarray, end: np.ndarray, band: np.ndarray, width: int) -> Runs:
        offset = band * width
        start, stop = offset + begin, offset + end
        reach = np.maximum.accumulate(stop)
        nested = reach[:-1] > stop[1:]
        redo = None
        if nested.any():
            cluster = np.cumsum(np.concatenate(([0], start[1:] >= reach[:-1])))
            redo = np.isin(cluster, cluster[1:][nested])
        shown = stop.copy()
        np.minimum(stop[:-1], start[1:], out=shown[:-1])
        return cls(start, stop, shown, redo)


def owner_grid(runs: Runs, value: np.ndarray, bands: int, width: int, empty: int) -> np.ndarray:
    """``(bands, width)``: for each pixel column of each band, the ``value`` of the block drawn
    there, or ``empty``; where blocks overlap the later one is on top, as if each were painted in
    turn. One ``np.repeat`` over the visible runs and the gaps between them, in ``value``'s
    dtype (slot numbers as intp index colour tables without a cast; colour words are the pixels
    themselves)."""
    start, shown = runs.start, runs.shown
    if start.size == 0:
        return np.full((bands, width), empty, dtype=value.dtype)
    values = np.empty(2 * start.size + 1, dtype=value.dtype)
    values[0::2] = empty
    values[1::2] = value
    lengths = np.empty(2 * start.size + 1, dtype=np.int64)
    lengths[0] = start[0]
    np.subtract(start[1:], shown[:-1], out=lengths[2:-1:2])
    np.maximum(shown - start, 0, out=lengths[1::2])
    lengths[-1] = bands * width - shown[-1]
    grid = np.repeat(values, lengths)
    if runs.redo is not None:
        for first, last, block in zip(
            runs.start[runs.redo].tolist(),
            runs.stop[runs.redo].tolist(),
            value[runs.redo].tolist(),
            strict=True,
        ):
            grid[first:last] = block
    return grid.reshape(bands, width)


def run_frames(
    runs: Runs, framed: np.ndarray, shift: np.ndarray, colour: np.ndarray, width: int, line: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Frames of the ``framed`` blocks (indices into ``runs``, none in a ``redo`` cluster), in
    ``colour``, at flat positions moved by ``shift`` (onto the rows they are drawn on): every
    pixel each block still shows (its top and bottom edge), then those within ``line`` pixels of
    either end of that where another owner begins, not at the canvas edge (its sides)."""
    first, last = runs.start[framed], runs.shown[framed]
    lengths = np.maximum(last - first, 0)
    ends = np.cumsum(lengths)
    pixels = np.arange(int(ends[-1]) if ends.size else 0)
    pixels += np.repeat(first + shift - (ends - lengths), lengths)
    left = (first % width != 0) & (lengths > 0)
    right = (last % width != 0) & (lengths > 0)
    sides, paints = [], []
    for step in range(line):
        for ok, at in (
            (left & (lengths > step), first + step),
            (right & (lengths > step), last - 1 - step),
        ):
            sides.append(at[ok] + shift[ok])
            paints.append(colour[ok])
    return pixels, np.repeat(colour, lengths), np.concatenate(sides), np.concatenate(paints)


def owners(
    x0: np.ndarray, x1: np.ndarray, keys: np.ndarray, band_keys: np.ndarray, width: int
) -> np.ndarray:
    """:func:`owner_grid` for blocks given in start order with a band key each: the index (into
    ``x0``) of the block drawn at each pixel of each band in ``band_keys`` (sorted), or -1."""
    bands = band_keys.size
    if x0.size == 0 or bands == 0:
        return np.full((bands, width), -1, dtype=np.intp)
    lookup = np.full(int(max(band_keys.max(), keys.max())) + 2, -1, dtype=np.int64)
    lookup[band_keys] = np.arange(bands)
    band = lookup[np.where(keys >= 0, keys, -1)]
    index = np.flatnonzero(band >= 0)
    index = index[np.argsort(band[index], kind="stable")]
    begin, end = pixel_spans(np.stack((x0[index], x1[index])), 1.0, 0.0, width)
    ok = end > begin
    index, band = index[ok], band[index][ok]
    return owner_grid(Runs.of(begin[ok], end[ok], band, width), index, bands, width, -1)


def framed_pixels(
    grid: np.ndarray,
    begin: np.ndarray,
    end: np.ndarray,
    band: np.ndarray,
    value: np.ndarray,
    line: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pixels the framed blocks (``value``, spanning ``[begin, end)`` of ``band``) still own:
    their band, column and owner, and which of them lie within ``line`` pixels of a change of
    owner along the row (the block's left and right frame)."""
    width = grid.shape[1]
    lengths = end - begin
    count = int(lengths.sum())
    if count == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0, dtype=bool)
    row = np.repeat(band, lengths)
    column = np.arange(count) - np.repeat(np.cumsum(lengths) - lengths - begin, lengths)
    cells = grid.reshape(-1)
    flat = row * width + column
    owner = cells[flat]
    own = np.flatnonzero(owner == np.repeat(value, lengths))
    row, column, flat, owner = row[own], column[own], flat[own], owner[own]
    side = np.zeros(own.size, dtype=bool)
    for step in range(1, line + 1):
        # A neighbour clipped to the row is the pixel itself or a nearer one: no false change.
        side |= cells[flat + np.minimum(step, width - 1 - column)] != owner
        side |= cells[flat - np.minimum(step, column)] != owner
    return row, column, owner, side


class Compact:
    """The distinct pixel rows of a canvas (``ARGB32_Premultiplied`` words, ``rows[0]``
    transparent), each also a texture brush one pixel tall over the same memory: filling a band
    with its row's brush draws every pixel row of it without building them. ``capacity``
    columns are kept (a view one pixel wider than the last reuses them); :attr:`pixels` is the
    ``width`` in use."""

    def __init__(self, count: int, width: int, capacity: int) -> None:
        self.rows = np.zeros((count, max(width, capacity)), dtype=np.uint32)
        self.pixels = self.rows[:, :width]
        stride = self.rows.shape[1]
        self._images = [
            QImage(row.data, stride, 1, stride * 4, QImage.Format.Format_ARGB32_Premultiplied)
            for row in self.rows
        ]
        self.brushes = [QBrush(image) for image in self._images]

    def fits(self, count: int, width: int) -> bool:
        return self.rows.shape[0] == count and width <= self.rows.shape[1]

    def use(self, width: int) -> None:
        self.pixels = self.rows[:, :width]
