"""Version checks between two stores on one database, stale-edit messages from the audit log,
and an audit table that cannot be rewritten."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from scheduler_app.errors import StaleEditError
from scheduler_app.storage import Store
from tests.factories import campaign, small_schedule
from tests.scheduler_app.storage.helpers import save


@pytest.fixture
def two_stores(database_url: str):
    schedule = small_schedule()
    campaign(schedule, "CMP-0042")
    campaign(schedule, "CMP-0043", start="2027-06-01")
    first = Store.open(database_url)
    save(first, schedule, user="ann")
    second = Store.open(database_url)
    yield first, second, first.load(), second.load()
    first.close()
    second.close()


def audit_count(store: Store) -> int:
    return len(store.audit_entries(limit=None))


def test_an_update_bumps_the_version_and_records_each_field(two_stores) -> None:
    first, _, held, _ = two_stores
    before = held.campaigns["CMP-0042"]
    after = dataclasses.replace(before, start=before.start + timedelta(days=7), batches=3)
    with first.transaction(user="ann", source="app", action="move", reason="slot freed") as work:
        (stored,) = work.update_campaigns([(before, after)])
    assert stored.version == before.version + 1
    assert first.load().campaigns["CMP-0042"] == stored
    entries = first.audit_entries(entity="campaign", key="CMP-0042", limit=2)
    assert [(e.field, e.old, e.new) for e in entries] == [
        ("batches", "2", "3"),
        ("start", "2027-03-01T05:00:00Z", "2027-03-08T05:00:00Z"),
    ]
    assert {(e.user, e.source, e.action, e.reason) for e in entries} == {
        ("ann", "app", "move", "slot freed")
    }
    assert entries[0].change_set == entries[1].change_set
    assert entries[0].at.tzinfo is not None


def test_a_stale_update_is_refused_naming_who_changed_what(two_stores) -> None:
    first, second, held_first, held_second = two_stores
    base = held_second.campaigns["CMP-0042"]
    with second.transaction(user="kim", source="app", action="move") as work:
        work.update_campaigns([(base, dataclasses.replace(base, start=base.start + timedelta(1)))])
    mine = held_first.campaigns["CMP-0042"]
    other = held_first.campaigns["CMP-0043"]
    count = audit_count(first)
    refused = [
        (other, dataclasses.replace(other, notes="would be written first")),
        (mine, dataclasses.replace(mine, batches=4)),
    ]
    with (
        pytest.raises(StaleEditError) as caught,
        first.transaction(user="ann", source="app", action="move") as work,
    ):
        work.update_campaigns(refused)
    message = str(caught.value)
    assert message.startswith("CMP-0042 was changed by kim at ")
    assert "UTC (start) — your edit was not saved; the campaign has been reloaded." in message
    assert (caught.value.entity, caught.value.key) == ("campaign", "CMP-0042")
    after = first.load()
    assert after.campaigns["CMP-0043"] == other, "nothing of the refused transaction is written"
    assert after.campaigns["CMP-0042"].batches == 2
    assert audit_count(first) == count


def test_editing_a_deleted_campaign_says_it_was_deleted(two_stores) -> None:
    first, second, held_first, held_second = two_stores
    with second.transaction(user="kim", source="cli", action="delete") as work:
        work.delete_campaigns([held_second.campaigns["CMP-0043"]])
    mine = held_first.campaigns["CMP-0043"]
    with (
        pytest.raises(StaleEditError, match=r"^CMP-0043 was deleted by kim at .* UTC — "),
        first.transaction(user="ann", source="app", action="edit") as work,
    ):
        work.update_campaigns([(mine, dataclasses.replace(mine, notes="x"))])
    with (
        pytest.raises(StaleEditError, match="CMP-0043 was deleted by kim"),
        first.transaction(user="ann", source="app", action="delete") as work,
    ):
        work.delete_campaigns([mine])


def test_creating_an_id_another_planner_just_took_is_refused(two_stores) -> None:
    first, second, held_first, _ = two_stores
    fresh = dataclasses.replace(held_first.campaigns["CMP-0043"], id="CMP-0100", version=1)
    with second.transaction(user="kim", source="app", action="create") as work:
        work.insert_campaigns([fresh])
    with (
        pytest.raises(StaleEditError, match="CMP-0100 was created by kim"),
        first.transaction(user="ann", source="app", action="create") as work,
    ):
        work.insert_campaigns([dataclasses.replace(fresh, notes="mine")])
    assert first.load().campaigns["CMP-0100"].notes == ""


def test_master_data_and_maintenance_are_version_checked_too(two_stores) -> None:
    first, second, held_first, held_second = two_stores
    product = held_second.products["ABX-201"]
    with second.transaction(user="kim", source="import", action="import") as work:
        work.save_master("product", product, dataclasses.replace(product, batch_days=15))
        work.replace_maintenance(held_second.maintenance, [])
    with (
        pytest.raises(StaleEditError, match=r"Product ABX-201 was changed by kim .*\(batch_days\)"),
        first.transaction(user="ann", source="app", action="edit") as work,
    ):
        work.save_master("product", product, dataclasses.replace(product, colour="#000000"))
    assert first.load().products["ABX-201"].batch_days == 15
    first.load()  # now this store has seen the new versions
    with first.transaction(user="ann", source="app", action="edit") as work:
        work.save_master("product", product, dataclasses.replace(product, colour="#000000"))
    assert first.load().products["ABX-201"].colour == "#000000"


def test_the_audit_log_cannot_be_updated_or_deleted(two_stores) -> None:
    first, _, _, _ = two_stores
    count = audit_count(first)
    assert count > 0
    for statement in ("UPDATE audit_log SET \"user\" = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), first.engine.begin() as connection:
            connection.execute(text(statement))
    assert audit_count(first) == count
    assert {entry.user for entry in first.audit_entries(limit=None)} == {"ann"}


def test_audit_entries_filter_and_order_newest_first(two_stores) -> None:
    first, _, held, _ = two_stores
    for notes in ("one", "two", "three"):
        current = first.load().campaigns["CMP-0042"]
        with first.transaction(user="ann", source="app", action="edit") as work:
            work.update_campaigns([(current, dataclasses.replace(current, notes=notes))])
    latest = first.audit_entries(entity="campaign", key="CMP-0042", limit=2)
    assert [entry.new for entry in latest] == ["three", "two"]
    assert all(entry.key == "CMP-0042" for entry in first.audit_entries(key="CMP-0042"))
    assert {entry.entity for entry in first.audit_entries(entity="site")} == {"site"}
    assert held.campaigns["CMP-0042"].version == 1


def test_replacing_maintenance_another_planner_just_replaced_is_refused(two_stores) -> None:
    from scheduler_app.ids import SiteCode
    from scheduler_app.maintenance import MaintenanceWindow
    from tests.factories import local

    first, second, held_first, held_second = two_stores
    shutdown = MaintenanceWindow(SiteCode("SYR"), local("2027-07-01"), local("2027-07-15"), "Shut")
    with second.transaction(user="kim", source="import", action="import") as work:
        work.replace_maintenance(held_second.maintenance, [shutdown])
    # Both lists were empty, so no window row could be locked: the list's own version decides.
    with (
        pytest.raises(StaleEditError, match="The maintenance list was changed by kim"),
        first.transaction(user="ann", source="app", action="edit") as work,
    ):
        work.replace_maintenance(
            held_first.maintenance, [dataclasses.replace(shutdown, reason="PM")]
        )
    assert [w.reason for w in first.load().maintenance] == ["Shut"]
    with first.transaction(user="ann", source="app", action="edit") as work:
        work.replace_maintenance(first.load().maintenance, [])
    assert first.load().maintenance == []


def test_extra_column_edits_are_audited_per_column(two_stores) -> None:
    from datetime import datetime

    first, _, held, _ = two_stores
    before = dataclasses.replace(
        held.campaigns["CMP-0042"], extra=(("PO", "A-1"), ("Shipped", None))
    )
    with first.transaction(user="ann", source="app", action="edit") as work:
        (before,) = work.update_campaigns([(held.campaigns["CMP-0042"], before)])
    after = dataclasses.replace(before, extra=(("PO", "A-2"), ("Shipped", datetime(2027, 5, 2, 8))))
    with first.transaction(user="ann", source="app", action="edit") as work:
        work.update_campaigns([(before, after)])
    latest = first.audit_entries(key="CMP-0042", limit=2)
    assert sorted((e.field, e.old, e.new) for e in latest) == [
        ("extra:PO", "A-1", "A-2"),
        ("extra:Shipped", None, "2027-05-02 08:00:00"),
    ]
    reordered = dataclasses.replace(after, extra=tuple(reversed(after.extra)))
    with first.transaction(user="ann", source="app", action="edit") as work:
        work.update_campaigns([(dataclasses.replace(after, version=3), reordered)])
    [entry] = first.audit_entries(key="CMP-0042", limit=1)
    assert (entry.field, entry.old, entry.new) == ("extra", "PO, Shipped", "Shipped, PO")
