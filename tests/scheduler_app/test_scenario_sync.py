"""Live updates inside a scenario, on SQLite and PostgreSQL: a service showing scenario S follows
other planners' edits to S through ``sync()``; a service showing Live is not disturbed by them;
each notice names who; shared master data reaches both; a promotion re-bases the scenario's
window without a stale refusal afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from scheduler_app.change_set import ChangeSet
from scheduler_app.live import RemoteChange
from scheduler_app.promote import promote
from scheduler_app.scenarios import create_scenario, delete_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.test_live import wait_for

SCENARIO = "PPQ slip"


@pytest.fixture
def three(database_url: str) -> Iterator[tuple[ScheduleService, ScheduleService, ScheduleService]]:
    """Ann shows scenario S, Bob edits S, Cy shows Live; each on a connection of its own."""
    setup = ScheduleService(Store.open(database_url), user="setup")
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    campaign(schedule, "CMP-0002", start="2027-09-01", product="CDX-110", batches=1)
    setup.apply_schedule(schedule)
    create_scenario(setup.store, SCENARIO, user="setup")
    setup.store.close()
    ann = ScheduleService(Store.open(database_url), user="ann", scenario=SCENARIO)
    bob = ScheduleService(Store.open(database_url), user="bob", scenario=SCENARIO)
    cy = ScheduleService(Store.open(database_url), user="cy")
    for service in (ann, bob, cy):
        service.sync()  # the first look reads the log once
    yield ann, bob, cy
    for service in (ann, bob, cy):
        service.stop_live()
        service.store.close()


def settle(*services: ScheduleService) -> list[list[RemoteChange]]:
    """What each service's sync reports once the signal had time to arrive."""
    time.sleep(0.6)
    return [service.sync() for service in services]


def test_a_scenario_window_follows_edits_to_its_scenario(three) -> None:
    ann, bob, cy = three
    heard: list[ChangeSet] = []
    ann.add_observer(heard.append)
    live_before = cy.schedule.campaigns["CMP-0001"]
    bob.move_campaign("CMP-0001", start=local("2027-04-05"), reason="client slips")

    [change] = wait_for(ann.sync)

    assert (change.user, change.action, change.scenario) == ("bob", "move", SCENARIO)
    assert change.campaigns == ("CMP-0001",)
    assert change.description == (
        "bob moved CMP-0001 (start) in scenario “PPQ slip” — client slips"
    )
    assert ann.schedule.campaigns["CMP-0001"].start == local("2027-04-05")
    assert [cs.remote_user for cs in heard] == ["bob"]
    # Ann's next edit of the same campaign is not refused as stale: she holds Bob's version.
    ann.set_batches("CMP-0001", 4)
    assert bob.store.load(SCENARIO).campaigns["CMP-0001"].batches == 4
    # Cy shows Live: nothing reported, nothing reloaded, Live untouched.
    [cy_saw] = settle(cy)
    assert cy_saw == []
    assert cy.schedule.campaigns["CMP-0001"] == live_before
    assert cy.store.load().campaigns["CMP-0001"] == live_before
    assert [(c.user, c.scenario) for c in cy.elsewhere] == [("bob", SCENARIO), ("ann", SCENARIO)]


def test_a_live_edit_reaches_live_windows_and_is_kept_aside_in_a_scenario(three) -> None:
    ann, _bob, cy = three
    held = ann.schedule.campaigns["CMP-0002"]
    other = ScheduleService(Store.open(cy.store.url), user="dee")
    try:
        other.set_batches("CMP-0002", 3)
    finally:
        other.store.close()
    [change] = wait_for(cy.sync)
    assert (change.user, change.scenario) == ("dee", None)
    assert cy.schedule.campaigns["CMP-0002"].batches == 3
    [ann_saw] = settle(ann)
    assert ann_saw == []
    assert ann.schedule.campaigns["CMP-0002"] == held
    assert [(c.user, c.scenario, c.campaigns) for c in ann.elsewhere] == [
        ("dee", None, ("CMP-0002",))
    ]


def test_shared_master_data_reaches_every_plan(three) -> None:
    ann, bob, cy = three
    bob.edit_product("ABX-201", name="Abexumab (renamed)")
    [in_scenario] = wait_for(ann.sync)
    [in_live] = wait_for(cy.sync)
    for change, service in ((in_scenario, ann), (in_live, cy)):
        assert change.shared and change.user == "bob"
        assert service.schedule.products["ABX-201"].name == "Abexumab (renamed)"


def test_a_scenario_window_windows_follow_and_a_promotion_rebases(three) -> None:
    ann, bob, cy = three
    window = bob.schedule.maintenance[0] if bob.schedule.maintenance else None
    assert window is None  # the small schedule has none; Bob draws one
    from scheduler_app.ids import BioreactorCode, SiteCode
    from scheduler_app.maintenance import MaintenanceWindow

    drawn = MaintenanceWindow(
        SiteCode("SYR"),
        local("2027-11-01"),
        local("2027-11-08"),
        "PM",
        bioreactor=BioreactorCode("SYR-BR501"),
    )
    bob.add_window(drawn)
    [change] = wait_for(ann.sync)
    assert change.master and change.description == (
        "bob changed the maintenance windows in scenario “PPQ slip”"
    )
    assert [w.reason for w in ann.schedule.maintenance] == ["PM"]
    assert settle(cy) == [[]] and cy.schedule.maintenance == []

    bob.move_campaign("CMP-0002", start=local("2027-10-01"))
    wait_for(ann.sync)
    promote(cy, SCENARIO, reason="agreed")
    # Ann is told nothing about her own scenario's rebase, but holds its new versions: her next
    # edit of a promoted campaign is not refused.
    settle(ann)
    ann.set_batches("CMP-0002", 2)
    assert ann.store.load(SCENARIO).campaigns["CMP-0002"].batches == 2
    assert ann.store.load().campaigns["CMP-0002"].batches == 1


def test_a_deleted_scenario_is_told_once_and_not_reloaded(three) -> None:
    ann, _bob, cy = three
    delete_scenario(cy.store, SCENARIO, user="cy")
    [change] = wait_for(ann.sync)
    assert change.scenario_event and change.description == "cy deleted scenario “PPQ slip”"
    assert ann.scenario_deleted
    assert ann.sync() == []
    assert "CMP-0001" in ann.schedule.campaigns  # what was shown stays until the window closes
