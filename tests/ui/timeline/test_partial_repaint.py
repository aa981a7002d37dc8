"""A drag repaints only the band its ghost leaves and enters, and every layer paints only the
rectangle Qt exposes. These tests check that the picture is the same as a whole repaint: each
layer told that only a part of the view is exposed paints that part as it does when the whole
view is, and the window's pixels after a
drag of many small moves (each a partial repaint) equal a fresh paint of the whole widget."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem

from tests.ui.timeline.mouse import move, point_at, press, release
from tests.ui.timeline.test_drag import _middle

_FLAG = QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption


def _render(timeline, source: QRect) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(source.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    timeline.plot.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()
    return image


def _window_pixels(timeline) -> QImage:  # type: ignore[no-untyped-def]
    """What the window shows now: the backing store, not a fresh paint."""
    screen = QApplication.primaryScreen()
    return screen.grabWindow(timeline.winId()).toImage().convertToFormat(QImage.Format.Format_RGB32)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return (
        np.frombuffer(image.constBits(), dtype=np.uint32)
        .reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()]
        .copy()
    )  # a copy: the converted image dies with this call


def _differing(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    return int((_pixels(a) != _pixels(b)).sum())


def _paint_layer(timeline, layer, part: QRect, exposed: QRectF) -> QImage:  # type: ignore[no-untyped-def]
    """``layer`` painted as Qt paints it on the viewport, clipped to ``part``, told that
    ``exposed`` (item coordinates) is what needs painting."""
    viewport = timeline.plot.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setClipRect(part)
    painter.setTransform(layer.deviceTransform(timeline.plot.viewportTransform()))
    option = QStyleOptionGraphicsItem()
    option.exposedRect = exposed
    layer.paint(painter, option, viewport)
    painter.end()
    return image.copy(part)


@pytest.mark.parametrize("days", [600, 120, 21])
def test_each_layer_painting_only_the_exposed_part_paints_it_as_the_whole_view_would(
    timeline, qtbot, days: int
) -> None:
    start = datetime(2027, 3, 1, tzinfo=UTC)
    timeline.set_visible_range(start, start + timedelta(days=days))
    timeline.select(["CMP-0003", "CMP-0004"])
    timeline.blocks.set_faded(["CMP-0003"])
    timeline.show_reference("baseline", dict(timeline.service.schedule.campaigns))
    qtbot.wait(1)
    layers = [item for item in timeline.plot.scene().items() if item.flags() & _FLAG]
    assert {timeline.blocks, timeline.background, timeline.maintenance, timeline.baseline} <= set(
        layers
    )
    area = timeline.plot.mapFromScene(timeline.view.sceneBoundingRect()).boundingRect()
    shuffle = random.Random(days)
    for _ in range(8):
        width, height = shuffle.randint(30, 500), shuffle.randint(20, 300)
        part = QRect(
            shuffle.randint(area.left(), area.right() - width),
            shuffle.randint(area.top(), area.bottom() - height),
            width,
            height,
        )
        for layer in layers:
            to_item = layer.deviceTransform(timeline.plot.viewportTransform()).inverted()[0]
            culled = _paint_layer(timeline, layer, part, to_item.mapRect(QRectF(part)))
            whole = _paint_layer(timeline, layer, part, layer.boundingRect())
            assert _differing(culled, whole) == 0, (type(layer).__name__, part)


def test_the_window_after_a_drag_of_small_moves_equals_a_fresh_paint(timeline, qtbot) -> None:
    timeline.set_visible_range(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC))
    qtbot.wait(1)
    x, row = _middle(timeline, "CMP-0003")
    start = point_at(timeline, x, row)
    exposed: list[QRect] = []

    class Regions(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                exposed.append(event.region().boundingRect())  # type: ignore[attr-defined]
            return False

    viewport = timeline.plot.viewport()
    regions = Regions()
    viewport.installEventFilter(regions)
    press(timeline, start)
    # Right over three weeks, then down two rows and back left: each move a small repaint.
    path = [start + QPoint(step * 9, 0) for step in range(1, 30)]
    path += [path[-1] + QPoint(-step * 7, step * 3) for step in range(1, 20)]
    for point in path:
        move(timeline, point)
        QApplication.processEvents()
    viewport.removeEventFilter(regions)
    whole = viewport.rect()
    partial = [
        rect
        for rect in exposed
        if rect.width() * rect.height() < whole.width() * 0.5 * whole.height()
    ]
    assert len(partial) >= len(exposed) // 2, "a drag move should repaint only the ghost's band"
    assert timeline.drag.ghost is not None and timeline.drag.ghost.rects
    shown = _window_pixels(timeline)
    fresh = timeline.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    # At a scale factor the offscreen screen hands back the backing store's top-left part.
    assert _differing(shown, fresh.copy(QRect(QPoint(0, 0), shown.size()))) == 0
    release(timeline, path[-1])
