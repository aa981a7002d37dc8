"""A dense view (thousands of blocks) is rasterised in numpy; what it draws must match the data:
product colours where the blocks are, red frames on error conflicts, nothing in the gaps."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtGui import QColor

from scheduler_app.localtime import to_epoch
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.synthetic import synthetic_schedule
from tests.ui.timeline.mouse import point_at
from ui.timeline.blocks_item import ERROR_COLOUR


@pytest.fixture
def dense(qtbot):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    schedule = synthetic_schedule(3000, 24, seed=3)
    engine = ConflictEngine(schedule)
    engine.check_all()
    widget = TimelineWidget(SimpleNamespace(schedule=schedule, engine=engine))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_zoom("fit")
    return widget


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_fit_all_is_rasterised_and_draws_each_block_in_its_colour(dense) -> None:
    image = dense.plot.grab().toImage()
    assert dense.blocks.last_paint_mode == "raster"
    arrays = dense.arrays
    schedule = arrays.schedule
    checked = 0
    for slot in range(0, len(arrays), 13):
        campaign = schedule.campaigns[arrays.ids[slot]]
        start, end = to_epoch(campaign.start), to_epoch(schedule.campaign_end(campaign))
        left, right = point_at(dense, start, 0).x(), point_at(dense, end, 0).x()
        if right - left < 8 or arrays.severity[slot] or campaign.status.value != "Planned":
            continue
        centre = point_at(dense, (start + end) / 2, arrays.row[slot] + 0.5)
        colour = image.pixelColor(centre)
        assert _close(colour, QColor(schedule.products[campaign.product].colour)), campaign.id
        checked += 1
    assert checked >= 20


def test_error_conflicts_get_a_red_frame(dense) -> None:
    image = dense.plot.grab().toImage()
    arrays = dense.arrays
    framed = [s for s in range(len(arrays)) if arrays.severity[s] == 2 and arrays.row[s] >= 0]
    assert framed, "the synthetic plan has conflicts"
    red = 0
    for slot in framed[:40]:
        top_edge = point_at(
            dense, (arrays.start[slot] + arrays.end[slot]) / 2, arrays.row[slot] + 0.5
        )
        y = top_edge.y()
        while y > 0 and not _close(image.pixelColor(top_edge.x(), y), ERROR_COLOUR, 10):
            y -= 1
            if top_edge.y() - y > 20:
                break
        red += _close(image.pixelColor(top_edge.x(), y), ERROR_COLOUR, 10)
    assert red >= len(framed[:40]) * 0.6  # most are found (neighbours may overdraw narrow ones)
