"""Promote, on SQLite and PostgreSQL: a maintenance window the scenario changed keeps its Live
row (same id, next version) and is refused as stale, naming who, when Live changed it after the
scenario was made; promoting a change to a Confirmed campaign needs a reason (service and
``scenario promote --reason``), with nothing applied without one."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.cli.main import main
from scheduler_app.errors import ReasonRequiredError
from scheduler_app.promote import PromoteRefusedError, plan_promotion, promote
from scheduler_app.scenarios import create_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import local
from tests.scheduler_app.test_scenarios import base_schedule, live_state


@pytest.fixture
def live(database_url: str):
    opened = ScheduleService(Store.open(database_url), user="ann")
    schedule = base_schedule()
    confirmed = schedule.campaigns["CMP-0002"]
    schedule.campaigns[confirmed.id] = dataclasses.replace(confirmed, status=Status.CONFIRMED)
    opened.apply_schedule(schedule, description="Import base.xlsx")
    yield opened
    opened.store.close()


def scenario(live: ScheduleService, name: str) -> ScheduleService:
    create_scenario(live.store, name, user="bo")
    return ScheduleService(live.store, user="bo", scenario=name)


def test_a_changed_window_keeps_its_live_row(live: ScheduleService) -> None:
    [before] = live.schedule.maintenance
    what_if = scenario(live, "pm later")
    [held] = what_if.schedule.maintenance
    longer = dataclasses.replace(held, end=held.end + timedelta(days=7), reason="PM + HVAC")
    what_if.change_window(held, longer)
    change_set = promote(live, "pm later", reason="agreed")

    [after] = live.store.load().maintenance
    assert (after.id, after.version) == (before.id, before.version + 1)
    assert (after.end, after.reason) == (longer.end, "PM + HVAC")
    assert live.schedule.maintenance == [after]
    [(found, written)] = change_set.window_changes
    assert found == before and written == after
    # The audit says which field changed on that row, not a deletion and an insertion.
    entries = live.store.audit_entries(change_set=change_set.audit_change_set, limit=None)
    fields = {e.field for e in entries if e.entity == "maintenance"}
    assert {"end", "reason"} <= fields and None not in fields
    # One undo step puts the same row back as it was.
    live.undo(change_set)
    [undone] = live.store.load().maintenance
    assert undone.id == before.id and (undone.end, undone.reason) == (before.end, before.reason)


def test_added_and_deleted_windows_and_one_left_alone(live: ScheduleService) -> None:
    [kept] = live.schedule.maintenance
    what_if = scenario(live, "windows")
    [copy] = what_if.schedule.maintenance
    drawn = dataclasses.replace(copy, id=None, start=local("2028-02-01"), end=local("2028-02-10"))
    what_if.add_window(drawn)
    promote(live, "windows")
    windows = live.store.load().maintenance
    assert [(w.id, w.version) for w in windows][0] == (kept.id, kept.version)
    assert [w.start for w in windows] == [kept.start, local("2028-02-01")]

    what_if.reload()
    gone = next(w for w in what_if.schedule.maintenance if w.start == kept.start)
    what_if.delete_window(gone)
    promote(live, "windows")
    assert [w.start for w in live.store.load().maintenance] == [local("2028-02-01")]


def test_a_window_live_changed_since_is_refused_naming_who(live: ScheduleService) -> None:
    what_if = scenario(live, "stale pm")
    [held] = what_if.schedule.maintenance
    what_if.change_window(held, dataclasses.replace(held, reason="scenario PM"))
    what_if.move_campaign("CMP-0001", start=local("2027-04-05"))
    kim = ScheduleService(Store.open(live.store.url), user="kim")
    try:
        [theirs] = kim.schedule.maintenance
        kim.change_window(theirs, dataclasses.replace(theirs, end=theirs.end + timedelta(days=2)))
    finally:
        kim.store.close()
    before = live_state(live.store)
    with pytest.raises(
        PromoteRefusedError,
        match=r"maintenance window on bioreactor SYR-BR501 was changed in Live by kim at .* after",
    ):
        promote(live, "stale pm", reason="x")
    assert live_state(live.store) == before  # CMP-0001's move was not applied either


def test_promoting_a_confirmed_campaign_needs_a_reason(live: ScheduleService) -> None:
    what_if = scenario(live, "confirmed")
    what_if.move_campaign("CMP-0002", start=local("2027-06-14"), reason="what if")
    plan = plan_promotion(live, "confirmed")
    assert plan.confirmed == ["CMP-0002"] and plan.needs_reason(False)
    before = live_state(live.store)
    for missing in (None, "  "):
        with pytest.raises(ReasonRequiredError, match="CMP-0002 is Confirmed"):
            promote(live, "confirmed", reason=missing)
    assert live_state(live.store) == before
    change_set = promote(live, "confirmed", reason="client agreed")
    assert live.store.load().campaigns["CMP-0002"].start == local("2027-06-14")
    entries = live.store.audit_entries(change_set=change_set.audit_change_set, limit=None)
    assert {e.reason for e in entries} == {"client agreed"}


def test_a_planned_only_promotion_needs_no_reason_unless_the_schedule_asks(
    live: ScheduleService,
) -> None:
    what_if = scenario(live, "planned")
    what_if.move_campaign("CMP-0001", start=local("2027-04-05"))
    plan = plan_promotion(live, "planned")
    assert plan.confirmed == [] and not plan.needs_reason(False) and plan.needs_reason(True)
    live.set_require_reason(True, reason="audit season")
    with pytest.raises(ReasonRequiredError, match="requires a reason"):
        promote(live, "planned")
    promote(live, "planned", reason="weekly plan")
    assert live.store.load().campaigns["CMP-0001"].start == local("2027-04-05")


def test_cli_promote_of_a_confirmed_campaign_needs_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "plan.db"
    store = Store.open(str(db))
    try:
        setup = ScheduleService(store, user="ann")
        schedule = base_schedule()
        moved = schedule.campaigns["CMP-0002"]
        schedule.campaigns[moved.id] = dataclasses.replace(moved, status=Status.CONFIRMED)
        setup.apply_schedule(schedule)
        what_if = scenario(setup, "cli")
        what_if.move_campaign("CMP-0002", start=local("2027-06-14"), reason="what if")
        live_before = store.load()
    finally:
        store.close()
    capsys.readouterr()
    assert main(["scenario", "promote", "cli", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CMP-0002 is Confirmed" in err
    store = Store.open(str(db))
    try:
        assert store.load() == live_before
    finally:
        store.close()
    argv = ["scenario", "promote", "cli", "--reason", "client agreed", "--json", "--db", str(db)]
    assert main(argv) == 0
    assert '"changed": [\n      "CMP-0002"\n    ]' in capsys.readouterr().out
    store = Store.open(str(db))
    try:
        assert store.load().campaigns["CMP-0002"].start == local("2027-06-14")
        [entry] = [e for e in store.audit_entries(limit=None) if e.action == "promote"]
        assert (entry.reason, entry.source) == ("client agreed", "cli")
    finally:
        store.close()
