"""The dense (rasterised) view stacks overlapping campaigns in sub-lanes as the block view does:
every campaign of an overlap stays visible, and the pixels of a stacked row are the same whether
the view is rasterised or drawn block by block."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from scheduler_app.campaigns import Status
from scheduler_app.synthetic import synthetic_schedule
from tests.ui.timeline.fake_source import FakeSource
from tests.ui.timeline.mouse import point_at
from ui.timeline import blocks_item
from ui.timeline.blocks import BAND_PAD


def _overlapping_schedule():  # type: ignore[no-untyped-def]
    """The dense test plan with campaigns in the middle of its span moved onto the one before
    them (a day later), each pair of two different products, on the first dozen rows."""
    schedule = synthetic_schedule(3000, 24, seed=3)
    starts = sorted(c.start for c in schedule.campaigns.values())
    middle = starts[len(starts) // 2]
    moved = 0
    for reactor in schedule.bioreactors_in_order()[:14]:
        lane = sorted(schedule.campaigns_on(reactor.code), key=lambda c: c.start)
        pairs = [
            (before, after)
            for before, after in zip(lane, lane[1:], strict=False)
            if before.status is after.status is Status.PLANNED
            and before.product != after.product
            and before.batches == 1
        ]
        if pairs:
            before, after = min(pairs, key=lambda pair: abs(pair[0].start - middle))
            schedule.put_campaign(dataclasses.replace(after, start=before.start + timedelta(1)))
            moved += 1
    assert moved >= 6
    return schedule


@pytest.fixture
def stacked(qtbot):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(FakeSource(_overlapping_schedule()))
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    starts = np.sort(widget.arrays.start[: len(widget.arrays)])
    middle = float(starts[starts.size // 2])
    widget.view.setXRange(middle - 600 * 86_400, middle + 600 * 86_400, padding=0)
    return widget


def _pairs(widget):  # type: ignore[no-untyped-def]
    """Stacked pairs in view whose overlap is at least 10 px wide: (upper, lower, x0, x1)."""
    arrays = widget.arrays
    count = len(arrays)
    left, right = widget.view.viewRange()[0]
    top, bottom = widget.view.viewRange()[1]
    found = []
    for slot in np.flatnonzero(arrays.subs[:count] == 2).tolist():
        if arrays.sub[slot] != 0 or not top <= arrays.row[slot] < bottom - 1:
            continue
        same = np.flatnonzero(
            (arrays.row[:count] == arrays.row[slot])
            & (arrays.sub[:count] == 1)
            & (arrays.start[:count] < arrays.end[slot])
            & (arrays.end[:count] > arrays.start[slot])
        )
        for other in same.tolist():
            t0 = max(arrays.start[slot], arrays.start[other], left)
            t1 = min(arrays.end[slot], arrays.end[other], right)
            x0, x1 = point_at(widget, t0, 0).x(), point_at(widget, t1, 0).x()
            if x1 - x0 >= 10:
                found.append((slot, other, x0 + 3, x1 - 3))
    return found


def _lane_y(widget, row: int, sub: int) -> int:  # type: ignore[no-untyped-def]
    band = 1.0 - 2 * BAND_PAD
    return point_at(widget, 0.0, row + BAND_PAD + band * (sub + 0.5) / 2).y()


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_the_raster_view_shows_both_campaigns_of_an_overlap(stacked) -> None:
    image = stacked.plot.grab().toImage()
    assert stacked.blocks.last_paint_mode == "raster"
    arrays, schedule = stacked.arrays, stacked.arrays.schedule
    pairs = _pairs(stacked)
    assert len(pairs) >= 3
    for upper, lower, x0, x1 in pairs:
        row = int(arrays.row[upper])
        for slot, sub in ((upper, 0), (lower, 1)):
            campaign = schedule.campaigns[arrays.ids[slot]]
            want = QColor(schedule.products[campaign.product].colour)
            y = _lane_y(stacked, row, sub)
            seen = [image.pixelColor(x, y) for x in range(x0, x1)]
            share = sum(_close(c, want) for c in seen) / len(seen)
            assert share > 0.25, f"{campaign.id} is hidden in the raster view"  # bar its label


def _pixels(image: QImage, x0: int, x1: int, y0: int, y1: int) -> list[list[str]]:
    return [[image.pixelColor(x, y).name() for x in range(x0, x1)] for y in range(y0, y1)]


def test_a_stacked_row_looks_the_same_rasterised_and_block_by_block(stacked, monkeypatch) -> None:
    raster = stacked.plot.grab().toImage()
    assert stacked.blocks.last_paint_mode == "raster"
    monkeypatch.setattr(blocks_item, "RASTER_MIN_BLOCKS", 10**9)
    stacked.blocks.update()
    vector = stacked.plot.grab().toImage()
    assert stacked.blocks.last_paint_mode == "vector"
    pairs = _pairs(stacked)
    assert pairs
    for upper, _, x0, x1 in pairs:
        row = int(stacked.arrays.row[upper])
        y0 = point_at(stacked, 0.0, row + 0.05).y()
        y1 = point_at(stacked, 0.0, row + 0.95).y()
        assert _pixels(raster, x0, x1, y0, y1) == _pixels(vector, x0, x1, y0, y1)
