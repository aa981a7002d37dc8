"""The dense layer's canvas, pixel for pixel: its colour rows are what painting each block in turn
(later ones on top) gives, and Qt's band-by-band fills of those rows put down exactly the pixels
of the whole canvas drawn as one image, at every device pixel ratio and after a pan inside it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from scheduler_app.synthetic import synthetic_schedule
from tests.ui.timeline.fake_source import FakeSource
from ui.timeline.blocks import CANCELLED
from ui.timeline.dense_layer import DenseLayer
from ui.timeline.raster import argb, pixel_spans


@pytest.fixture
def dense(qtbot):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(FakeSource(synthetic_schedule(3000, 24, seed=3)))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_zoom("fit")
    widget.select([widget.arrays.ids[slot] for slot in range(0, len(widget.arrays), 41)])
    return widget


class _Recorder:
    """Keeps the arguments of the dense layer's last paint and the scale of its last render."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paint_args: tuple[Any, ...] = ()
        self.sx = 0.0
        paint, render = DenseLayer.paint, DenseLayer._render

        def record_paint(layer: DenseLayer, *args: Any) -> None:
            self.paint_args = args[1:]  # all but the painter
            paint(layer, *args)

        def record_render(layer: DenseLayer, *args: Any) -> None:
            self.sx = args[2]
            render(layer, *args)

        monkeypatch.setattr(DenseLayer, "paint", record_paint)
        monkeypatch.setattr(DenseLayer, "_render", record_render)


def _render(widget, ratio: float) -> QImage:  # type: ignore[no-untyped-def]
    width, height = widget.plot.width(), widget.plot.height()
    image = _blank(round(width * ratio), round(height * ratio), ratio)
    painter = QPainter(image)
    widget.plot.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return image


def _blank(width: int, height: int, ratio: float) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor(40, 90, 160))
    return image


def _words(image: QImage) -> np.ndarray:
    size = image.width() * image.height()
    words = np.frombuffer(image.constBits(), dtype=np.uint32, count=size)
    return words.reshape(image.height(), image.width()).copy()


def _layer_alone(layer: DenseLayer, args: tuple[Any, ...], size: QImage) -> np.ndarray:
    image = _blank(size.width(), size.height(), size.devicePixelRatioF())
    painter = QPainter(image)
    layer.paint(painter, *args)  # the same view: the canvas is reused, only drawn again
    painter.end()
    return _words(image)


def _canvas_as_one_image(layer: DenseLayer, args: tuple[Any, ...], size: QImage) -> np.ndarray:
    """The old way: every canvas row built (``source`` picks each one's compact row) and the
    view's part of it drawn with one ``drawImage`` at the layer's position."""
    _, view, sx, ox, sy, oy, device, _ = args
    ratio = size.devicePixelRatioF()
    ox = ox * ratio
    left, top, right, _ = (round(v * ratio) for v in device)
    u_view = int(np.floor(left - ox))
    assert layer.compact is not None and layer._plan is not None
    plan = layer._plan[1]
    canvas = np.ascontiguousarray(np.take(layer.compact.pixels, plan.source, axis=0))
    height, width = canvas.shape
    picture = QImage(
        canvas.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied
    )
    picture.setDevicePixelRatio(ratio)
    image = _blank(size.width(), size.height(), ratio)
    painter = QPainter(image)
    source = QRectF(float(u_view - layer._u_left), 0, right - left, height)
    painter.drawImage(QPointF((u_view + ox) / ratio, top / ratio), picture, source)
    painter.end()
    return _words(image)


@pytest.mark.parametrize("ratio", [1.0, 2.0, 1.5])
def test_band_fills_draw_the_canvas_as_one_image_would(dense, monkeypatch, ratio) -> None:
    recorder = _Recorder(monkeypatch)
    left, right = dense.view.viewRange()[0]
    pixel = (right - left) / dense.view.width()
    for shift in (0.0, 7.3, 19.6):  # a zoom's own canvas, then two pans inside the margin
        dense.view.setXRange(left + shift * pixel, right + shift * pixel, padding=0)
        size = _render(dense, ratio)
        layer = dense.blocks.dense
        assert dense.blocks.last_paint_mode == "raster" and layer.compact is not None
        drawn = _layer_alone(layer, recorder.paint_args, size)
        wanted = _canvas_as_one_image(layer, recorder.paint_args, size)
        assert (wanted != _words(_blank(size.width(), size.height(), ratio))).sum() > 10_000
        assert (drawn != wanted).sum() == 0, shift


def _naive_rows(dense, sx: float, lanes: np.ndarray, words: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Each lane's pixel row painted block by block in start order, each block over those
    before it, with the block's ``words`` entry (0: nothing)."""
    arrays, layer = dense.arrays, dense.blocks.dense
    count, width, u_left = len(arrays), layer._width, layer._u_left
    t0, t1 = u_left / sx, (u_left + width) / sx
    rows = np.zeros((lanes.size, width), dtype=np.uint32)
    order = arrays.order
    for index, lane in enumerate(lanes.tolist()):
        slots = order[(arrays.lane[order] == lane) & arrays.visible[order]]
        slots = slots[(arrays.end[slots] > t0) & (arrays.start[slots] <= t1)]
        begin, end = pixel_spans(
            np.stack((arrays.start[slots], arrays.end[slots])), sx, u_left, width
        )
        for slot, a, b in zip(slots.tolist(), begin.tolist(), end.tolist(), strict=True):
            rows[index, a:b] = words[slot] if slot < count else 0
    return rows


def test_colour_rows_are_the_blocks_painted_in_turn(dense, monkeypatch) -> None:
    # Frames off (transparent frame colours draw none), so every fill row is the blocks' fills.
    item = dense.blocks
    for name in ("error_colour", "warning_colour", "selection_colour"):
        setattr(item, name, QColor(0, 0, 0, 0))
    item.dense.invalidate()
    recorder = _Recorder(monkeypatch)
    left, right = dense.view.viewRange()[0]
    dense.view.setXRange(left + 0.3 * (right - left), left + 0.55 * (right - left), padding=0)
    _render(dense, 1.0)
    assert item.last_paint_mode == "raster"
    layer, arrays = item.dense, dense.arrays
    assert layer.compact is not None and layer._plan is not None
    plan, rows = layer._plan[1], layer.compact.pixels
    count = len(arrays)
    summary = item.words[arrays.colour[:count].astype(np.int64) * 3]
    summary[arrays.status[:count] == CANCELLED] = 0
    fill = item.words[item.styles(arrays, np.arange(count))]
    fill[arrays.subs[:count] > 1] = 0
    lanes = plan.lanes[plan.summary]
    wanted = _naive_rows(dense, recorder.sx, lanes, summary)
    assert (wanted != 0).sum() > 1000
    assert (rows[1 : 1 + lanes.size] == wanted).all()
    reactors = plan.lanes[plan.reactors]
    wanted = _naive_rows(dense, recorder.sx, reactors, fill)
    first = 1 + lanes.size
    assert (rows[first : first + reactors.size] == wanted).all()
    assert (rows[first + reactors.size :] == wanted).all()  # edges: no frames to draw


def test_edge_rows_are_the_fills_with_frames_on_them(dense) -> None:
    """Conflicts and the selection frame their blocks on the edge rows: there, and only in the
    frame colours, they differ from the fill rows."""
    _render(dense, 1.0)
    item = dense.blocks
    layer = item.dense
    assert layer.compact is not None and layer._plan is not None
    plan, rows = layer._plan[1], layer.compact.pixels
    first, reactors = 1 + plan.summary.size, plan.reactors.size
    fill, edge = rows[first : first + reactors], rows[first + reactors :]
    frames = {argb(item.error_colour), argb(item.warning_colour), argb(item.selection_colour)}
    changed = set(np.unique(edge[edge != fill]).tolist())
    assert len(changed) >= 2 and changed <= frames
