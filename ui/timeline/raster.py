"""Dense views drawn with numpy instead of one QPainter call per block.

When thousands of blocks are visible each is a few pixels wide, and Qt's raster engine spends
microseconds per rectangle. Here every visible row is resolved to "which block owns each pixel
column" with one ``searchsorted`` over all rows at once, written into an ARGB32 canvas and handed to
QPainter as a single image. Conflict and selection outlines are drawn into the same canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

_ROW_STRIDE = 1 << 22  # wider than any device: pixel columns of row r live in [r·S, r·S + S)


def argb(colour: QColor) -> int:
    """A colour as the premultiplied 0xAARRGGBB word ``Format_ARGB32_Premultiplied`` stores."""
    alpha = colour.alpha()
    scale = alpha / 255.0
    red, green, blue = (round(c * scale) for c in (colour.red(), colour.green(), colour.blue()))
    return (alpha << 24) | (red << 16) | (green << 8) | blue


@dataclass
class Band:
    """One row of blocks on the canvas: its id (matches ``rows`` given to :func:`owners`) and
    its top and bottom in canvas pixels."""

    row: int
    top: int
    bottom: int


def owners(
    x0: np.ndarray, x1: np.ndarray, rows: np.ndarray, band_rows: np.ndarray, width: int
) -> np.ndarray:
    """``(len(band_rows), width)`` index into ``x0`` of the block covering each pixel column of
    each band row, or -1. ``x0``/``x1`` are canvas pixel columns; a later-starting block wins where
    two overlap, and a long block shows again after a short one inside it ends."""
    if x0.size == 0 or band_rows.size == 0:
        return np.full((band_rows.size, width), -1, dtype=np.int64)
    begin = np.clip(np.floor(x0), 0, width).astype(np.int64)
    end = np.clip(np.ceil(x1), 0, width).astype(np.int64)
    end = np.maximum(end, begin + 1)
    # A pixel of air between blocks that touch, when they are wide enough to spare it.
    end = np.where(end - begin >= 4, end - 1, end)
    key_begin = rows.astype(np.int64) * _ROW_STRIDE + begin
    key_end = rows.astype(np.int64) * _ROW_STRIDE + end
    order = np.argsort(key_begin, kind="stable")
    key_begin, key_end = key_begin[order], key_end[order]
    reach = np.maximum.accumulate(key_end)
    holder = np.maximum.accumulate(np.where(key_end == reach, np.arange(order.size), 0))
    columns = np.arange(width, dtype=np.int64)
    queries = band_rows.astype(np.int64)[:, None] * _ROW_STRIDE + columns[None, :]
    found = np.searchsorted(key_begin, queries, side="right") - 1
    safe = np.maximum(found, 0)
    same_row = (found >= 0) & (key_begin[safe] // _ROW_STRIDE == band_rows[:, None])
    covered = same_row & (reach[safe] > queries)
    own = np.where(key_end[safe] > queries, safe, holder[safe])
    return np.where(covered, order[own], -1)


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
    outline: np.ndarray | None = None,
    line: int = 2,
) -> None:
    """Write each band's fill colours (``fill[owner]``) and, where ``outline[owner]`` is non-zero,
    a ``line``-pixel frame around each block, into ``pixels``."""
    for index, band in enumerate(bands):
        top, bottom = max(band.top, 0), min(band.bottom, pixels.shape[0])
        if bottom <= top:
            continue
        own = owner[index]
        hit = own >= 0
        colours = np.where(hit, fill[np.maximum(own, 0)], 0).astype(np.uint32)
        pixels[top:bottom, :] = colours[None, :]
        if outline is None:
            continue
        frame = np.where(hit, outline[np.maximum(own, 0)], 0).astype(np.uint32)
        if not frame.any():
            continue
        framed = frame != 0
        thick = min(line, max(1, (bottom - top) // 3))
        pixels[top : top + thick, framed] = frame[framed]
        pixels[bottom - thick : bottom, framed] = frame[framed]
        edges = np.zeros(own.size, dtype=bool)
        change = own[1:] != own[:-1]
        for shift in range(thick):
            edges[shift + 1 :] |= change[: change.size - shift]
            edges[: own.size - 1 - shift] |= change[shift:]
        edge = edges & framed
        pixels[top:bottom, edge] = frame[edge][None, :]
