"""Stacked blocks keep their labels (issue 11): overlapping campaigns drawn in sub-lanes are named
by their ID first, elided to fit, in a font no smaller than a legible minimum."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QImage

from scheduler_app.localtime import DAY_SECONDS, to_epoch
from tests.factories import NEW_YORK, local
from tests.ui.timeline.mouse import point_at
from ui.timeline.block_marks import SUB_LANE_POINTS, BlockMarks
from ui.timeline.blocks import BAND_PAD


def _overlap(service) -> None:  # type: ignore[no-untyped-def]
    """CMP-0002 moved onto CMP-0001's time on SYR-BR501 (both 2-batch campaigns)."""
    service.move_campaign("CMP-0002", start=local("2027-03-08", NEW_YORK))


def _ink(image: QImage, x0: int, x1: int, y: int, fill: QColor) -> int:
    """Pixels on row ``y`` between ``x0`` and ``x1`` that are neither the fill nor white: text."""
    count = 0
    for x in range(x0, x1):
        colour = image.pixelColor(x, y)
        far = max(abs(a - b) for a, b in zip(colour.getRgb()[:3], fill.getRgb()[:3], strict=True))
        if far > 60 and colour.name() != "#ffffff":
            count += 1
    return count


def _sub_lane_centre(timeline, row: int, sub: int, subs: int) -> float:  # type: ignore[no-untyped-def]
    band = 1.0 - 2 * BAND_PAD
    return row + BAND_PAD + band * (sub + 0.5) / subs


@pytest.mark.parametrize("height", [260, 1400])
def test_both_stacked_blocks_carry_their_label(timeline, service, qtbot, height: int) -> None:
    timeline.resize(1400, height)
    _overlap(service)
    # Both campaigns' first batches (14 days) span several hundred pixels.
    timeline.set_visible_range(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 15, tzinfo=UTC))
    qtbot.wait(20)
    image = timeline.plot.grab().toImage()
    arrays = timeline.arrays
    schedule = service.schedule
    row = timeline.layout.bioreactor_row["SYR-BR501"]
    ratio = image.devicePixelRatio()
    for campaign_id in ("CMP-0001", "CMP-0002"):
        slot = arrays.slot_of[campaign_id]
        assert arrays.subs[slot] == 2
        campaign = schedule.campaigns[campaign_id]
        fill = QColor(schedule.products[campaign.product].colour)
        centre = _sub_lane_centre(timeline, row, int(arrays.sub[slot]), 2)
        left = point_at(timeline, to_epoch(campaign.start), centre)
        x0 = int((max(left.x(), 0) + 6) * ratio)
        y = int(left.y() * ratio)
        # The label's first 40 pixels cross the sub-lane's middle as text, not as plain fill.
        text = _ink(image, x0, x0 + int(40 * ratio), y, fill)
        assert text >= 6, f"{campaign_id} has no label at row height {timeline.row_px()}"
        # Past the label, in the same batch, the block is plain fill again.
        far = point_at(timeline, to_epoch(campaign.start) + 11 * DAY_SECONDS, centre)
        plain = _ink(image, int(far.x() * ratio), int((far.x() + 20) * ratio), y, fill)
        assert plain == 0


def test_labels_stay_inside_their_sub_lane(timeline, service, qtbot) -> None:
    """No pixel of one sub-lane's label is painted into the other's block."""
    timeline.resize(1400, 260)
    _overlap(service)
    timeline.set_visible_range(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 15, tzinfo=UTC))
    qtbot.wait(20)
    blocks = timeline.blocks
    arrays = timeline.arrays
    painted: list[tuple[float, float, float, float]] = []

    original = blocks.marks._stacked_label

    def spy(painter, arrays_, slot, text_x, by, room, bh, fill, faded):  # type: ignore[no-untyped-def]
        painted.append((text_x, by, room, bh))
        original(painter, arrays_, slot, text_x, by, room, bh, fill, faded)

    blocks.marks._stacked_label = spy  # type: ignore[method-assign]
    timeline.plot.grab()
    stacked = [p for p in painted if p[3] < timeline.row_px() / 2]
    assert len(stacked) >= 2
    tops = sorted(p[1] for p in stacked[:2])
    heights = {p[3] for p in stacked}
    # The two sub-lanes are one above the other and do not overlap.
    assert tops[0] + min(heights) <= tops[1]
    font = blocks.marks.stacked_font(min(heights))
    assert font is not None and font[0].pointSizeF() >= SUB_LANE_POINTS
    assert arrays.subs[arrays.slot_of["CMP-0001"]] == 2


def test_stacked_text_is_the_id_first_and_elided_never_into_the_id(timeline, service) -> None:
    _overlap(service)
    marks = BlockMarks()
    arrays = timeline.arrays
    slot = arrays.slot_of["CMP-0001"]
    metrics = marks.small_metrics
    full = marks.stacked_text(arrays, slot, metrics, 1000.0)
    assert full.startswith("CMP-0001 · ") and full.endswith("×2")
    id_width = metrics.horizontalAdvance("CMP-0001")
    middle = marks.stacked_text(arrays, slot, metrics, id_width + 25)
    assert middle.startswith("CMP-0001") and len(middle) < len(full)
    assert metrics.horizontalAdvance(middle) <= id_width + 25
    assert marks.stacked_text(arrays, slot, metrics, id_width + 1) == "CMP-0001"
    assert marks.stacked_text(arrays, slot, metrics, id_width - 2) == ""


def test_the_label_font_has_a_legible_minimum() -> None:
    marks = BlockMarks()
    assert marks.stacked_font(30.0) == (marks.font, marks.metrics)
    small = marks.stacked_font(marks.small_metrics.capHeight())
    assert small is not None and small[0].pointSizeF() == SUB_LANE_POINTS
    # Lower than the small font's capitals: no label rather than an illegible one.
    assert marks.stacked_font(marks.small_metrics.capHeight() - 1) is None
