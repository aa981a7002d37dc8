"""Seed bioreactor and downstream train rows on the timeline: laid out under their suite's
bioreactors, showing the windows derived from the campaigns they serve with over-booked
intervals marked, refusing a drop, plus the purpose tag and filter and the material connector."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor

from scheduler_app.campaigns import Purpose
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode, CampaignId, SuiteCode
from scheduler_app.localtime import DAY_SECONDS, to_epoch
from scheduler_app.schedule import Schedule
from scheduler_app.shared_load import shared_load
from tests.factories import campaign, small_schedule
from tests.ui.timeline.mouse import drag, point_at


def shared_schedule() -> Schedule:
    """One seed bioreactor serving SYR-S1 (two vessels), so two batches starting on the same
    day over-book it; CMP-0003 needs CMP-0001."""
    s = small_schedule()
    s.bioreactors[BioreactorCode("SYR-BR502")] = Bioreactor(
        BioreactorCode("SYR-BR502"), SuiteCode("SYR-S1"), 5000
    )
    s.bioreactors[BioreactorCode("SYR-N1-01")] = Bioreactor(
        BioreactorCode("SYR-N1-01"), SuiteCode("SYR-S1"), 1000, role=EquipmentRole.SEED
    )
    s.products["ABX-201"] = dataclasses.replace(s.products["ABX-201"], seed_days=5)
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SYR-BR502", start="2027-03-01", batches=1)
    campaign(
        s,
        "CMP-0003",
        bioreactor="SDO-BR1501",
        start="2027-05-03",
        needs=CampaignId("CMP-0001"),
        lag_days=30,
        purpose=Purpose.PPQ,
    )
    return s


@pytest.fixture
def shared_db(tmp_path: Path) -> Path:
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    path = tmp_path / "shared.db"
    with Store.open(str(path)) as store:
        ScheduleService(store).apply_schedule(shared_schedule(), action="demo")
    return path


@pytest.fixture
def timeline(qtbot, shared_db: Path):  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store
    from ui.timeline import TimelineWidget

    store = Store.open(str(shared_db))
    previous = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", -1)
    widget = TimelineWidget(ScheduleService(store, user="test.planner"))
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    widget.set_display_zone("UTC")
    widget.show()
    qtbot.waitExposed(widget)
    widget.plot.scene().minDragTime = 0.0
    widget.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
    qtbot.wait(1)
    yield widget
    widget.detach()
    pg.setConfigOption("mouseRateLimit", previous)
    store.close()


def test_the_load_gives_each_window_a_free_unit_or_marks_it_over_booked() -> None:
    load = shared_load(shared_schedule())
    [taken] = load.windows["SYR-N1-01"]
    [over] = load.overbooked["SYR-N1-01"]
    assert {taken.campaign, over.campaign} == {"CMP-0001", "CMP-0002"}
    assert (over.end - over.start).days == 5


def test_unit_rows_sit_under_their_suite_and_are_not_bioreactor_rows(timeline) -> None:
    layout = timeline.layout
    unit = layout.unit_row["SYR-N1-01"]
    assert "SYR-N1-01" not in layout.bioreactor_row
    assert unit == max(layout.bioreactor_row["SYR-BR501"], layout.bioreactor_row["SYR-BR502"]) + 1
    assert "SYR-N1-01" not in layout.bioreactor_codes()
    assert layout.rows[unit].detail == "1,000 L seed"


def test_a_collapsed_suite_hides_its_unit_rows() -> None:
    from ui.timeline.rows import build_layout

    layout = build_layout(shared_schedule(), collapsed=["SYR-S1"])
    assert "SYR-N1-01" not in layout.unit_row and "SYR-BR501" not in layout.bioreactor_row


def test_the_over_booked_seed_window_is_drawn_red_on_the_unit_row(timeline) -> None:
    row = timeline.layout.unit_row["SYR-N1-01"] + 0.5
    march_1 = to_epoch(datetime(2027, 3, 1, 5, tzinfo=UTC))
    image = timeline.plot.grab().toImage()
    inside = image.pixelColor(point_at(timeline, march_1 - 2.5 * DAY_SECONDS, row))
    outside = image.pixelColor(point_at(timeline, march_1 + 20 * DAY_SECONDS, row))
    assert inside.red() > inside.green() + 60 and inside.red() > inside.blue() + 60, inside.name()
    assert outside.red() - outside.green() < 20, outside.name()


def test_a_campaign_cannot_be_dropped_on_a_seed_row(timeline, qtbot) -> None:
    schedule = timeline.service.schedule
    made = schedule.campaigns["CMP-0001"]
    middle = (to_epoch(made.start) + to_epoch(schedule.campaign_end(made))) / 2
    start = point_at(timeline, middle, timeline.layout.bioreactor_row["SYR-BR501"] + 0.5)
    end = point_at(timeline, middle, timeline.layout.unit_row["SYR-N1-01"] + 0.5)
    received: list[object] = []
    timeline.moveRequested.connect(received.append)
    with qtbot.waitSignal(timeline.statusMessage, timeout=1000) as message:
        drag(timeline, start, end)
    assert "SYR-N1-01 is a seed unit" in message.args[0]
    assert received == []
    assert schedule.campaigns["CMP-0001"] == made


def test_purpose_filter_hides_other_purposes_and_the_tag_names_it(timeline) -> None:
    from ui.timeline.block_marks import BlockMarks

    arrays = timeline.arrays
    assert BlockMarks._purpose_tag(arrays, arrays.slot_of["CMP-0003"]) == "PPQ"
    assert BlockMarks._purpose_tag(arrays, arrays.slot_of["CMP-0001"]) == ""
    timeline.set_filter(purposes=[Purpose.PPQ])
    visible = timeline.arrays.visible
    shown = {key for slot, key in enumerate(timeline.arrays.ids) if visible[slot]}
    assert shown == {"CMP-0003"}


def test_selecting_either_end_of_a_material_link_draws_the_connector(timeline) -> None:
    assert timeline.links.links() == []
    timeline.select(["CMP-0001"])
    assert timeline.links.links() == [("CMP-0001", "CMP-0003")]
    timeline.select(["CMP-0003"])
    assert timeline.links.links() == [("CMP-0001", "CMP-0003")]
    timeline.select(["CMP-0002"])
    assert timeline.links.links() == []


def test_the_connector_is_painted_between_the_two_blocks(timeline) -> None:
    schedule = timeline.service.schedule
    feeder, consumer = schedule.campaigns["CMP-0001"], schedule.campaigns["CMP-0003"]
    y0 = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    y1 = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    x0 = to_epoch(schedule.campaign_end(feeder))
    x1 = to_epoch(consumer.start)
    before = timeline.plot.grab().toImage()
    timeline.select(["CMP-0003"])
    after = timeline.plot.grab().toImage()
    changed = 0
    for step in range(1, 10):
        x = x0 + (x1 - x0) * step / 10
        y = y0 + (timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5 - y1) * step / 10
        spot = point_at(timeline, x, y)
        if QColor(before.pixelColor(spot)) != QColor(after.pixelColor(spot)):
            changed += 1
    assert changed >= 3
