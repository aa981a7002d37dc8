"""ScheduleService on SQLite and PostgreSQL: each action is one transaction with its audit rows,
memory and the conflict engine follow, observers hear once, and refusals change nothing."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.errors import (
    LockedError,
    NotFoundError,
    StaleEditError,
    StorageError,
    ValidationError,
)
from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.engine import check_schedule
from scheduler_app.service import ChangeSet, ScheduleService, Source
from scheduler_app.storage import Store
from scheduler_app.storage.writing import UnitOfWork
from tests.factories import SEOUL, campaign, local, small_schedule


def base_schedule():
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
    return s


@pytest.fixture
def service(database_url: str):
    opened = ScheduleService(Store.open(database_url), user="ann")
    opened.apply_schedule(base_schedule(), description="Import base.xlsx")
    heard: list[ChangeSet] = []
    opened.add_observer(heard.append)
    opened.heard = heard  # type: ignore[attr-defined]
    yield opened
    opened.store.close()


def snapshot(service: ScheduleService):
    """What must not move when an action is refused: database, audit log and memory."""
    return (
        service.store.load(),
        len(service.store.audit_entries(limit=None)),
        service.schedule.copy(),
    )


def last_change_set_entries(service: ScheduleService):
    latest = service.store.audit_entries(limit=1)[0].change_set
    return service.store.audit_entries(change_set=latest, limit=None)


def assert_in_step(service: ScheduleService) -> None:
    assert service.schedule == service.store.load()
    assert service.engine.conflicts == check_schedule(service.store.load())


def test_the_first_import_writes_everything_as_one_audited_change(service) -> None:
    assert_in_step(service)
    entries = service.store.audit_entries(limit=None)
    assert len({entry.change_set for entry in entries}) == 1
    assert {(entry.user, entry.source, entry.action) for entry in entries} == {
        ("ann", "import", "import")
    }
    assert {entry.entity for entry in entries} == {
        "site",
        "suite",
        "bioreactor",
        "product",
        "campaign",
    }


def test_move_in_time_is_one_change_set_heard_once(service) -> None:
    before = service.schedule.campaign("CMP-0001")
    moved = service.move_campaign("CMP-0001", start=local("2027-03-08"), reason="slot freed").after(
        "CMP-0001"
    )
    assert moved.start == local("2027-03-08") and moved.version == before.version + 1
    assert service.heard == [
        ChangeSet(
            "move",
            "Move CMP-0001 to 2027-03-08",
            (service.heard[0].changes[0],),
            frozenset({BioreactorCode("SYR-BR501")}),
            Source.APP,
            audit_change_set=service.heard[0].audit_change_set,
            user="ann",
            reason="slot freed",
        )
    ]
    change = service.heard[0].changes[0]
    assert (change.before, change.after, change.kind) == (before, moved, "changed")
    [entry] = last_change_set_entries(service)
    assert entry.change_set == service.heard[0].audit_change_set
    assert (entry.field, entry.old, entry.new, entry.reason, entry.action) == (
        "start",
        "2027-03-01T05:00:00Z",
        "2027-03-08T05:00:00Z",
        "slot freed",
        "move",
    )
    assert_in_step(service)


def test_a_bioreactor_change_without_a_start_keeps_the_instant(service) -> None:
    before = service.schedule.campaign("CMP-0001")
    moved = service.move_campaign("CMP-0001", bioreactor="SDO-BR1501").after("CMP-0001")
    assert (moved.start, moved.bioreactor) == (before.start, "SDO-BR1501")
    [heard] = service.heard
    assert heard.description == "Move CMP-0001 to SDO-BR1501"
    assert heard.touched_bioreactors == {"SYR-BR501", "SDO-BR1501"}
    assert_in_step(service)


def test_a_multi_move_is_one_transaction(service) -> None:
    service.move_campaigns(
        [
            ("CMP-0001", local("2027-02-01", SEOUL), "SDO-BR1501"),
            ("CMP-0002", local("2027-07-01"), None),
        ]
    )
    [heard] = service.heard
    assert heard.description == "Move 2 campaigns to 2 bioreactors"
    assert {entry.key for entry in last_change_set_entries(service)} == {"CMP-0001", "CMP-0002"}
    assert_in_step(service)


def test_set_batches_and_its_refusals(service) -> None:
    changed = service.set_batches("CMP-0001", 3)
    assert changed.after("CMP-0001").batches == 3 and service.heard[-1] is changed
    assert service.heard[-1].description == "Resize CMP-0001 to 3 batches"
    assert service.set_batches("CMP-0001", 1) and service.heard[-1].description.endswith("1 batch")
    held = snapshot(service)
    with pytest.raises(ValidationError, match="batches must be .* at least 1"):
        service.set_batches("CMP-0001", 0)
    with pytest.raises(NotFoundError):
        service.set_batches("CMP-9999", 2)
    assert snapshot(service) == held and len(service.heard) == 2


def test_edit_describes_the_fields_and_keeps_extra_columns_in_order(service) -> None:
    edited = service.edit_campaign(
        "CMP-0002", status="confirmed", notes="세척 후", extra={"PO": "77", "Lot": 3}
    ).after("CMP-0002")
    assert (edited.status, edited.notes, edited.extra) == (
        Status.CONFIRMED,
        "세척 후",
        (("PO", "77"), ("Lot", 3)),
    )
    assert service.heard[-1].description == "Edit CMP-0002 (status, notes, extra)"
    assert service.schedule.extra_columns == ["PO", "Lot"]
    assert service.store.load().extra_columns == ["PO", "Lot"]
    assert_in_step(service)
    held = snapshot(service)
    for bad in (
        {"colour": "red"},
        {"status": "paused"},
        {"batch_days": 0},
        {"turnaround_days": -1},
        {"product": "NOPE"},
        {"bioreactor": "NOPE"},
    ):
        with pytest.raises(ValidationError):
            service.edit_campaign("CMP-0002", reason="test", **bad)
    assert snapshot(service) == held


def test_locked_campaigns_refuse_moves_but_accept_status_changes(service) -> None:
    service.edit_campaign("CMP-0001", status=Status.IN_PROGRESS)
    held = snapshot(service)
    heard = len(service.heard)
    with pytest.raises(LockedError, match="CMP-0001 is In progress and locked: its start"):
        service.move_campaign("CMP-0001", start=local("2027-04-01"))
    with pytest.raises(LockedError, match="bioreactor"):
        service.move_campaign("CMP-0001", bioreactor="SDO-BR1501")
    with pytest.raises(LockedError, match="batches"):
        service.set_batches("CMP-0001", 5)
    with pytest.raises(LockedError):
        service.edit_campaign("CMP-0001", batch_days=20, notes="x")
    assert snapshot(service) == held and len(service.heard) == heard
    done = service.edit_campaign("CMP-0001", status="Complete", notes="released")
    assert done.after("CMP-0001").status is Status.COMPLETE
    with pytest.raises(LockedError, match="start"):
        # The status change and the move in one edit are refused together.
        service.edit_campaign("CMP-0001", status=Status.PLANNED, start=local("2027-04-01"))
    planned = service.edit_campaign("CMP-0001", status=Status.PLANNED).after("CMP-0001")
    moved = service.move_campaign("CMP-0001", start=local("2027-04-01")).after("CMP-0001")
    assert moved.version == planned.version + 1


def test_create_takes_the_next_id_and_product_defaults(service) -> None:
    made = service.create_campaign(
        product="CDX-110", bioreactor="SYR-BR501", start=local("2028-01-03"), batches=2
    ).campaigns[0]
    assert (made.id, made.batch_days, made.turnaround_days, made.version) == ("CMP-0003", 12, 3, 1)
    [heard] = service.heard
    assert (heard.description, heard.changes[0].kind) == (
        "New campaign CMP-0003 on SYR-BR501",
        "added",
    )
    assert_in_step(service)
    held = snapshot(service)
    refusals = [
        (NotFoundError, {"product": "NOPE"}),
        (NotFoundError, {"bioreactor": "SYR-BR999"}),
        (ValidationError, {"batches": 0}),
        (ValidationError, {"batch_days": 0}),
        (ValidationError, {"turnaround_days": -1}),
        (ValidationError, {"campaign_id": "CMP-0001"}),
    ]
    for error, change in refusals:
        fields = {
            "product": "ABX-201",
            "bioreactor": "SYR-BR501",
            "start": local("2028-06-01"),
            "batches": 1,
            **change,
        }
        with pytest.raises(error):
            service.create_campaign(**fields)
    assert snapshot(service) == held and len(service.heard) == 1


def test_delete_returns_what_undo_needs(service) -> None:
    gone = service.delete_campaign("CMP-0002", reason="client cancelled").before("CMP-0002")
    assert (
        gone is not None and gone.id == "CMP-0002" and "CMP-0002" not in service.schedule.campaigns
    )
    assert service.heard[-1].description == "Delete CMP-0002"
    assert service.heard[-1].changes[0].kind == "deleted"
    [entry] = last_change_set_entries(service)
    assert (entry.action, entry.old is not None, entry.new, entry.reason) == (
        "delete",
        True,
        None,
        "client cancelled",
    )
    assert_in_step(service)


def test_undo_and_redo_through_replace_campaigns(service) -> None:
    original = service.schedule.campaign("CMP-0001")
    moved = service.move_campaign("CMP-0001", start=local("2027-04-05")).after("CMP-0001")
    current = service.schedule.campaign("CMP-0001")
    undo = service.replace_campaigns(
        [(current, dataclasses.replace(original, version=current.version))],
        action="undo move",
        description="Move CMP-0001 to 2027-04-05",
    )
    restored = service.schedule.campaign("CMP-0001")
    assert restored.start == original.start and restored.version == moved.version + 1
    assert undo.action == "undo move" and service.heard[-1] is undo
    service.replace_campaigns([(restored, None)], action="delete", description="Delete")
    back = service.replace_campaigns([(None, restored)], action="undo delete", description="x")
    assert back.changes[0].kind == "added"
    assert service.schedule.campaign("CMP-0001").start == original.start
    assert_in_step(service)


def test_replace_refuses_a_before_that_is_no_longer_held(service) -> None:
    old = service.schedule.campaign("CMP-0001")
    service.move_campaign("CMP-0001", start=local("2027-04-05"), reason="by ann")
    held = snapshot(service)
    with pytest.raises(StaleEditError, match="CMP-0001 was changed by ann"):
        service.replace_campaigns([(old, dataclasses.replace(old, batches=4))])
    assert snapshot(service) == held


def test_a_stale_edit_is_refused_and_reloads_that_campaign(database_url: str, service) -> None:
    other = ScheduleService(Store.open(database_url), user="kim")
    try:
        other.move_campaign("CMP-0001", start=local("2027-03-15"))
        db_before = service.store.load()
        count = len(service.store.audit_entries(limit=None))
        with pytest.raises(StaleEditError) as caught:
            service.set_batches("CMP-0001", 4)
        assert str(caught.value).startswith("CMP-0001 was changed by kim at ")
        assert str(caught.value).endswith(
            "UTC (start) — your edit was not saved; the campaign has been reloaded."
        )
        assert service.store.load() == db_before
        assert len(service.store.audit_entries(limit=None)) == count
        assert service.schedule.campaign("CMP-0001") == other.schedule.campaign("CMP-0001")
        assert [cs.action for cs in service.heard] == ["reload"]
        assert service.set_batches("CMP-0001", 4).after("CMP-0001").version == 3
        assert_in_step(service)
    finally:
        other.store.close()


def test_apply_schedule_upserts_and_counts(service) -> None:
    incoming = service.schedule.copy()
    incoming.campaigns = dict(incoming.campaigns)
    first = incoming.campaigns["CMP-0001"]
    incoming.campaigns[first.id] = dataclasses.replace(first, batches=3, version=1)
    del incoming.campaigns["CMP-0002"]
    campaign(incoming, "CMP-0010", start="2028-01-01")
    product = incoming.products["ABX-201"]
    incoming.products = {
        **incoming.products,
        product.code: dataclasses.replace(product, batch_days=15),
    }
    incoming.maintenance = [
        MaintenanceWindow(SiteCode("SYR"), local("2027-08-01"), local("2027-08-15"), "Shutdown")
    ]
    kept = service.apply_schedule(incoming, description="Import plan.xlsx")
    assert kept.description == "Import plan.xlsx (1 changed, 1 added)"
    assert (kept.ids("changed"), kept.ids("added"), kept.ids("deleted")) == (
        ["CMP-0001"],
        ["CMP-0010"],
        [],
    )
    assert kept.master_data_changed and kept.maintenance_changed and kept.source is Source.IMPORT
    assert "CMP-0002" in service.schedule.campaigns
    assert service.schedule.products["ABX-201"].batch_days == 15
    assert [w.reason for w in service.store.load().maintenance] == ["Shutdown"]
    assert_in_step(service)

    again = service.apply_schedule(incoming, delete_missing=True, description="Import plan.xlsx")
    assert again.description == "Import plan.xlsx (1 deleted)"
    assert again.ids("deleted") == ["CMP-0002"] and not again.maintenance_changed
    assert_in_step(service)
    nothing = service.apply_schedule(incoming, delete_missing=True)
    assert nothing.changes == () and nothing.description == "Import (no campaign changes)"
    assert len(service.heard) == 2


def test_apply_schedule_refuses_unknown_references_and_changes_nothing(service) -> None:
    incoming = base_schedule()
    campaign(incoming, "CMP-0011", start="2028-01-01")
    incoming.campaigns["CMP-0011"] = dataclasses.replace(
        incoming.campaigns["CMP-0011"], product="NOPE"
    )
    held = snapshot(service)
    with pytest.raises(NotFoundError, match="NOPE"):
        service.apply_schedule(incoming)
    assert snapshot(service) == held and service.heard == []


def test_a_failure_inside_the_transaction_changes_nothing(service, monkeypatch) -> None:
    held = snapshot(service)

    def broken(self: UnitOfWork) -> None:
        raise StorageError("disk full")

    monkeypatch.setattr(UnitOfWork, "finish", broken)
    with pytest.raises(StorageError):
        service.move_campaign("CMP-0001", start=local("2027-05-03"))
    assert snapshot(service) == held and service.heard == []


def test_the_engine_follows_each_change(service) -> None:
    assert not any(c.kind == "overlap" for c in service.engine.conflicts)
    service.move_campaign("CMP-0002", start=local("2027-03-05"))
    assert any(c.kind == "overlap" for c in service.engine.conflicts)
    assert_in_step(service)


def test_observers_can_be_removed_and_one_failing_does_not_stop_the_others(service) -> None:
    calls: list[str] = []

    def failing(change_set: ChangeSet) -> None:
        raise RuntimeError("observer bug")

    service.add_observer(failing)
    service.add_observer(lambda cs: calls.append(cs.description))
    service.move_campaign("CMP-0001", start=local("2027-03-02"))
    service.remove_observer(failing)
    service.remove_observer(service.heard.append)
    service.move_campaign("CMP-0001", start=local("2027-03-03"))
    assert calls == ["Move CMP-0001 to 2027-03-02", "Move CMP-0001 to 2027-03-03"]
    assert len(service.heard) == 1


def test_reload_picks_up_another_planners_work(database_url: str, service) -> None:
    other = ScheduleService(Store.open(database_url), user="kim", source=Source.CLI)
    try:
        other.delete_campaign("CMP-0001")
        other.create_campaign(
            product="ABX-201", bioreactor="SDO-BR1501", start=local("2027-05-03", SEOUL), batches=1
        )
        reloaded = service.reload()
        assert (reloaded.ids("added"), reloaded.ids("deleted")) == (["CMP-0003"], ["CMP-0001"])
        assert service.heard == [reloaded]
        assert_in_step(service)
        assert service.store.audit_entries(key="CMP-0003")[0].source == "cli"
    finally:
        other.store.close()


def test_one_campaign_cannot_change_twice_in_one_action(service) -> None:
    held = snapshot(service)
    first = service.schedule.campaign("CMP-0001")
    with pytest.raises(ValidationError, match="moved twice"):
        service.move_campaigns(
            [("CMP-0001", local("2027-03-02"), None), ("CMP-0001", local("2027-03-09"), None)]
        )
    with pytest.raises(ValidationError, match="CMP-0001 changed twice"):
        service.replace_campaigns(
            [
                (first, dataclasses.replace(first, batches=3)),
                (first, dataclasses.replace(first, batches=4)),
            ]
        )
    assert snapshot(service) == held and service.heard == []


def test_create_takes_the_next_free_id_when_another_planner_just_used_it(
    database_url: str, service
) -> None:
    other = ScheduleService(Store.open(database_url), user="kim")
    try:
        taken = other.create_campaign(
            product="ABX-201", bioreactor="SDO-BR1501", start=local("2027-09-01", SEOUL), batches=1
        ).campaigns[0]
        mine = service.create_campaign(
            product="CDX-110", bioreactor="SYR-BR501", start=local("2028-02-01"), batches=1
        ).campaigns[0]
        assert (taken.id, mine.id) == ("CMP-0003", "CMP-0004")
        assert service.schedule.campaign("CMP-0003") == taken
        assert [cs.action for cs in service.heard] == ["reload", "create"]
        assert_in_step(service)
        with Store.open(database_url) as third_store:
            ScheduleService(third_store, user="lee").create_campaign(
                product="ABX-201",
                bioreactor="SYR-BR501",
                start=local("2028-06-01"),
                batches=1,
                campaign_id="CMP-0005",
            )
        with pytest.raises(StaleEditError, match="CMP-0005 was created by lee"):
            other.create_campaign(
                product="ABX-201",
                bioreactor="SYR-BR501",
                start=local("2028-09-01"),
                batches=1,
                campaign_id="CMP-0005",
            )
    finally:
        other.store.close()


def test_delete_refusals_change_nothing(database_url: str, service) -> None:
    held = snapshot(service)
    with pytest.raises(NotFoundError, match="CMP-9999"):
        service.delete_campaign("CMP-9999")
    assert snapshot(service) == held
    with Store.open(database_url) as other_store:
        ScheduleService(other_store, user="kim").edit_campaign("CMP-0002", notes="keep me")
    count = len(service.store.audit_entries(limit=None))
    with pytest.raises(StaleEditError, match=r"CMP-0002 was changed by kim .*\(notes\)"):
        service.delete_campaign("CMP-0002")
    assert service.store.load().campaigns["CMP-0002"].notes == "keep me"
    assert service.schedule.campaign("CMP-0002").notes == "keep me", "reloaded, not deleted"
    assert len(service.store.audit_entries(limit=None)) == count


def test_notes_and_extra_text_are_held_in_nfc_however_typed(service: ScheduleService) -> None:
    """A compatibility ideograph or decomposed Hangul is stored as the text it equals, as an
    import stores it, so exporting and importing the workbook again changes nothing."""
    typed, held = "\uf900 \u1109\u1169\u11bc\u1103\u1169", "\u8c48 송도"
    made = (
        service.create_campaign(
            product="ABX-201",
            bioreactor="SYR-BR501",
            start=local("2027-09-06"),
            batches=1,
            notes=typed,
            extra=[("Comments", typed)],
        )
        .changes[0]
        .after
    )
    assert made is not None
    assert (made.notes, made.extra) == (held, (("Comments", held),))
    edited = service.edit_campaign(made.id, notes=typed + "!", extra={"Comments": typed})
    after = edited.changes[0].after
    assert after is not None and after.notes == held + "!"
    assert after.extra == (("Comments", held),)
    assert service.store.load().campaigns[made.id].notes == held + "!"
    copy = dataclasses.replace(made, id=CampaignId("CMP-0100"), notes=typed, extra=())
    added = service.add_campaign(copy, action="duplicate").changes[0].after
    assert added is not None and added.notes == held
