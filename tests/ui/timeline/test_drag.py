"""Dragging campaigns with real mouse events: across sites, cancelled, onto a conflict, resized,
refused when locked. Assertions are on the signals, the ghost the widget shows and the pixels."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from scheduler_app.localtime import (
    DAY_SECONDS,
    from_epoch,
    local_midnight,
    nearest_local_midnight,
    to_epoch,
)
from tests.factories import NEW_YORK, SEOUL
from tests.ui.timeline.mouse import RIGHT, drag, move, point_at, press, release, view_x


def _middle(timeline, campaign_id: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    schedule = timeline.service.schedule
    campaign = schedule.campaigns[campaign_id]
    middle = (to_epoch(campaign.start) + to_epoch(schedule.campaign_end(campaign))) / 2
    return middle, timeline.layout.bioreactor_row[campaign.bioreactor] + 0.5


def _probe(timeline, campaign_id: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Two days before the block's end: inside its last batch, clear of its label."""
    schedule = timeline.service.schedule
    campaign = schedule.campaigns[campaign_id]
    end = to_epoch(schedule.campaign_end(campaign)) - 2 * DAY_SECONDS
    return end, timeline.layout.bioreactor_row[campaign.bioreactor] + 0.5


def _pixel(timeline, epoch: float, row: float) -> QColor:  # type: ignore[no-untyped-def]
    image = timeline.plot.grab().toImage()
    return image.pixelColor(point_at(timeline, epoch, row))


def test_drag_to_the_other_site_requests_that_bioreactor_and_its_local_midnight(
    timeline, qtbot
) -> None:
    schedule = timeline.service.schedule
    original = schedule.campaigns["CMP-0003"]  # on SDO-BR1501 (Seoul)
    x, row = _middle(timeline, "CMP-0003")
    target_row = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 45 * DAY_SECONDS + 7 * 3600, target_row)

    with qtbot.waitSignal(timeline.moveRequested, timeout=1000) as requested:
        drag(timeline, start, end)

    [(campaign_id, new_start, bioreactor)] = requested.args[0]
    assert (campaign_id, bioreactor) == ("CMP-0003", "SYR-BR501")
    moved_by = view_x(timeline, end) - view_x(timeline, start)
    wanted = nearest_local_midnight(original.start + timedelta(seconds=moved_by), NEW_YORK)
    assert new_start == wanted
    assert new_start == local_midnight(new_start, NEW_YORK)  # Syracuse midnight, not Seoul's
    assert new_start != local_midnight(new_start, SEOUL)
    assert timeline.drag.ghost is None
    assert schedule.campaigns["CMP-0003"] == original  # the widget never changes the schedule


def test_esc_mid_drag_emits_nothing_and_leaves_the_drawing_unchanged(timeline, qtbot) -> None:
    x, row = _middle(timeline, "CMP-0003")
    before = _pixel(timeline, *_probe(timeline, "CMP-0003"))
    arrays_before = timeline.arrays.start.copy()
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 30 * DAY_SECONDS, row)
    received: list[object] = []
    timeline.moveRequested.connect(received.append)

    drag(timeline, start, end, finish=False)
    assert timeline.drag.ghost is not None and timeline.drag.ghost.moves
    assert timeline.blocks.faded.any()
    QTest.keyClick(timeline.plot.viewport(), Qt.Key.Key_Escape)
    assert timeline.drag.ghost is None
    move(timeline, end + QPoint(40, 0))
    release(timeline, end + QPoint(40, 0))
    qtbot.wait(5)

    assert received == []
    assert not timeline.blocks.faded.any()
    assert timeline.ghost_item.ghost is None
    assert (timeline.arrays.start == arrays_before).all()
    assert _pixel(timeline, *_probe(timeline, "CMP-0003")) == before
    assert before == QColor("#1f77b4")  # ABX-201's colour: the block is really drawn there


def test_right_click_mid_drag_cancels(timeline, qtbot) -> None:
    x, row = _middle(timeline, "CMP-0003")
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 20 * DAY_SECONDS, row)
    received: list[object] = []
    timeline.moveRequested.connect(received.append)
    drag(timeline, start, end, finish=False)
    press(timeline, end, button=RIGHT)
    release(timeline, end, button=RIGHT)
    assert timeline.drag.ghost is None
    release(timeline, end)
    assert received == []


def test_drag_onto_a_conflict_shows_a_red_ghost_with_the_reason(timeline, qtbot) -> None:
    schedule = timeline.service.schedule
    x, row = _middle(timeline, "CMP-0003")
    cdx = schedule.campaigns["CMP-0002"]  # CDX-110 on SYR-BR501, ends 2027-04-29 New York
    cdx_end = to_epoch(schedule.campaign_end(cdx))
    original = schedule.campaigns["CMP-0003"]
    # Drop ABX-201 four days after the CDX-110 campaign: its changeover needs ten.
    shift = cdx_end + 4 * DAY_SECONDS - to_epoch(original.start)
    target_row = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + shift, target_row)

    drag(timeline, start, end, finish=False)
    ghost = timeline.drag.ghost
    assert ghost is not None and ghost.severity == "error"
    assert ghost.moves[0][2] == "SYR-BR501"
    assert "changeover" in ghost.label
    assert any(c.kind == "changeover" for c in ghost.conflicts)
    painted = timeline.plot.grab().toImage()
    ghost_rect = ghost.rects[0]
    centre = point_at(timeline, (ghost_rect[1] + ghost_rect[2]) / 2, ghost_rect[0] + 0.5)
    colour = painted.pixelColor(centre)
    assert colour.red() > colour.blue()  # tinted red over the row, not the neutral blue

    clean_end = point_at(timeline, x + 60 * DAY_SECONDS, row)
    move(timeline, clean_end)
    assert timeline.drag.ghost.severity is None
    assert timeline.drag.ghost.label == timeline.drag.ghost.readout  # where, no conflicts
    QTest.keyClick(timeline.plot.viewport(), Qt.Key.Key_Escape)
    release(timeline, clean_end)


def test_right_edge_drag_requests_whole_batches(timeline, qtbot) -> None:
    schedule = timeline.service.schedule
    campaign = schedule.campaigns["CMP-0003"]  # 3 batches of 14 days, turnaround 2
    end = to_epoch(schedule.campaign_end(campaign))
    row = timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5
    edge = point_at(timeline, end, row) - QPoint(2, 0)
    target = point_at(timeline, end + 2 * 16 * DAY_SECONDS + 3 * DAY_SECONDS, row)

    with qtbot.waitSignal(timeline.resizeRequested, timeout=1000) as requested:
        drag(timeline, edge, target)
    assert requested.args == ["CMP-0003", 5]


def test_resize_never_goes_below_one_batch(timeline, qtbot) -> None:
    schedule = timeline.service.schedule
    campaign = schedule.campaigns["CMP-0003"]
    end = to_epoch(schedule.campaign_end(campaign))
    row = timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5
    edge = point_at(timeline, end, row) - QPoint(2, 0)
    far_left = point_at(timeline, to_epoch(campaign.start) - 20 * DAY_SECONDS, row)
    with qtbot.waitSignal(timeline.resizeRequested, timeout=1000) as requested:
        drag(timeline, edge, far_left)
    assert requested.args == ["CMP-0003", 1]


def test_a_locked_campaign_does_not_move_and_says_why(timeline, qtbot) -> None:
    timeline.set_visible_range(
        from_epoch(
            to_epoch(timeline.service.schedule.campaigns["CMP-0004"].start) - 20 * DAY_SECONDS
        ),
        from_epoch(
            to_epoch(timeline.service.schedule.campaigns["CMP-0004"].start) + 60 * DAY_SECONDS
        ),
    )
    x, row = _middle(timeline, "CMP-0004")
    received: list[object] = []
    timeline.moveRequested.connect(received.append)
    start = point_at(timeline, x, row)
    with qtbot.waitSignal(timeline.statusMessage, timeout=1000) as message:
        drag(timeline, start, start + QPoint(120, 0))
    assert "CMP-0004" in message.args[0] and "In progress" in message.args[0]
    assert received == []
    assert timeline.drag.ghost is None


def test_multi_selection_moves_together(timeline, qtbot) -> None:
    x1, row1 = _middle(timeline, "CMP-0001")
    x3, row3 = _middle(timeline, "CMP-0003")
    press(timeline, point_at(timeline, x1, row1))
    release(timeline, point_at(timeline, x1, row1))
    ctrl = Qt.KeyboardModifier.ControlModifier
    press(timeline, point_at(timeline, x3, row3), keys=ctrl)
    release(timeline, point_at(timeline, x3, row3), keys=ctrl)
    assert timeline.selected_ids() == ["CMP-0001", "CMP-0003"]

    start = point_at(timeline, x3, row3)
    with qtbot.waitSignal(timeline.moveRequested, timeout=1000) as requested:
        drag(timeline, start, point_at(timeline, x3 + 21 * DAY_SECONDS, row3))
    moves = {campaign_id: (start, reactor) for campaign_id, start, reactor in requested.args[0]}
    assert set(moves) == {"CMP-0001", "CMP-0003"}
    schedule = timeline.service.schedule
    for campaign_id, (new_start, reactor) in moves.items():
        old = schedule.campaigns[campaign_id]
        assert reactor == old.bioreactor
        days = (new_start - old.start).total_seconds() / DAY_SECONDS
        assert 20 <= round(days) <= 22


def test_shift_drag_moves_freely_without_the_midnight_snap(timeline, qtbot) -> None:
    original = timeline.service.schedule.campaigns["CMP-0003"]
    x, row = _middle(timeline, "CMP-0003")
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 10.4 * DAY_SECONDS, row)
    shift = Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(timeline.moveRequested, timeout=1000) as requested:
        drag(timeline, start, end, keys=shift)
    [(_, new_start, bioreactor)] = requested.args[0]
    moved_by = view_x(timeline, end) - view_x(timeline, start)
    assert bioreactor == "SDO-BR1501"
    assert new_start != local_midnight(new_start, SEOUL)
    assert abs((new_start - original.start).total_seconds() - moved_by) < 60
