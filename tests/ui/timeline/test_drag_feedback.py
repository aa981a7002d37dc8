"""Drag feedback (issue 11) with real mouse events: a start/end readout on the ghost, the label
kept inside the view at the right edge and on the bottom row, and auto-scroll at the edge."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, QRectF, Qt

from scheduler_app.localtime import DAY_SECONDS, add_local_days, to_epoch
from tests.factories import NEW_YORK, local
from tests.ui.timeline.mouse import drag, move, point_at, press, release


def _middle(timeline, campaign_id: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    schedule = timeline.service.schedule
    campaign = schedule.campaigns[campaign_id]
    middle = (to_epoch(campaign.start) + to_epoch(schedule.campaign_end(campaign))) / 2
    return middle, timeline.layout.bioreactor_row[campaign.bioreactor] + 0.5


def _visible(timeline) -> QRectF:  # type: ignore[no-untyped-def]
    view = timeline.view
    top_left = timeline.plot.mapFromScene(view.mapToScene(view.boundingRect().topLeft()))
    bottom_right = timeline.plot.mapFromScene(view.mapToScene(view.boundingRect().bottomRight()))
    return QRectF(top_left.toPointF(), bottom_right.toPointF())


def test_moving_shows_the_new_start_and_end_site_local(timeline, qtbot) -> None:
    x, row = _middle(timeline, "CMP-0001")  # 2027-03-01, 2 × 14 days + 2 on SYR-BR501
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 7 * DAY_SECONDS, row)
    press(timeline, start)
    for step in range(1, 7):
        move(timeline, start + (end - start) * step / 6)
    ghost = timeline.drag.ghost
    assert ghost is not None
    assert ghost.readout == "CMP-0001 → SYR-BR501 · 2027-03-08 → 2027-04-07 (New York)"
    assert ghost.label.splitlines()[0] == ghost.readout
    release(timeline, end)


def test_the_conflict_label_stays_inside_the_view_at_the_right_edge(timeline, qtbot) -> None:
    campaign = timeline.service.schedule.campaigns["CMP-0001"]
    # The block ends right at the view's right edge: the label would start near the edge.
    timeline.set_visible_range(
        datetime(2027, 1, 1, tzinfo=UTC), timeline.service.schedule.campaign_end(campaign)
    )
    qtbot.wait(10)
    x, row = _middle(timeline, "CMP-0001")
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 20 * DAY_SECONDS, row)  # onto CMP-0002: a conflict
    press(timeline, start)
    for step in range(1, 7):
        move(timeline, start + (end - start) * step / 6)
    timeline.plot.grab()  # paint
    ghost = timeline.drag.ghost
    assert ghost is not None and ghost.conflicts
    box = timeline.ghost_item.label_box
    visible = _visible(timeline)
    assert box.width() > 100
    assert visible.left() <= box.left() and box.right() <= visible.right()
    timeline.drag.cancel()
    release(timeline, end)


def test_the_resize_label_is_visible_on_the_bottom_row(timeline, service, qtbot) -> None:
    service.move_campaign("CMP-0003", bioreactor="SDO-SU01")  # the last row
    timeline.resize(1400, 150)
    qtbot.wait(20)
    timeline.view.scroll_rows(100)  # scrolled to the bottom: the last row touches the edge
    qtbot.wait(10)
    schedule = service.schedule
    campaign = schedule.campaigns["CMP-0003"]
    row = timeline.layout.bioreactor_row["SDO-SU01"] + 0.5
    edge = to_epoch(schedule.campaign_end(campaign))
    timeline.set_visible_range(campaign.start, schedule.campaign_end(campaign))
    timeline.set_visible_range(
        datetime.fromtimestamp(to_epoch(campaign.start) - 20 * DAY_SECONDS, UTC),
        datetime.fromtimestamp(edge + 60 * DAY_SECONDS, UTC),
    )
    qtbot.wait(10)
    start = point_at(timeline, edge - 1, row)
    end = point_at(timeline, edge + 16 * DAY_SECONDS, row)
    press(timeline, start)
    for step in range(1, 7):
        move(timeline, start + (end - start) * step / 6)
    timeline.plot.grab()
    ghost = timeline.drag.ghost
    assert ghost is not None and ghost.batches == 4
    assert ghost.readout.startswith("CMP-0003: 4 batches · ends ")
    box = timeline.ghost_item.label_box
    visible = _visible(timeline)
    assert visible.top() <= box.top() and box.bottom() <= visible.bottom()
    release(timeline, end)


def test_holding_a_drag_at_the_right_edge_scrolls_the_view(timeline, qtbot) -> None:
    x, row = _middle(timeline, "CMP-0001")
    start = point_at(timeline, x, row)
    viewport = timeline.plot.viewport()
    edge = QPoint(viewport.width() - 8, start.y())
    press(timeline, start)
    for step in range(1, 9):
        move(timeline, start + (edge - start) * step / 8)
    left_before = timeline.view.viewRange()[0][0]
    first = timeline.drag.ghost.moves[0][1]
    qtbot.wait(400)
    assert timeline.view.viewRange()[0][0] > left_before + DAY_SECONDS
    later = timeline.drag.ghost.moves[0][1]
    assert later > first  # the ghost follows the pointer into the newly shown time
    release(timeline, edge)
    assert not timeline.drag.scroll_timer.isActive()
    assert local("2027-03-01", NEW_YORK) < later


CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_ripple_drag_says_how_far_and_what_it_pushes(timeline, qtbot) -> None:
    schedule = timeline.service.schedule
    x, row = _middle(timeline, "CMP-0001")
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 10 * DAY_SECONDS, row)
    drag(timeline, start, end, keys=CTRL, finish=False)
    timeline.plot.grab()
    ghost = timeline.drag.ghost
    assert ghost is not None and ghost.ripple
    # CMP-0001 ends 2027-04-10; CDX-110 needs 10 days after it, so CMP-0002 starts 2027-04-20.
    pushed = schedule.campaigns["CMP-0002"]
    last_end = add_local_days(local("2027-04-20", NEW_YORK), pushed.duration_days, NEW_YORK)
    assert ghost.readout == (
        f"CMP-0001 → SYR-BR501 · +10 d · pushes 1 campaign (last ends {last_end:%Y-%m-%d})"
    )
    assert ghost.label.splitlines()[0] == ghost.readout
    assert timeline.ghost_item.label_box.width() > 200  # painted
    with qtbot.waitSignal(timeline.rippleRequested, timeout=1000) as request:
        release(timeline, end, keys=CTRL)
    assert request.args[0] == "CMP-0001"


def test_a_ripple_into_a_locked_campaign_reads_refused(timeline, qtbot) -> None:
    x, row = _middle(timeline, "CMP-0001")
    start = point_at(timeline, x, row)
    end = point_at(timeline, x + 120 * DAY_SECONDS, row)  # CMP-0004 (In progress) is in the way
    received: list[object] = []
    timeline.rippleRequested.connect(lambda *args: received.append(args))
    drag(timeline, start, end, keys=CTRL, finish=False)
    timeline.plot.grab()
    ghost = timeline.drag.ghost
    assert ghost is not None and ghost.severity == "error"
    assert ghost.readout == (
        "CMP-0001 → SYR-BR501 · +120 d · refused: CMP-0004 is locked (In progress)"
    )
    assert ghost.label.splitlines()[0] == ghost.readout
    release(timeline, end, keys=CTRL)
    assert received == []
