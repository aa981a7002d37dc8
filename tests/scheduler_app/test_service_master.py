"""Master data and maintenance windows edited through the service: validated, one transaction
with audit rows, conflicts re-checked at once, stale edits refused; windows have their own row
versions so two planners can edit different windows at once."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.scenarios import create_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule


def window(start: str, end: str, why: str = "PM", reactor: str = "SYR-BR501") -> MaintenanceWindow:
    return MaintenanceWindow(
        SiteCode("SYR"), local(start), local(end), why, bioreactor=BioreactorCode(reactor)
    )


@pytest.fixture
def service(database_url: str):
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
    opened = ScheduleService(Store.open(database_url), user="ann")
    opened.apply_schedule(s)
    yield opened
    opened.store.close()


def kinds(service: ScheduleService, campaign_id: str) -> list[str]:
    return [c.kind for c in service.engine.conflicts_for(campaign_id)]


def test_a_window_is_added_changed_and_deleted_with_conflicts_at_once(service) -> None:
    change_set = service.add_window(window("2027-03-05", "2027-03-10"))
    assert change_set.maintenance_changed and kinds(service, "CMP-0001") == ["maintenance"]
    [stored] = service.schedule.maintenance
    assert stored.id is not None and stored.suite == "SYR-S1" and stored.version == 1
    assert service.store.load().maintenance == [stored]
    moved = dataclasses.replace(stored, start=local("2027-05-01"), end=local("2027-05-08"))
    service.change_window(stored, moved)
    assert kinds(service, "CMP-0001") == []
    [now] = service.store.load().maintenance
    assert (now.id, now.version, now.start) == (stored.id, 2, local("2027-05-01"))
    entries = service.store.audit_entries(entity="maintenance", limit=None)
    assert {e.field for e in entries[:2]} >= {"start", "end"}
    service.delete_window(now)
    assert service.store.load().maintenance == [] == service.schedule.maintenance
    with pytest.raises(ValidationError, match="end after it starts"):
        service.add_window(window("2027-03-10", "2027-03-05"))


def test_two_planners_edit_different_windows_and_a_stale_one_is_refused(service) -> None:
    service.add_window(window("2027-03-05", "2027-03-10", "first"))
    service.add_window(window("2027-08-05", "2027-08-10", "second", "SDO-BR1501"))
    other = ScheduleService(Store.open(service.store.url), user="kim")
    try:
        mine = next(w for w in service.schedule.maintenance if w.reason == "first")
        theirs = next(w for w in other.schedule.maintenance if w.reason == "second")
        other.change_window(theirs, dataclasses.replace(theirs, reason="second, longer"))
        service.change_window(mine, dataclasses.replace(mine, reason="first, moved"))
        reasons = sorted(w.reason for w in service.store.load().maintenance)
        assert reasons == ["first, moved", "second, longer"]
        stale = next(w for w in other.schedule.maintenance if w.reason == "first")
        with pytest.raises(StaleEditError, match="ann"):
            other.change_window(stale, dataclasses.replace(stale, reason="overwritten?"))
        assert sorted(w.reason for w in other.schedule.maintenance) == reasons
    finally:
        other.store.close()


def test_master_data_edits_recheck_conflicts_and_refuse_bad_values(service) -> None:
    service.edit_bioreactor("SYR-BR501", available_from=date(2027, 4, 1))
    assert "unavailable" in kinds(service, "CMP-0001")
    assert service.store.load().bioreactors["SYR-BR501"].available_from == date(2027, 4, 1)
    service.edit_product("ABX-201", validated_scales_l=(15000,))
    assert "scale" in kinds(service, "CMP-0001")
    service.edit_product("ABX-201", validated_scales_l=(5000, 15000), changeover_days=14)
    assert service.store.load().products["ABX-201"].changeover_days == 14
    service.set_changeover("ABX-201", "CDX-110", 120)
    assert service.store.load().changeovers[("ABX-201", "CDX-110")] == 120
    assert service.schedule.changeovers[("ABX-201", "CDX-110")] == 120
    service.set_changeover("ABX-201", "CDX-110", None)
    assert service.store.load().changeovers == {}
    service.edit_site("SDO", name="Songdo Plant 1", available_from=date(2027, 2, 1))
    assert service.store.load().sites["SDO"].name == "Songdo Plant 1"
    for bad in (
        lambda: service.edit_product("ABX-201", batch_days=0),
        lambda: service.edit_product("ABX-201", colour="red"),
        lambda: service.edit_product("ABX-201", qualified_sites=("XXX",)),
        lambda: service.edit_bioreactor("SYR-BR501", working_volume_l=0),
        lambda: service.edit_site("SYR", time_zone="Mars/Olympus"),
        lambda: service.edit_product("ABX-201", version=7),
    ):
        with pytest.raises(ValidationError):
            bad()
    entries = service.store.audit_entries(entity="product", key="ABX-201", limit=None)
    assert {e.field for e in entries} >= {"validated_scales_l", "changeover_days"}


def test_a_stale_product_edit_is_refused(service) -> None:
    other = ScheduleService(Store.open(service.store.url), user="kim")
    try:
        other.edit_product("ABX-201", turnaround_days=3)
        with pytest.raises(StaleEditError, match="kim"):
            service.edit_product("ABX-201", turnaround_days=4)
        assert service.store.load().products["ABX-201"].turnaround_days == 3
    finally:
        other.store.close()


def test_window_edits_in_a_scenario_leave_live_alone(service) -> None:
    service.add_window(window("2027-03-05", "2027-03-10"))
    create_scenario(service.store, "pm", user="ann")
    what_if = ScheduleService(service.store, user="ann", scenario="pm")
    live_windows = service.store.load().maintenance
    [copy] = what_if.schedule.maintenance
    what_if.change_window(copy, dataclasses.replace(copy, end=copy.end + timedelta(days=7)))
    what_if.add_window(window("2027-10-01", "2027-10-15", "PM two"))
    assert service.store.load().maintenance == live_windows
    assert len(service.store.load("pm").maintenance) == 2


def test_window_and_product_edits_undo_and_redo_through_the_service(service) -> None:
    added = service.add_window(window("2027-03-05", "2027-03-10"))
    service.undo(added)
    assert service.store.load().maintenance == [] == service.schedule.maintenance
    service.redo(added)
    [stored] = service.store.load().maintenance
    deleted = service.delete_window(stored)
    service.undo(deleted)
    [back] = service.store.load().maintenance
    assert back.reason == "PM"  # put back as a new row
    service.redo(deleted)  # found by its content, not its old id
    assert service.store.load().maintenance == []
    edited = service.edit_product("ABX-201", changeover_days=21)
    service.undo(edited)
    assert service.store.load().products["ABX-201"].changeover_days == 10
    assert kinds(service, "CMP-0001") == []
