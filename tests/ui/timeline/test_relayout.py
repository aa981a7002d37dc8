"""A filter change or a suite collapse places the existing blocks anew instead of rebuilding them
from the campaigns (issue 12): what it draws must be exactly what a timeline built afresh with the
same filters and collapsed suites draws, pixel for pixel, and the block arrays must agree with
arrays built afresh, stacking of overlaps included."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pytest
from PySide6.QtGui import QImage

from scheduler_app.campaigns import Purpose, Status
from scheduler_app.synthetic import synthetic_schedule
from tests.ui.timeline.fake_source import FakeSource
from tests.ui.timeline.test_dense_stacking import _overlapping_schedule
from ui.timeline.blocks import BlockArrays, Filters
from ui.timeline.rows import build_layout

SIZE = (1500, 800)


def _states(schedule):  # type: ignore[no-untyped-def]
    """(filter keywords, show cancelled, collapsed suites) to step through."""
    sites = sorted(schedule.sites)
    suites = sorted(schedule.suites)
    products = sorted(schedule.products)
    return [
        ({"sites": sites[:1]}, False, set()),
        ({}, False, {suites[0]}),
        ({"sites": sites[-1:]}, False, {suites[-1]}),
        ({"products": products[:5]}, True, {suites[0], suites[-1]}),
        ({"statuses": [Status.PLANNED], "purposes": [Purpose.COMMERCIAL]}, False, set()),
        ({}, True, {suites[1]}),
        ({}, False, set()),
    ]


def _placement(arrays: BlockArrays, campaign_id: str) -> tuple[object, ...]:
    slot = arrays.slot_of[campaign_id]
    lane = int(arrays.lane[slot])
    lane_place = (
        (float(arrays.lane_top[lane]), float(arrays.lane_height[lane])) if lane >= 0 else None
    )
    return (
        bool(arrays.visible[slot]),
        int(arrays.row[slot]),
        lane_place,
        int(arrays.sub[slot]),
        int(arrays.subs[slot]),
        int(arrays.colour[slot]),
        float(arrays.start[slot]),
        float(arrays.end[slot]),
    )


def test_placing_blocks_anew_equals_building_the_arrays_afresh() -> None:
    schedule = _overlapping_schedule()
    filters = Filters()
    arrays = BlockArrays(schedule, build_layout(schedule), filters)
    # Edits after the build: a move onto another campaign (an overlap), a deletion, an addition.
    ordered = sorted(schedule.campaigns.values(), key=lambda c: (c.bioreactor, c.start))
    first, second, gone = ordered[10], ordered[11], ordered[40]
    moved = dataclasses.replace(second, start=first.start + timedelta(days=1))
    added = dataclasses.replace(first, id="CMP-NEW-1", start=first.start + timedelta(days=2))
    schedule.put_campaign(moved)
    schedule.put_campaign(added)
    schedule.remove_campaign(gone.id)
    arrays.update([(moved.id, moved), (added.id, added), (gone.id, None)])
    for keywords, cancelled, collapsed in _states(schedule):
        for name in ("sites", "products", "statuses", "purposes"):
            value = keywords.get(name)
            setattr(filters, name, None if value is None else frozenset(value))
        filters.show_cancelled = cancelled
        layout = build_layout(schedule, collapsed, filters.sites)
        arrays.relayout(layout, dataclasses.replace(filters))  # a new object, as a caller may pass
        fresh = BlockArrays(schedule, layout, dataclasses.replace(filters))
        assert sorted(fresh.ids) == sorted(schedule.campaigns)
        for campaign_id in fresh.ids:
            assert _placement(arrays, campaign_id) == _placement(fresh, campaign_id), campaign_id
        gone_slot = arrays.slot_of[gone.id]
        assert not arrays.visible[gone_slot] and arrays.row[gone_slot] == -1
        np.testing.assert_array_equal(arrays.bioreactor_rows, fresh.bioreactor_rows)
        np.testing.assert_array_equal(arrays.row_lane, fresh.row_lane)
        assert arrays.extent() == fresh.extent()


def _image(widget) -> QImage:  # type: ignore[no-untyped-def]
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _timeline(qtbot, source, x_range):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(source)
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.set_display_zone("UTC")
    widget.show()
    qtbot.waitExposed(widget)
    widget.view.setXRange(*x_range, padding=0)
    return widget


@pytest.mark.parametrize("days", [None, 75])
def test_filters_and_collapses_draw_what_a_fresh_timeline_draws(qtbot, days) -> None:  # type: ignore[no-untyped-def]
    """Fit all (rasterised) and a 75-day view (block by block): after each filter change and
    collapse, the timeline looks exactly like one built afresh in that state."""
    source = FakeSource(synthetic_schedule(2000, 24, seed=11))
    schedule = source.schedule
    starts = sorted(c.start.timestamp() for c in schedule.campaigns.values())
    if days is None:
        x_range = (starts[0] - 86_400.0, starts[-1] + 200 * 86_400.0)
    else:
        middle = starts[len(starts) // 2]
        x_range = (middle - days * 43_200.0, middle + days * 43_200.0)
    widget = _timeline(qtbot, source, x_range)
    chosen = [c.id for c in sorted(schedule.campaigns.values(), key=lambda c: c.start)[::97]]
    widget.select(chosen)
    qtbot.wait(60)
    _image(widget)  # painted once before the changes, so its caches are warm
    for keywords, cancelled, collapsed in _states(schedule):
        widget.set_show_cancelled(cancelled)
        widget.set_filter(**keywords)
        for suite in sorted(schedule.suites):
            widget.set_suite_collapsed(suite, suite in collapsed)
        qtbot.wait(60)
        changed = _image(widget)
        fresh = _timeline(qtbot, source, x_range)
        fresh.filters = dataclasses.replace(widget.filters)
        fresh.collapsed = set(collapsed)
        fresh.refresh(None)  # built from the campaigns in this state
        fresh.view.setXRange(*x_range, padding=0)
        fresh.select(chosen)
        qtbot.wait(60)
        expected = _image(fresh)
        assert changed.size() == expected.size()
        assert changed == expected, (keywords, cancelled, collapsed)
        fresh.detach()
        fresh.close()


def test_the_scroll_bar_comes_and_goes_with_the_filter_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    """No paint at the old width: the bar and the chart's width are settled when the call
    returns, not on a later turn of the event loop."""
    source = FakeSource(synthetic_schedule(600, 24, seed=11))
    widget = _timeline(qtbot, source, (1.8e9, 1.9e9))
    qtbot.wait(20)
    bar = widget.row_scroll
    assert bar.isVisible()
    widget.set_filter(sites=sorted(source.schedule.sites)[:1])
    assert not bar.isVisible() and widget.plot.width() == widget.width()
    widget.set_filter()
    assert bar.isVisible() and widget.plot.width() == widget.width() - bar.width()
    qtbot.wait(20)
    assert bar.isVisible() and widget.plot.width() == widget.width() - bar.width()
