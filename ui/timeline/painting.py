"""Small painting helpers shared by the timeline's items: batched rectangles and colours.

``RectBatch`` hands QPainter one contiguous C array of QRectF built with numpy, the same trick
pyqtgraph's BarGraphItem uses, so ten thousand blocks cost one call per colour instead of ten
thousand Python objects.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem

EXPOSED_MARGIN_PX = 3.0


def paint_exposed(item: QGraphicsItem) -> None:
    """Have Qt hand ``item.paint`` the rectangle it must repaint (``option.exposedRect``), so
    a layer as wide as the view can draw only what a small update (a drag's ghost) exposed."""
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)


def exposed_view(
    item: Any, option: object, painter: QPainter, view: QRectF | None = None
) -> QRectF | None:
    """The visible part of the view (item coordinates, ``view`` if already known) that this
    paint must cover: the view cut to ``option.exposedRect``, widened by a few device pixels
    (``painter`` maps the item to them) so edges rounded either way are drawn; the whole view
    where Qt exposes all of it or gives no exposed rectangle. None when not in a view."""
    if view is None:
        view = item.viewRect()
        if view is None:
            return None
    exposed = getattr(option, "exposedRect", None)
    if not isinstance(exposed, QRectF) or exposed.isEmpty() or exposed.contains(view):
        return view
    transform = painter.transform()
    dx = EXPOSED_MARGIN_PX / max(abs(transform.m11()), 1e-12)
    dy = EXPOSED_MARGIN_PX / max(abs(transform.m22()), 1e-12)
    cut = view.intersected(exposed.normalized().adjusted(-dx, -dy, dx, dy))
    return cut if not cut.isEmpty() else None


class RectBatch:
    """A reusable (n, 4) float64 buffer laid out as QRectF (x, y, w, h)."""

    def __init__(self) -> None:
        self._buffer = np.empty((64, 4), dtype=np.float64)

    def draw_rects(
        self, painter: QPainter, x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray
    ) -> None:
        count = int(x.size)
        if count == 0:
            return
        if count > self._buffer.shape[0]:
            self._buffer = np.empty((max(count, 2 * self._buffer.shape[0]), 4), dtype=np.float64)
        view = self._buffer[:count]
        view[:, 0] = x
        view[:, 1] = y
        view[:, 2] = w
        view[:, 3] = h
        # The buffer read as a C array of QRectF (four doubles each): one call draws them all.
        first = cast(QRectF, shiboken6.wrapInstance(self._buffer.ctypes.data, QRectF))
        painter.drawRects(first, count)


def lighter(colour: QColor, amount: float) -> QColor:
    """``colour`` blended towards white by ``amount`` (0..1): how tentative campaigns look."""
    r, g, b = colour.red(), colour.green(), colour.blue()
    return QColor(
        int(r + (255 - r) * amount), int(g + (255 - g) * amount), int(b + (255 - b) * amount)
    )


def text_colour_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill``."""
    luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue()
    return QColor("#111111") if luminance > 150 else QColor("#ffffff")
