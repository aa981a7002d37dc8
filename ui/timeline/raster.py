"""Dense views drawn with numpy instead of one QPainter call per block.

When thousands of blocks are visible each is a few pixels wide, and Qt's raster engine spends
microseconds per rectangle. Here every visible band (a bioreactor row or a suite-summary lane) is
resolved to "which block owns each pixel column" with one sort and one ``np.repeat``, written into
an ARGB32 canvas and handed to QPainter as a single image. Conflict and selection frames are
drawn into the same canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter


def argb(colour: QColor) -> int:
    """A colour as the premultiplied 0xAARRGGBB word ``Format_ARGB32_Premultiplied`` stores."""
    alpha = colour.alpha()
    scale = alpha / 255.0
    red, green, blue = (round(c * scale) for c in (colour.red(), colour.green(), colour.blue()))
    return (alpha << 24) | (red << 16) | (green << 8) | blue


@dataclass
class Band:
    """One strip of blocks on the canvas: ``key`` names it for :func:`owners` (a row or lane
    number), ``top``/``bottom`` are canvas pixel rows."""

    key: int
    top: int
    bottom: int


def owners(
    x0: np.ndarray, x1: np.ndarray, keys: np.ndarray, band_keys: np.ndarray, width: int
) -> np.ndarray:
    """``(len(band_keys), width)``: for each pixel column of each band, the index (into ``x0``)
    of the block drawn there, or -1. ``band_keys`` must be sorted; ``x0``/``x1`` are canvas pixel
    columns, sorted by start within each band. Where blocks overlap, the later-starting one is on
    top, as if each block were painted in turn."""
    bands = band_keys.size
    if x0.size == 0 or bands == 0:
        return np.full((bands, width), -1, dtype=np.int64)
    lookup = np.full(int(max(band_keys.max(), keys.max())) + 2, -1, dtype=np.int64)
    lookup[band_keys] = np.arange(bands)
    band = lookup[np.where(keys >= 0, keys, -1)]
    inside = band >= 0
    begin = np.clip(np.floor(x0), 0, width).astype(np.int64)
    end = np.clip(np.ceil(x1), 0, width).astype(np.int64)
    end = np.maximum(end, np.minimum(begin + 1, width))
    # A pixel of air between blocks that touch, when they are wide enough to spare it.
    end = np.where(end - begin >= 4, end - 1, end)
    index = np.flatnonzero(inside & (end > begin))
    flat_begin = band[index] * width + begin[index]
    flat_end = band[index] * width + end[index]
    # Callers pass blocks sorted by start, so within a band they are already in column order:
    # grouping by band is enough, and a stable sort on a small integer type is a radix sort.
    order = np.argsort(band[index].astype(np.int16), kind="stable")
    index, flat_begin, flat_end = index[order], flat_begin[order], flat_end[order]
    # Blocks that overlap (an overlap conflict) form clusters that are painted again below,
    # exactly, in start order; everything else is one pass of np.repeat.
    reach = np.maximum.accumulate(flat_end)
    overlapping = flat_begin[1:] < reach[:-1]
    cluster = np.cumsum(np.concatenate(([True], ~overlapping)))
    clustered = np.bincount(cluster)[cluster] > 1
    again = [
        (int(b), int(e), int(i))
        for b, e, i in zip(
            flat_begin[clustered], flat_end[clustered], index[clustered], strict=True
        )
    ]
    flat_end[:-1] = np.minimum(flat_end[:-1], flat_begin[1:])
    keep = flat_end > flat_begin
    index, flat_begin, flat_end = index[keep], flat_begin[keep], flat_end[keep]
    previous_end = np.concatenate(([0], flat_end[:-1]))
    values = np.empty(2 * index.size + 1, dtype=np.int64)
    values[0:-1:2] = -1
    values[1::2] = index
    values[-1] = -1
    lengths = np.empty(2 * index.size + 1, dtype=np.int64)
    lengths[0:-1:2] = flat_begin - previous_end
    lengths[1::2] = flat_end - flat_begin
    lengths[-1] = bands * width - (flat_end[-1] if index.size else 0)
    grid = np.repeat(values, lengths)
    for begin_at, end_at, block in again:
        grid[begin_at:end_at] = block
    return grid.reshape(bands, width)


class Canvas:
    """An ARGB32 premultiplied image backed by numpy, reused between paints."""

    def __init__(self) -> None:
        self.pixels = np.zeros((1, 1), dtype=np.uint32)

    def reset(self, width: int, height: int) -> np.ndarray:
        if self.pixels.shape != (height, width):
            self.pixels = np.zeros((height, width), dtype=np.uint32)
        else:
            self.pixels.fill(0)
        return self.pixels

    def draw(self, painter: QPainter, left: float, top: float) -> None:
        height, width = self.pixels.shape
        image = QImage(
            self.pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied
        )
        painter.drawImage(QPointF(left, top), image)


def paint_bands(
    pixels: np.ndarray,
    bands: list[Band],
    owner: np.ndarray,
    fill: np.ndarray,
    frame: np.ndarray | None = None,
    line: int = 2,
) -> None:
    """Write each band's colours (``fill[owner]``) into ``pixels`` and, where ``frame[owner]`` is
    non-zero, a ``line``-pixel frame in that colour around the block. Rows are worked out for all
    bands at once; each band is then three slice assignments (top edge, middle, bottom edge)."""
    lookup = np.concatenate(([0], fill)).astype(np.uint32)
    middle = lookup[owner + 1]
    edge_row = middle
    if frame is not None and frame.any():
        frames = np.concatenate(([0], frame)).astype(np.uint32)[owner + 1]
        framed = frames != 0
        edge_row = np.where(framed, frames, middle)
        change = owner[:, 1:] != owner[:, :-1]
        edges = np.zeros(owner.shape, dtype=bool)
        for shift in range(line):
            edges[:, shift + 1 :] |= change[:, : change.shape[1] - shift]
            edges[:, : owner.shape[1] - 1 - shift] |= change[:, shift:]
        middle = np.where(edges & framed, frames, middle)
    height = pixels.shape[0]
    for index, band in enumerate(bands):
        top, bottom = max(band.top, 0), min(band.bottom, height)
        if bottom <= top:
            continue
        thick = min(line, max(1, (bottom - top) // 3)) if edge_row is not middle else 0
        pixels[top:bottom] = middle[index]
        if thick:
            pixels[top : top + thick] = edge_row[index]
            pixels[bottom - thick : bottom] = edge_row[index]
