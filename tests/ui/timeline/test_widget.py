"""The widget around the drag: selection, rubber band, zoom, zones, filters, collapse, refresh
after a service change, tooltips and what a dense view draws."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from scheduler_app.localtime import DAY_SECONDS, to_epoch
from tests.ui.timeline.mouse import drag, point_at, press, release, send
from ui.timeline.tooltips import campaign_tooltip


def _click(timeline, campaign_id: str, keys=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    schedule = timeline.service.schedule
    campaign = schedule.campaigns[campaign_id]
    x = to_epoch(campaign.start) + 2 * DAY_SECONDS
    point = point_at(timeline, x, timeline.layout.bioreactor_row[campaign.bioreactor] + 0.5)
    press(timeline, point, keys)
    release(timeline, point, keys)


def test_click_ctrl_click_and_click_on_empty_space(timeline, qtbot) -> None:
    with qtbot.waitSignal(timeline.selectionChanged) as first:
        _click(timeline, "CMP-0001")
    assert first.args == [["CMP-0001"]]
    ctrl = Qt.KeyboardModifier.ControlModifier
    _click(timeline, "CMP-0002", ctrl)
    assert timeline.selected_ids() == ["CMP-0001", "CMP-0002"]
    _click(timeline, "CMP-0001", ctrl)
    assert timeline.selected_ids() == ["CMP-0002"]
    slot = timeline.arrays.slot_of["CMP-0002"]
    assert timeline.blocks.selected[slot] and timeline.blocks.selected.sum() == 1
    empty = point_at(
        timeline,
        datetime(2027, 2, 10, tzinfo=UTC),
        timeline.layout.bioreactor_row["SDO-SU01"] + 0.5,
    )
    press(timeline, empty)
    release(timeline, empty)
    assert timeline.selected_ids() == []


def test_select_from_outside_does_not_echo(timeline, qtbot) -> None:
    received: list[object] = []
    timeline.selectionChanged.connect(received.append)
    timeline.select(["CMP-0003", "nope"])
    assert timeline.selected_ids() == ["CMP-0003"]
    assert received == []


def test_shift_drag_on_empty_space_is_a_rubber_band(timeline, qtbot) -> None:
    top = timeline.layout.bioreactor_row["SYR-BR501"] + 0.3
    bottom = timeline.layout.bioreactor_row["SDO-BR1501"] + 0.7
    start = point_at(timeline, datetime(2027, 2, 5, tzinfo=UTC), top - 1.2)  # site header row
    end = point_at(timeline, datetime(2027, 5, 20, tzinfo=UTC), bottom)
    shift = Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(timeline.selectionChanged) as selected:
        drag(timeline, start, end, keys=shift)
    assert sorted(selected.args[0]) == ["CMP-0001", "CMP-0002", "CMP-0003"]


def test_dragging_the_background_pans_time_only_by_the_mouse(timeline, qtbot) -> None:
    before = timeline.visible_range()
    start = point_at(
        timeline,
        datetime(2027, 2, 10, tzinfo=UTC),
        timeline.layout.bioreactor_row["SDO-SU01"] + 0.5,
    )
    drag(timeline, start, start + QPoint(-200, 0))
    after = timeline.visible_range()
    assert after[0] > before[0]
    assert after[1] - after[0] == pytest.approx(before[1] - before[0], abs=timedelta(minutes=1))


def test_wheel_zooms_time_only(timeline, qtbot) -> None:
    from PySide6.QtGui import QWheelEvent

    before = timeline.visible_range()
    rows_before = timeline.view.viewRange()[1]
    viewport = timeline.plot.viewport()
    centre = QPointF(point_at(timeline, datetime(2027, 5, 1, tzinfo=UTC), 3.5))
    event = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(viewport, event)
    after = timeline.visible_range()
    assert (after[1] - after[0]) < (before[1] - before[0]) * 0.9
    assert timeline.view.viewRange()[1] == pytest.approx(rows_before)


def test_zoom_presets_and_visible_range(timeline) -> None:
    assert [key for key, _ in timeline.zoom_preset_names()] == [
        "2w",
        "quarter",
        "year",
        "3y",
        "fit",
    ]
    timeline.set_zoom("2w")
    start, end = timeline.visible_range()
    assert end - start == timedelta(days=14)
    timeline.set_zoom("fit")
    start, end = timeline.visible_range()
    schedule = timeline.service.schedule
    assert start <= min(c.start for c in schedule.campaigns.values())
    assert end >= max(schedule.campaign_end(c) for c in schedule.campaigns.values())
    with pytest.raises(ValueError):
        timeline.set_zoom("decade")


def test_display_zone_moves_the_ticks(timeline) -> None:
    timeline.set_visible_range(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
    left, right = timeline.view.viewRange()[0]
    timeline.set_display_zone("Asia/Seoul")
    seoul = timeline.date_axis.tickValues(left, right, 1000)[0][1]
    timeline.set_display_zone("America/New_York")
    new_york = timeline.date_axis.tickValues(left, right, 1000)[0][1]
    april_seoul = to_epoch(datetime(2027, 3, 31, 15, tzinfo=UTC))  # 1 April 00:00 KST
    april_new_york = to_epoch(datetime(2027, 4, 1, 4, tzinfo=UTC))  # 1 April 00:00 EDT
    assert april_seoul in seoul and april_new_york in new_york
    may_new_york = to_epoch(datetime(2027, 5, 1, 4, tzinfo=UTC))
    labels = timeline.date_axis.tickStrings([april_new_york, may_new_york], 1, 3.0)
    assert labels == ["Apr", "May"]
    timeline.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 2, 15, tzinfo=UTC))
    timeline.plot.grab()
    assert "2027" in timeline.date_axis.labelText  # a two-week view still names its year


def test_filters_collapse_and_cancelled(timeline, service) -> None:
    timeline.set_filter(sites={"SDO"})
    assert all(row.site == "SDO" for row in timeline.layout.rows)
    assert not timeline.arrays.visible[timeline.arrays.slot_of["CMP-0001"]]
    timeline.set_filter(products={"CDX-110"})
    visible = {
        timeline.arrays.ids[s]
        for s in np.flatnonzero(timeline.arrays.visible[: len(timeline.arrays)])
    }
    assert visible == {"CMP-0002"}
    timeline.set_filter()
    timeline.set_suite_collapsed("SYR-S1", True)
    assert "SYR-BR501" not in timeline.layout.bioreactor_row
    assert timeline.arrays.lane[timeline.arrays.slot_of["CMP-0001"]] >= 0  # still summarised
    timeline.set_suite_collapsed("SYR-S1", False)
    assert "SYR-BR501" in timeline.layout.bioreactor_row


def test_a_service_change_redraws_only_that_campaign(timeline, service) -> None:
    slot = timeline.arrays.slot_of["CMP-0003"]
    arrays = timeline.arrays
    old = service.schedule.campaigns["CMP-0003"]
    service.move_campaign("CMP-0003", start=old.start + timedelta(days=7))
    assert timeline.arrays is arrays  # updated in place, not rebuilt
    assert arrays.start[slot] == to_epoch(service.schedule.campaigns["CMP-0003"].start)
    overlapping = service.schedule.campaigns["CMP-0002"].start + timedelta(days=3)
    service.move_campaign("CMP-0003", start=overlapping, bioreactor="SYR-BR501")
    assert arrays.row[slot] == timeline.layout.bioreactor_row["SYR-BR501"]
    assert arrays.severity[slot] > 0  # it now collides with the Syracuse campaigns


def test_scroll_to_brings_a_campaign_into_view(timeline) -> None:
    timeline.set_visible_range(datetime(2029, 1, 1, tzinfo=UTC), datetime(2029, 2, 1, tzinfo=UTC))
    timeline.scroll_to("CMP-0003")
    start, end = timeline.visible_range()
    campaign = timeline.service.schedule.campaigns["CMP-0003"]
    assert start <= campaign.start <= end


def test_tooltip_in_site_local_time_with_conflicts(service) -> None:
    schedule = service.schedule
    text = campaign_tooltip(
        schedule, schedule.campaigns["CMP-0002"], service.engine.conflicts_for("CMP-0002")
    )
    assert "CMP-0002" in text and "Cedoxin" in text and "Client B" in text
    assert "2027-04-02 00:00 EDT" in text and "America/New_York" in text
    assert "changeover" in text
    seoul = campaign_tooltip(schedule, schedule.campaigns["CMP-0003"])
    assert "2027-05-03 00:00 KST" in seoul


def test_double_click_empty_row_requests_a_campaign_at_local_midnight(timeline, qtbot) -> None:
    row = timeline.layout.bioreactor_row["SDO-SU01"] + 0.5
    point = point_at(timeline, datetime(2027, 6, 10, 9, tzinfo=UTC), row)
    from PySide6.QtCore import QEvent

    left = Qt.MouseButton.LeftButton
    with qtbot.waitSignal(timeline.createRequested) as created:
        press(timeline, point)
        release(timeline, point)
        send(timeline, QEvent.Type.MouseButtonDblClick, point, left, left)
        release(timeline, point)
    code, start = created.args
    assert code == "SDO-SU01"
    local = start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Seoul"))
    assert (local.hour, local.minute) == (0, 0)


def test_hovering_a_block_shows_its_tooltip(timeline, qtbot) -> None:
    from tests.ui.timeline.mouse import move

    schedule = timeline.service.schedule
    campaign = schedule.campaigns["CMP-0003"]
    point = point_at(
        timeline,
        to_epoch(campaign.start) + 5 * DAY_SECONDS,
        timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5,
    )
    move(timeline, point, buttons=Qt.MouseButton.NoButton)
    assert "CMP-0003" in timeline.blocks.toolTip()
    assert "KST" in timeline.blocks.toolTip()
    empty = point_at(
        timeline,
        datetime(2027, 2, 10, tzinfo=UTC),
        timeline.layout.bioreactor_row["SDO-SU01"] + 0.5,
    )
    move(timeline, empty, buttons=Qt.MouseButton.NoButton)
    assert timeline.blocks.toolTip() == ""


def test_incremental_refresh_equals_a_full_rebuild(timeline, service) -> None:
    moved = service.schedule.campaigns["CMP-0002"]
    service.move_campaign("CMP-0003", start=moved.start + timedelta(days=2), bioreactor="SYR-BR501")
    service.set_batches("CMP-0001", 4)
    incremental = timeline.arrays

    def marks(arrays):  # type: ignore[no-untyped-def]
        return {
            arrays.ids[s]: (arrays.row[s], arrays.start[s], arrays.end[s], arrays.severity[s])
            for s in range(len(arrays))
            if arrays.visible[s]
        }

    before = marks(incremental)
    timeline.refresh()  # full rebuild
    assert timeline.arrays is not incremental
    assert marks(timeline.arrays) == before
    assert before["CMP-0003"][3] == 2 and before["CMP-0002"][3] == 2


def test_right_click_asks_for_a_context_menu_with_what_is_under_the_mouse(timeline, qtbot) -> None:
    from tests.ui.timeline.mouse import RIGHT

    campaign = timeline.service.schedule.campaigns["CMP-0003"]
    row = timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5
    point = point_at(timeline, to_epoch(campaign.start) + 3 * DAY_SECONDS, row)
    with qtbot.waitSignal(timeline.contextMenuRequested) as asked:
        press(timeline, point, button=RIGHT)
        release(timeline, point, button=RIGHT)
    global_pos, campaign_id, spot = asked.args
    assert campaign_id == "CMP-0003"
    assert spot[0] == "SDO-BR1501"
    assert global_pos == timeline.plot.viewport().mapToGlobal(point)


def test_double_click_on_a_block_activates_it(timeline, qtbot) -> None:
    from PySide6.QtCore import QEvent

    campaign = timeline.service.schedule.campaigns["CMP-0001"]
    point = point_at(
        timeline,
        to_epoch(campaign.start) + 3 * DAY_SECONDS,
        timeline.layout.bioreactor_row["SYR-BR501"] + 0.5,
    )
    left = Qt.MouseButton.LeftButton
    with qtbot.waitSignal(timeline.campaignActivated) as activated:
        press(timeline, point)
        release(timeline, point)
        send(timeline, QEvent.Type.MouseButtonDblClick, point, left, left)
        release(timeline, point)
    assert activated.args == ["CMP-0001"]


def test_marks_follow_a_seed_conflict_to_the_other_bioreactor(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A move on one bioreactor clears a seed conflict it shared with a campaign on another: the
    other campaign's mark goes too, without a rebuild."""
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store
    from tests.factories import SEOUL, campaign, local
    from tests.scheduler_app.rules.support import process_schedule
    from ui.timeline import TimelineWidget

    schedule = process_schedule()  # one seed bioreactor for both Songdo bioreactors
    campaign(schedule, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    campaign(schedule, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-03", batches=1)
    store = Store.open(str(tmp_path / "plan.sqlite"))
    try:
        service = ScheduleService(store, user="test.planner")
        service.apply_schedule(schedule, action="demo", description="seed sharing")
        widget = TimelineWidget(service)
        qtbot.addWidget(widget)
        arrays = widget.arrays
        other = arrays.slot_of["CMP-0001"]
        assert [c.kind for c in service.engine.conflicts_for("CMP-0001")] == ["seed"]
        assert arrays.severity[other] == 2

        service.move_campaign("CMP-0002", start=local("2027-04-01", SEOUL))

        assert widget.arrays is arrays  # refreshed in place
        assert service.engine.conflicts_for("CMP-0001") == []
        assert arrays.severity[other] == 0
        service.move_campaign("CMP-0002", start=local("2027-03-02", SEOUL))
        assert arrays.severity[other] == 2
        widget.detach()
    finally:
        store.close()


def test_marks_after_many_moves_equal_a_full_rebuild(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Incremental marks come from each campaign's own conflicts (engine.conflicts_for): after
    moves across bioreactors and sites of a dense synthetic plan, they equal a rebuild's."""
    import random

    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store
    from scheduler_app.synthetic import synthetic_schedule
    from ui.timeline import TimelineWidget

    store = Store.open(str(tmp_path / "plan.sqlite"))
    try:
        service = ScheduleService(store, user="test.planner")
        service.apply_schedule(synthetic_schedule(600, 8, 3), action="import")
        widget = TimelineWidget(service)
        qtbot.addWidget(widget)
        pick = random.Random(5)
        keys = sorted(service.schedule.campaigns)
        reactors = sorted(service.schedule.bioreactors)
        for _ in range(12):
            moved = service.schedule.campaigns[pick.choice(keys)]
            if moved.status.locked:
                continue
            service.move_campaign(
                moved.id,
                start=moved.start + timedelta(days=pick.randint(-20, 20)),
                bioreactor=pick.choice(reactors),
                reason="test",
            )
            incremental = widget.arrays
            marks = {incremental.ids[s]: incremental.severity[s] for s in range(len(incremental))}
            widget.refresh()
            rebuilt = widget.arrays
            assert marks == {rebuilt.ids[s]: rebuilt.severity[s] for s in range(len(rebuilt))}
        widget.detach()
    finally:
        store.close()


def test_blocks_keep_their_colours_across_a_move_and_take_a_new_product_colour(
    timeline, service
) -> None:  # type: ignore[no-untyped-def]
    """A move refreshes the arrays in place and keeps the colour table; a product's new colour
    (master data) rebuilds it."""
    blocks = timeline.blocks
    key = "CMP-0003"
    product = service.schedule.campaigns[key].product
    code = timeline.arrays.product_codes.index(product)
    words = blocks.words.copy()
    moved = service.schedule.campaigns[key]
    service.move_campaign(key, start=moved.start + timedelta(days=1))
    assert (blocks.words == words).all()
    service.edit_product(product, colour="#123456")
    assert blocks.words[3 * blocks.arrays.product_codes.index(product)] != words[3 * code]
