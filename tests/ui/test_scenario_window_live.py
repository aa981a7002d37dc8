"""A window showing a scenario, with its live timer running, on SQLite and PostgreSQL: another
planner's edit of that scenario appears in place with a notice naming who; a Live window is not
disturbed by it; Live's outlines (and an open comparison) follow Live's changes; promoting a
Confirmed campaign asks for a reason, and Esc leaves Live unchanged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.scenarios import create_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.ui.helpers import planning_schedule


@pytest.fixture(params=["sqlite", "postgres"])
def shared_db(request: pytest.FixtureRequest, plan_db: Path) -> str:
    if request.param == "sqlite":
        url = str(plan_db)
    else:
        url = str(request.getfixturevalue("postgres_url"))
        store = Store.open(url)
        try:
            ScheduleService(store).apply_schedule(
                planning_schedule(), action="demo", description="Test schedule"
            )
        finally:
            store.close()
    store = Store.open(url)
    try:
        create_scenario(store, "slip", user="setup")
    finally:
        store.close()
    return url


@pytest.fixture
def windows(qtbot, shared_db, settings_path):  # type: ignore[no-untyped-def]
    """``make(scenario)``: a shown window on the shared database, live timer running."""
    from ui.main_window import MainWindow
    from ui.notify import RecordingNotifier
    from ui.settings import AppSettings

    stores: list[Store] = []

    def make(scenario: str | None):  # type: ignore[no-untyped-def]
        store = Store.open(shared_db)
        stores.append(store)
        service = ScheduleService(store, user="ann", scenario=scenario)
        window = MainWindow(service, AppSettings(settings_path), RecordingNotifier())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()


def as_kim(url: str, scenario: str | None = None) -> ScheduleService:
    return ScheduleService(Store.open(url), user="kim", scenario=scenario)


def test_a_scenario_window_follows_another_planners_scenario_edit(  # type: ignore[no-untyped-def]
    windows, shared_db, qtbot
) -> None:
    in_scenario = windows("slip")
    in_live = windows(None)
    in_scenario.show_campaigns(["CMP-0001"])
    live_held = in_live.service.schedule.campaigns["CMP-0003"]
    kim = as_kim(shared_db, "slip")
    try:
        target = kim.schedule.campaigns["CMP-0003"].start + timedelta(days=21)
        kim.move_campaign("CMP-0003", start=target)
    finally:
        kim.store.close()
    qtbot.waitUntil(
        lambda: in_scenario.service.schedule.campaigns["CMP-0003"].start == target, timeout=3000
    )
    assert in_scenario.timeline.selected_ids() == ["CMP-0001"]
    assert in_scenario.notice.lines[0].text.startswith("kim moved CMP-0003 to SDO-BR1501")
    assert "kim moved CMP-0003" in in_scenario.statusBar().currentMessage()
    # Live's outline of the campaign kim moved in the scenario appears beside it.
    outlines = in_scenario.timeline.outlines
    assert outlines.count == 1 and outlines.plan["CMP-0003"] == live_held
    # The Live window heard nothing and changed nothing.
    qtbot.wait(900)
    assert in_live.service.schedule.campaigns["CMP-0003"] == live_held
    assert not in_live.notice.lines
    assert "kim" not in in_live.statusBar().currentMessage()


def test_live_outlines_and_the_comparison_follow_live(  # type: ignore[no-untyped-def]
    windows, shared_db, qtbot
) -> None:
    in_scenario = windows("slip")
    plans = in_scenario.plans
    assert in_scenario.timeline.outlines.count == 0
    plans.show_compare()
    assert plans.compare_dialog.rows == []
    kim = as_kim(shared_db)
    try:
        moved = kim.schedule.campaigns["CMP-0001"]
        kim.move_campaign("CMP-0001", start=moved.start + timedelta(days=7))
    finally:
        kim.store.close()
    qtbot.waitUntil(lambda: in_scenario.timeline.outlines.count == 1, timeout=3000)
    assert plans.live_plan["CMP-0001"].start == moved.start + timedelta(days=7)
    # The scenario itself is untouched and no notice claims it was.
    assert in_scenario.service.schedule.campaigns["CMP-0001"] == moved
    assert not in_scenario.notice.lines
    assert "outlines updated" in in_scenario.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(plans.compare_dialog.rows), timeout=3000)
    assert plans.compare_dialog.rows[0][:3] == ("changed", "CMP-0001", "start")


def test_promoting_a_confirmed_campaign_asks_why(  # type: ignore[no-untyped-def]
    windows, shared_db, qtbot
) -> None:
    kim = as_kim(shared_db)
    try:
        held = kim.schedule.campaigns["CMP-0003"]
        kim.edit_campaign("CMP-0003", status=Status.CONFIRMED)
    finally:
        kim.store.close()
    store = Store.open(shared_db)
    try:
        create_scenario(store, "confirmed", user="kim")
    finally:
        store.close()
    window = windows("confirmed")
    window.live.stop()
    later = held.start + timedelta(days=14)
    window.notifier.reasons = ["client asked"]
    assert window.move_campaigns([("CMP-0003", later, None)])
    notifier = window.notifier
    live_before = Store.open(shared_db)
    try:
        before = live_before.load()
    finally:
        live_before.close()
    notifier.reasons = [None]  # Esc on the reason dialog
    assert not window.plans.promote_to_live()
    kind, title, text = notifier.messages[-1]
    assert (kind, title) == ("reason", "Reason for promoting")
    assert "CMP-0003, which is Confirmed in Live" in text
    check = Store.open(shared_db)
    try:
        assert check.load() == before
        notifier.reasons = ["client asked for two weeks"]
        assert window.plans.promote_to_live()
        assert check.load().campaigns["CMP-0003"].start == later
        promoted = [e for e in check.audit_entries(limit=None) if e.action == "promote"]
        assert {e.reason for e in promoted} == {"client asked for two weeks"}
    finally:
        check.close()
    # The scenario window holds the promoted versions: editing it again is not refused.
    notifier.reasons = ["again"]
    assert window.move_campaigns([("CMP-0003", later + timedelta(days=7), None)])


def test_scenarios_made_or_deleted_elsewhere_are_listed_and_told(  # type: ignore[no-untyped-def]
    windows, shared_db, qtbot
) -> None:
    from scheduler_app.scenarios import delete_scenario

    in_live = windows(None)
    in_scenario = windows("slip")
    store = Store.open(shared_db)
    try:
        create_scenario(store, "kim's idea", user="kim")
        switch = in_live.plans.switch
        qtbot.waitUntil(lambda: switch.findData("kim's idea") >= 0, timeout=3000)
        assert not in_live.notice.lines  # listed, not announced
        delete_scenario(store, "slip", user="kim")
    finally:
        store.close()
    qtbot.waitUntil(lambda: in_scenario.service.scenario_deleted, timeout=3000)
    assert in_scenario.notice.lines[0].text == "kim deleted scenario “slip”"
    assert "was deleted by another planner" in in_scenario.plans.banner.text()
    qtbot.waitUntil(lambda: in_live.plans.switch.findData("slip") < 0, timeout=3000)
