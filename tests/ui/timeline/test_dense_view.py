"""A dense view (thousands of blocks) is rasterised in numpy; what it draws must match the data:
product colours where the blocks are, red frames on error conflicts, nothing in the gaps."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QColor

from scheduler_app.localtime import to_epoch
from scheduler_app.synthetic import synthetic_schedule
from tests.ui.timeline.fake_source import FakeSource
from tests.ui.timeline.mouse import point_at
from ui.timeline.blocks_item import ERROR_COLOUR


@pytest.fixture
def dense(qtbot):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    schedule = synthetic_schedule(3000, 24, seed=3)
    widget = TimelineWidget(FakeSource(schedule))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_zoom("fit")
    return widget


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _colours_match_the_data(dense) -> int:  # type: ignore[no-untyped-def]
    image = dense.plot.grab().toImage()
    arrays = dense.arrays
    schedule = arrays.schedule
    checked = 0
    view_left, view_right = dense.view.viewRange()[0]
    # The dashed today line is drawn over the blocks; a block centred under it shows its colour.
    today_x = point_at(dense, time.time(), 0).x()
    for slot in range(0, len(arrays), 13):
        campaign = schedule.campaigns[arrays.ids[slot]]
        start, end = to_epoch(campaign.start), to_epoch(schedule.campaign_end(campaign))
        left, right = point_at(dense, start, 0).x(), point_at(dense, end, 0).x()
        if right - left < 8 or arrays.severity[slot] or campaign.status.value != "Planned":
            continue
        if not view_left + 86_400 < (start + end) / 2 < view_right - 86_400:
            continue
        centre = point_at(dense, (start + end) / 2, arrays.row[slot] + 0.5)
        if abs(centre.x() - today_x) <= 3:
            continue
        colour = image.pixelColor(centre)
        assert _close(colour, QColor(schedule.products[campaign.product].colour)), campaign.id
        checked += 1
    return checked


def test_fit_all_is_rasterised_and_draws_each_block_in_its_colour(dense) -> None:
    assert _colours_match_the_data(dense) >= 20
    assert dense.blocks.last_paint_mode == "raster"


def test_panning_reuses_the_image_and_still_draws_the_data(dense) -> None:
    dense.plot.grab()
    renders = dense.blocks.dense.renders
    left, right = dense.view.viewRange()[0]
    pixel = (right - left) / dense.view.width()

    def pan(pixels: float) -> None:
        dense.view.setXRange(left + pixels * pixel, right + pixels * pixel, padding=0)

    pan(10)
    dense.plot.grab()
    assert dense.blocks.dense.renders == renders + 1  # the first pan step adds the margins
    pan(60)
    assert _colours_match_the_data(dense) >= 20
    pan(-30)
    dense.plot.grab()
    assert dense.blocks.dense.renders == renders + 1  # later steps move the window only
    pan(-500)
    assert _colours_match_the_data(dense) >= 15
    assert dense.blocks.dense.renders == renders + 2  # out of the margin: drawn anew
    dense.select([dense.arrays.ids[0]])
    dense.plot.grab()
    assert dense.blocks.dense.renders == renders + 3  # a selection change is never stale


def test_error_conflicts_get_a_red_frame(dense) -> None:
    image = dense.plot.grab().toImage()
    arrays = dense.arrays
    framed = [s for s in range(len(arrays)) if arrays.severity[s] == 2 and arrays.row[s] >= 0]
    assert framed, "the synthetic plan has conflicts"
    red = 0
    for slot in framed[:40]:
        centre = point_at(
            dense, (arrays.start[slot] + arrays.end[slot]) / 2, arrays.row[slot] + 0.5
        )
        y = centre.y()
        while y > 0 and not _close(image.pixelColor(centre.x(), y), ERROR_COLOUR, 10):
            y -= 1
            if centre.y() - y > 20:
                break
        red += _close(image.pixelColor(centre.x(), y), ERROR_COLOUR, 10)
    assert red >= len(framed[:40]) * 0.6  # most are found (neighbours may overdraw narrow ones)


def test_an_empty_schedule_draws_rows_and_nothing_else(qtbot) -> None:
    from tests.factories import small_schedule
    from ui.timeline import TimelineWidget

    schedule = small_schedule()
    widget = TimelineWidget(FakeSource(schedule))
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    widget.set_zoom("fit")  # nothing to fit: the range stays
    image = widget.plot.grab().toImage()
    assert image.width() == 800
    assert [row.code for row in widget.layout.rows][:3] == ["SYR", "SYR-S1", "SYR-BR501"]
    assert widget.arrays.extent() is None


def test_high_dpi_paint_puts_blocks_where_they_belong(dense) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    width, height = dense.plot.width(), dense.plot.height()
    image = QImage(2 * width, 2 * height, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(2.0)
    image.fill(0)
    painter = QPainter(image)
    dense.plot.render(painter, QRectF(0, 0, width, height))  # logical size: the ratio doubles it
    painter.end()
    assert dense.blocks.dense.compact.pixels.shape[1] >= 1.9 * dense.view.width()  # physical
    arrays, schedule = dense.arrays, dense.arrays.schedule
    today_x = point_at(dense, time.time(), 0).x()
    checked = 0
    for slot in range(0, len(arrays), 13):
        campaign = schedule.campaigns[arrays.ids[slot]]
        start, end = to_epoch(campaign.start), to_epoch(schedule.campaign_end(campaign))
        if point_at(dense, end, 0).x() - point_at(dense, start, 0).x() < 8:
            continue
        if arrays.severity[slot] or campaign.status.value != "Planned":
            continue
        centre = point_at(dense, (start + end) / 2, arrays.row[slot] + 0.5)
        if abs(centre.x() - today_x) <= 3:
            continue
        colour = image.pixelColor(2 * centre.x(), 2 * centre.y())
        assert _close(colour, QColor(schedule.products[campaign.product].colour)), campaign.id
        checked += 1
    assert checked >= 20


def test_the_raster_draws_only_its_band_rows_and_leaves_the_rest_untouched(dense) -> None:
    """The canvas draws only the rows that show a band; between bands the layers underneath
    show exactly as they do with the blocks hidden, and every band row is drawn."""
    with_blocks = dense.plot.grab().toImage()
    assert dense.blocks.last_paint_mode == "raster"
    layer = dense.blocks.dense
    plan = layer._plan[1]
    shown = {first + row for first, rows, _ in plan.segments for row in range(rows)}
    assert len(shown) == int((plan.source != 0).sum()) < plan.source.size
    dense.blocks.hide()
    without = dense.plot.grab().toImage()
    dense.blocks.show()
    view = dense.view
    top = round(dense.plot.mapFromScene(view.mapToScene(view.boundingRect().topLeft())).y())
    left = round(point_at(dense, view.viewRange()[0][0], 0).x()) + 2
    right = round(point_at(dense, view.viewRange()[0][1], 0).x()) - 2
    today_x = point_at(dense, time.time(), 0).x()
    columns = [x for x in range(left, right, 3) if abs(x - today_x) > 3]

    def row(image, y):  # type: ignore[no-untyped-def]
        return [image.pixel(x, y) for x in columns]

    for canvas_row in range(0, plan.source.size, 2):
        y = top + canvas_row
        if y >= with_blocks.height():
            break
        same = row(with_blocks, y) == row(without, y)
        assert same == (canvas_row not in shown), canvas_row
