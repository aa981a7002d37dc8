"""Tamper evidence (SQLite and PostgreSQL): the SHA-256 chain over the audit rows finds a changed
or deleted past row even with the triggers dropped, the chain head finds removed newest rows,
``audit verify`` reports a campaign changed by raw SQL, SQLite's INSERT OR REPLACE is refused,
and a database from before the chain gets one computed once with nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store, migrate
from scheduler_app.storage.audit_chain import GENESIS, entry_hash
from scheduler_app.storage.database import build_engine, resolve_url
from tests.factories import campaign, local, small_schedule


def filled(database_url: str) -> ScheduleService:
    service = ScheduleService(Store.open(database_url), user="ann")
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01", notes="first", extra=(("PO", "77"),))
    campaign(schedule, "CMP-0002", start="2027-09-01", product="CDX-110", batches=1)
    service.apply_schedule(schedule)
    service.move_campaign("CMP-0001", start=local("2027-03-08"))
    service.edit_campaign("CMP-0002", notes="client call")
    return service


@pytest.fixture
def service(database_url: str) -> Iterator[ScheduleService]:
    made = filled(database_url)
    yield made
    made.store.close()


def without_triggers(service: ScheduleService, statement: str, **values: object) -> None:
    """What someone with database access does: switch the append-only triggers off first."""
    with service.store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        else:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(statement), values)


def test_an_untouched_log_verifies_and_every_row_is_chained(service) -> None:
    result = service.store.verify_audit()
    assert result.ok and result.first_bad is None and result.campaigns == []
    entries = sorted(service.store.audit_entries(limit=None), key=lambda e: e.id)
    assert result.entries == len(entries) > 10
    previous = GENESIS
    for entry in entries:
        assert entry.hash == entry_hash(previous, _row(entry))
        previous = entry.hash


def _row(entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


def test_a_changed_past_row_is_the_first_bad_entry(service) -> None:
    target = sorted(service.store.audit_entries(limit=None), key=lambda e: e.id)[3]
    without_triggers(service, "UPDATE audit_log SET new = 'forged' WHERE id = :id", id=target.id)
    result = service.store.verify_audit()
    assert not result.ok and result.first_bad == target.id
    assert f"Audit entry {target.id}" in (result.problem or "")


def test_a_deleted_past_row_is_found_at_the_row_after_it(service) -> None:
    ids = sorted(entry.id for entry in service.store.audit_entries(limit=None))
    without_triggers(service, "DELETE FROM audit_log WHERE id = :id", id=ids[5])
    result = service.store.verify_audit()
    assert result.first_bad == ids[6] and "missing" in (result.problem or "")
    assert result.entries == len(ids) - 1


def test_removing_the_newest_rows_is_found_by_the_chain_head(service) -> None:
    newest = max(entry.id for entry in service.store.audit_entries(limit=None))
    without_triggers(service, "DELETE FROM audit_log WHERE id = :id", id=newest)
    result = service.store.verify_audit()
    assert not result.ok and result.first_bad == newest
    assert "entries at the end were removed" in (result.problem or "")


def test_a_campaign_moved_by_raw_sql_is_reported(service) -> None:
    with service.store.engine.begin() as connection:
        connection.execute(
            text("UPDATE campaigns SET batches = 7, notes = 'hidden' WHERE id = 'CMP-0001'")
        )
        connection.execute(text("DELETE FROM campaigns WHERE id = 'CMP-0002'"))
    result = service.store.verify_audit()
    assert result.first_bad is None and not result.ok
    assert result.campaigns == [
        ("CMP-0001", "CMP-0001 differs from its audit trail in batches, notes."),
        ("CMP-0002", "CMP-0002 is missing from the database but was never deleted."),
    ]


def test_creation_and_deletion_rows_keep_the_whole_campaign(service) -> None:
    service.delete_campaign("CMP-0001", reason="client cancelled")
    [gone] = service.store.audit_entries(entity="campaign", key="CMP-0001", limit=1)
    record = json.loads(gone.old or "")
    assert (record["notes"], record["extra"], record["batches"]) == ("first", [["PO", "77"]], "2")
    assert record["start"] == "2027-03-08T05:00:00Z" and gone.new is None
    assert service.store.verify_audit().ok


def test_sqlite_insert_or_replace_cannot_overwrite_a_row(sqlite_url: str) -> None:
    service = filled(sqlite_url)
    try:
        forge = text(
            "INSERT OR REPLACE INTO audit_log (id, at, user, source, action, entity, key, "
            "field, old, new, reason, change_set) VALUES (1, '2026-01-01 00:00:00', 'qa.head', "
            "'app', 'edit', 'campaign', 'CMP-0001', 'notes', NULL, 'forged', NULL, 'x')"
        )
        with (
            pytest.raises(DBAPIError, match="append-only"),
            service.store.engine.begin() as connection,
        ):
            connection.execute(forge)
        assert service.store.verify_audit().ok
        assert service.store.audit_entries(limit=None)[-1].user == "ann"
    finally:
        service.store.close()


def test_a_database_from_before_the_chain_gets_it_once(database_url: str) -> None:
    from alembic import command

    service = filled(database_url)
    before = [(e.id, e.key, e.field, e.new) for e in service.store.audit_entries(limit=None)]
    service.store.close()
    url = resolve_url(database_url)
    engine = build_engine(url)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    engine.dispose()
    reopened = Store.open(database_url)
    try:
        assert migrate.current_revision(reopened.engine) == migrate.head_revision()
        entries = reopened.audit_entries(limit=None)
        assert [(e.id, e.key, e.field, e.new) for e in entries] == before
        assert all(entry.hash for entry in entries)
        assert reopened.verify_audit().ok
        ScheduleService(reopened, user="bob").set_batches("CMP-0002", 2)
        assert reopened.verify_audit().ok
    finally:
        reopened.close()
