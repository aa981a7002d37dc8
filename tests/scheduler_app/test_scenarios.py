"""Scenarios on SQLite and PostgreSQL: a copy of Live that every service action can edit, while
Live stays exactly as it was; listed, compared with Live and deleted."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from scheduler_app.errors import NotFoundError, StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.promote import PromoteRefusedError, promote
from scheduler_app.scenarios import (
    create_scenario,
    delete_scenario,
    diff_scenario,
    list_scenarios,
)
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule


def base_schedule():
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
    s.maintenance.append(
        MaintenanceWindow(
            SiteCode("SYR"),
            local("2027-09-01"),
            local("2027-09-15"),
            "PM",
            bioreactor=BioreactorCode("SYR-BR501"),
        )
    )
    return s


@pytest.fixture
def live(database_url: str):
    opened = ScheduleService(Store.open(database_url), user="ann")
    opened.apply_schedule(base_schedule(), description="Import base.xlsx")
    yield opened
    opened.store.close()


def live_state(store: Store):
    """Everything of Live a scenario must never change: rows with versions, and its audit."""
    entries = [
        e for e in store.audit_entries(limit=None) if e.entity in ("campaign", "maintenance")
    ]
    return store.load(), entries


def test_a_scenario_starts_as_a_copy_of_live(live: ScheduleService) -> None:
    info = create_scenario(live.store, "PPQ slip", user="bo")
    assert (info.name, info.created_by, info.campaigns) == ("PPQ slip", "bo", 2)
    what_if = ScheduleService(live.store, user="bo", scenario="PPQ slip")
    assert what_if.schedule.campaigns == live.schedule.campaigns
    assert [w.reason for w in what_if.schedule.maintenance] == ["PM"]
    assert [s.name for s in list_scenarios(live.store)] == ["PPQ slip"]
    assert diff_scenario(live.store, "PPQ slip").empty


def test_edits_and_imports_in_a_scenario_never_touch_live(live: ScheduleService) -> None:
    create_scenario(live.store, "what if", user="bo")
    before = live_state(live.store)
    what_if = ScheduleService(live.store, user="bo", scenario="what if")
    what_if.move_campaign("CMP-0001", start=local("2027-04-01"))
    what_if.set_batches("CMP-0002", 3)
    what_if.delete_campaign("CMP-0002")
    what_if.create_campaign(
        product="ABX-201", bioreactor="SYR-BR501", start=local("2028-01-03"), batches=1
    )
    incoming = base_schedule()
    campaign(incoming, "CMP-0100", start="2028-06-01", batches=1)
    incoming.maintenance = []
    what_if.apply_schedule(incoming, description="Import plan.xlsx")
    assert live_state(live.store) == before
    assert ScheduleService(live.store, scenario="what if").schedule == what_if.schedule
    assert "CMP-0100" in what_if.schedule.campaigns and what_if.schedule.maintenance == []
    entities = {e.entity for e in live.store.audit_entries(limit=None)}
    assert {"scenario campaign", "scenario maintenance"} <= entities
    keys = {e.key for e in live.store.audit_entries(entity="scenario campaign", limit=None)}
    assert "what if/CMP-0001" in keys


def test_live_edits_do_not_reach_a_scenario(live: ScheduleService) -> None:
    create_scenario(live.store, "frozen", user="bo")
    copy = live.store.load("frozen")
    live.move_campaign("CMP-0001", start=local("2027-05-03"))
    live.delete_campaign("CMP-0002")
    assert live.store.load("frozen") == copy


def test_two_planners_in_one_scenario_get_stale_edits_refused(live: ScheduleService) -> None:
    create_scenario(live.store, "shared", user="bo")
    first = ScheduleService(live.store, user="bo", scenario="shared")
    second = ScheduleService(Store.open(live.store.url), user="cy", scenario="shared")
    try:
        first.move_campaign("CMP-0001", start=local("2027-04-01"))
        with pytest.raises(StaleEditError, match="bo"):
            second.move_campaign("CMP-0001", start=local("2027-05-03"))
        assert second.schedule.campaigns["CMP-0001"].start == local("2027-04-01")
    finally:
        second.store.close()


def test_diff_names_added_removed_changed_and_conflicts(live: ScheduleService) -> None:
    create_scenario(live.store, "d", user="bo")
    what_if = ScheduleService(live.store, user="bo", scenario="d")
    # into the PM window
    moved = what_if.move_campaign("CMP-0001", start=local("2027-08-25")).campaigns[0]
    what_if.delete_campaign("CMP-0002")
    added = what_if.create_campaign(
        product="ABX-201",
        bioreactor="SYR-BR501",
        start=local("2028-01-03"),
        batches=1,
        campaign_id="CMP-0300",
    ).campaigns[0]
    diff = diff_scenario(live.store, "d")
    assert [c.id for c in diff.added] == [added.id]
    assert [c.id for c in diff.removed] == ["CMP-0002"]
    [changed] = diff.changed
    assert changed.fields == {"start": (local("2027-03-01"), moved.start)}
    assert [c.kind for c in diff.gained] == ["maintenance"]
    payload = diff.as_json()
    assert payload["changed"] == [
        {
            "campaign": "CMP-0001",
            "fields": {"start": ["2027-03-01T05:00:00Z", "2027-08-25T04:00:00Z"]},
        }
    ]
    assert payload["conflicts"]["gained"][0]["kind"] == "maintenance"


def test_delete_and_names(live: ScheduleService) -> None:
    create_scenario(live.store, "gone soon", user="bo")
    with pytest.raises(ValidationError, match="already exists"):
        create_scenario(live.store, "gone soon", user="bo")
    for bad in ("", "Live", "a/b", "x" * 41):
        with pytest.raises(ValidationError):
            create_scenario(live.store, bad, user="bo")
    delete_scenario(live.store, "gone soon", user="bo")
    assert list_scenarios(live.store) == []
    with pytest.raises(NotFoundError, match="no scenario"):
        ScheduleService(live.store, scenario="gone soon")
    with pytest.raises(NotFoundError):
        delete_scenario(live.store, "gone soon", user="bo")
    assert live.store.load() == live.schedule


def test_scenario_windows_are_numbered_apart_from_live(live: ScheduleService) -> None:
    create_scenario(live.store, "w", user="bo")
    what_if = ScheduleService(live.store, user="bo", scenario="w")
    [window] = what_if.schedule.maintenance
    later = dataclasses.replace(
        window,
        id=None,
        start=window.start + timedelta(days=60),
        end=window.end + timedelta(days=60),
    )
    incoming = what_if.schedule.copy()
    incoming.maintenance = [window, later]
    what_if.apply_schedule(incoming)
    ids = sorted(w.id for w in what_if.schedule.maintenance)
    assert ids[0] == window.id and ids[1] > window.id
    assert what_if.schedule.maintenance[0].version == window.version  # kept, not rewritten
    assert len(live.store.load().maintenance) == 1


def test_promote_applies_the_scenario_as_one_change_set(live: ScheduleService) -> None:
    create_scenario(live.store, "p", user="bo")
    what_if = ScheduleService(live.store, user="bo", scenario="p")
    what_if.move_campaign("CMP-0001", start=local("2027-04-05"))
    what_if.delete_campaign("CMP-0002")
    what_if.create_campaign(
        product="ABX-201",
        bioreactor="SYR-BR501",
        start=local("2028-01-03"),
        batches=1,
        campaign_id="CMP-0300",
    )
    [window] = what_if.schedule.maintenance
    shifted = dataclasses.replace(window, start=window.start + timedelta(days=7))
    incoming = what_if.schedule.copy()
    incoming.maintenance = [shifted]
    what_if.apply_schedule(incoming)
    change_set = promote(live, "p", reason="approved")
    assert change_set.action == "promote"
    assert sorted(c.campaign_id for c in change_set.changes) == ["CMP-0001", "CMP-0002", "CMP-0300"]
    fresh = live.store.load()
    assert fresh == live.schedule
    assert fresh.campaigns["CMP-0001"].start == local("2027-04-05")
    assert "CMP-0002" not in fresh.campaigns
    assert [w.start for w in fresh.maintenance] == [shifted.start]
    entries = live.store.audit_entries(change_set=change_set.audit_change_set, limit=None)
    assert {e.reason for e in entries} == {"approved"}
    assert diff_scenario(live.store, "p").empty
    # Promoted once, the scenario can be edited and promoted again.
    what_if.reload()
    what_if.move_campaign("CMP-0001", start=local("2027-04-12"))
    promote(live, "p")
    assert live.store.load().campaigns["CMP-0001"].start == local("2027-04-12")


def test_promote_refuses_a_campaign_live_changed_since(live: ScheduleService) -> None:
    create_scenario(live.store, "late", user="bo")
    what_if = ScheduleService(live.store, user="bo", scenario="late")
    what_if.move_campaign("CMP-0001", start=local("2027-04-05"))
    what_if.move_campaign("CMP-0002", start=local("2027-07-05"))
    other = ScheduleService(Store.open(live.store.url), user="kim")
    try:
        other.move_campaign("CMP-0001", start=local("2027-03-08"))
    finally:
        other.store.close()
    before = live_state(live.store)
    with pytest.raises(PromoteRefusedError, match=r"CMP-0001 was changed in Live by kim .*start"):
        promote(live, "late")
    assert live_state(live.store) == before  # CMP-0002 was not applied either
    # A campaign only Live changed is not the scenario's to revert.
    create_scenario(live.store, "fresh", user="bo")
    other = ScheduleService(Store.open(live.store.url), user="kim")
    try:
        other.move_campaign("CMP-0002", start=local("2027-06-07"))
    finally:
        other.store.close()
    fresh_if = ScheduleService(live.store, user="bo", scenario="fresh")
    fresh_if.move_campaign("CMP-0001", start=local("2027-04-19"))
    promote(live, "fresh")
    after = live.store.load()
    assert after.campaigns["CMP-0002"].start == local("2027-06-07")
    assert after.campaigns["CMP-0001"].start == local("2027-04-19")
