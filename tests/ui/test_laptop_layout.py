"""A laptop screen (issue 11): rows keep a legible height and scroll instead of squashing, a
compact/comfortable row-height setting, docks that give the timeline room when empty, and today
on screen at open. Real mouse and wheel events."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scheduler_app.localtime import to_epoch
from tests.ui.timeline.mouse import point_at
from ui.timeline.widget import ROW_DENSITIES


def test_compact_rows_from_the_view_menu_survive_a_restart(open_window, plan_db) -> None:
    first = open_window(plan_db)
    first.resize(900, 420)
    first.window_actions.density_actions["compact"].trigger()
    low, high = ROW_DENSITIES["compact"]
    assert low <= first.timeline.row_px() <= high
    first.close()
    second = open_window(plan_db)
    assert second.timeline.row_density == "compact"
    assert second.window_actions.density_actions["compact"].isChecked()


def test_empty_inspector_gives_the_timeline_room_and_returns_on_a_click(window, qtbot) -> None:
    timeline = window.timeline
    assert window.inspector_dock.isHidden()
    wide = timeline.width()
    timeline.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 9, 1, tzinfo=UTC))
    campaign = window.service.schedule.campaigns["CMP-0001"]
    row = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    middle = to_epoch(campaign.start) + to_epoch(window.service.schedule.campaign_end(campaign))
    spot = point_at(timeline, middle / 2, row)
    viewport = timeline.plot.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=spot)
    # Not while the button is held: the timeline must not resize under a press or a drag.
    assert window.inspector_dock.isHidden()
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: not window.inspector_dock.isHidden(), timeout=2000)
    assert window.inspector.campaign.id == "CMP-0001"
    qtbot.waitUntil(lambda: timeline.width() < wide, timeout=2000)
    window.timeline.select([], emit=True)
    assert window.inspector_dock.isHidden()


def test_a_panel_the_planner_closed_stays_closed(window) -> None:
    window.show_campaigns(["CMP-0001"])
    assert window.inspector_dock.isVisible()
    window.inspector_dock.toggleViewAction().trigger()  # the planner closes it
    window.show_campaigns([])
    window.timeline.select([], emit=True)
    window.show_campaigns(["CMP-0003"])
    assert window.inspector_dock.isHidden()


def test_today_is_on_screen_at_open_and_zoom_centres_on_the_selection(window) -> None:
    timeline = window.timeline
    left, right = timeline.view.viewRange()[0]
    assert left < to_epoch(datetime.now(UTC)) < right
    window.show_campaigns(["CMP-0003"])
    window.window_actions.set_zoom("2w")
    campaign = window.service.schedule.campaigns["CMP-0003"]
    end = window.service.schedule.campaign_end(campaign)
    centre = (to_epoch(campaign.start) + to_epoch(end)) / 2
    left, right = timeline.view.viewRange()[0]
    assert abs((left + right) / 2 - centre) < 3600
