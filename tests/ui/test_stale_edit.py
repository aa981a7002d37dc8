"""Another planner got there first: a second service on the same database changes a campaign;
the window's edit of it is refused with who-changed-what, that campaign is reloaded, and the rest
of the undo stack keeps working."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.ui.helpers import stored


@pytest.fixture
def other_planner(plan_db):  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    store = Store.open(str(plan_db))
    yield ScheduleService(store, user="kim.planner")
    store.close()


def test_stale_move_is_explained_and_the_campaign_reloaded(window, other_planner, plan_db) -> None:
    mine = window.service.schedule
    other_start = mine.campaigns["CMP-0003"].start
    assert window.move_campaigns([("CMP-0003", other_start + timedelta(days=14), "SDO-BR1501")])

    theirs = other_planner.move_campaign(
        "CMP-0001", start=mine.campaigns["CMP-0001"].start + timedelta(days=3)
    ).campaigns[0]
    window.show_campaigns(["CMP-0001"])
    my_attempt = mine.campaigns["CMP-0001"].start + timedelta(days=10)
    assert not window.move_campaigns([("CMP-0001", my_attempt, "SYR-BR501")])

    kind, title, text = window.notifier.messages[-1]
    assert kind == "error" and title == "Another planner got there first"
    assert "CMP-0001" in text and "kim.planner" in text
    assert "Your other changes are kept" in text
    assert mine.campaigns["CMP-0001"].start == theirs.start
    assert stored(plan_db).campaigns["CMP-0001"].start == theirs.start
    assert window.inspector.campaign.start == theirs.start
    arrays = window.timeline.arrays
    assert arrays.start[arrays.slot_of["CMP-0001"]] == theirs.start.timestamp()

    assert window.undo_stack.count() == 1
    window.undo()
    assert stored(plan_db).campaigns["CMP-0003"].start == other_start
    assert stored(plan_db).campaigns["CMP-0001"].start == theirs.start


def test_stale_undo_drops_only_that_step(window, other_planner, plan_db) -> None:
    schedule = window.service.schedule
    start_3 = schedule.campaigns["CMP-0003"].start
    start_1 = schedule.campaigns["CMP-0001"].start
    window.move_campaigns([("CMP-0003", start_3 + timedelta(days=7), "SDO-BR1501")])
    window.move_campaigns([("CMP-0001", start_1 + timedelta(days=7), "SYR-BR501")])
    assert window.undo_stack.count() == 2

    other_planner.reload()
    theirs = other_planner.edit_campaign("CMP-0001", notes="Client asked to hold").campaigns[0]
    window.undo()

    kind, title, text = window.notifier.messages[-1]
    assert title == "Another planner got there first"
    assert "CMP-0001 was changed by kim.planner" in text and "(notes)" in text
    assert "was not undone" in text
    assert stored(plan_db).campaigns["CMP-0001"] == theirs
    assert schedule.campaigns["CMP-0001"].notes == "Client asked to hold"
    assert schedule.campaigns["CMP-0001"].start == theirs.start == start_1 + timedelta(days=7)
    assert window.undo_stack.count() == 1
    assert window.window_actions.undo.text() == "Undo Move CMP-0003 to 2027-05-10"
    window.undo()
    assert stored(plan_db).campaigns["CMP-0003"].start == start_3


def test_stale_inspector_apply_shows_their_version(window, other_planner, plan_db) -> None:
    window.show_campaigns(["CMP-0003"])
    other_planner.edit_campaign("CMP-0003", batches=4, notes="Client moved PPQ")
    inspector = window.inspector
    inspector.notes.setPlainText("My note")
    inspector.apply()
    assert window.notifier.messages[-1][1] == "Another planner got there first"
    assert window.undo_stack.count() == 0
    assert inspector.campaign.batches == 4 and inspector.notes.toPlainText() == "Client moved PPQ"
    assert stored(plan_db).campaigns["CMP-0003"].notes == "Client moved PPQ"
