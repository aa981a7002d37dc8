"""The unit of work: one transaction that writes campaigns, master data, maintenance windows and
settings with version checks, and the audit rows that describe it. Master data and maintenance
writes live in ``master_writes`` and ``maintenance_writes``; what they share in ``write_base``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from scheduler_app.campaigns import Campaign
from scheduler_app.errors import StorageError
from scheduler_app.ids import CampaignId
from scheduler_app.storage import codec
from scheduler_app.storage.audit import campaign_changes, campaign_record
from scheduler_app.storage.audit_chain import GENESIS, HEAD_KEY, chain
from scheduler_app.storage.maintenance_writes import MaintenanceWrites
from scheduler_app.storage.master_writes import MasterWrites
from scheduler_app.storage.plans import LIVE, Plan
from scheduler_app.storage.tables import audit_log, bioreactors, meta
from scheduler_app.storage.write_base import (
    AUDIT_LOCK,
    CHANGEOVERS_KEY,
    CHUNK,
    MAINTENANCE_KEY,
    AuditContext,
    StaleRow,
    VersionKey,
)

__all__ = [
    "AUDIT_LOCK",
    "CHANGEOVERS_KEY",
    "MAINTENANCE_KEY",
    "AuditContext",
    "StaleRow",
    "UnitOfWork",
    "VersionKey",
]


@dataclass
class UnitOfWork(MasterWrites, MaintenanceWrites):
    connection: Connection
    context: AuditContext
    known_versions: dict[VersionKey, int]
    new_versions: dict[VersionKey, int] = field(default_factory=dict)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)
    plan: Plan = LIVE
    """Live or the scenario whose campaigns and windows this unit of work writes."""

    def insert_campaigns(self, added: Sequence[Campaign]) -> None:
        """Insert new campaigns with the versions they carry; an ID that already exists in the
        database (another planner created it first) is a stale edit."""
        if not added:
            return
        plan = self.plan
        table = plan.campaigns
        try:
            with self.connection.begin_nested():
                self.connection.execute(
                    insert(table), [codec.campaign_values(c) | plan.row_key for c in added]
                )
        except IntegrityError:
            ids = [c.id for c in added]
            for begin in range(0, len(ids), CHUNK):
                taken = self.connection.execute(
                    select(table.c.id).where(
                        table.c.id.in_(ids[begin : begin + CHUNK]), plan.campaign_rows
                    )
                ).scalar()
                if taken is not None:
                    raise StaleRow("campaign", taken, taken, "campaign") from None
            raise
        for campaign in added:
            self.audit("campaign", campaign.id, None, None, campaign_record(campaign))

    def update_campaigns(self, pairs: Sequence[tuple[Campaign, Campaign]]) -> list[Campaign]:
        """Write ``after`` over ``before`` where the row still has ``before.version``; returns the
        stored campaigns with their bumped versions."""
        if not pairs:
            return []
        params = []
        for before, after in pairs:
            values = codec.campaign_values(after)
            values["version"] = before.version + 1
            values["expected_id"] = before.id
            values["expected_version"] = before.version
            del values["id"]
            params.append(values)
        table = self.plan.campaigns
        statement = (
            update(table)
            .where(
                and_(
                    table.c.id == bindparam("expected_id"),
                    table.c.version == bindparam("expected_version"),
                    self.plan.campaign_rows,
                )
            )
            .values({name: bindparam(name) for name in codec.CAMPAIGN_COLUMNS if name != "id"})
        )
        self._check_versions([before for before, _ in pairs])
        result = self.connection.execute(statement, params)
        if result.rowcount != len(params):  # pragma: no cover - the rows are locked above
            raise StorageError("The database changed rows it had locked; nothing was saved.")
        stored = []
        for before, after in pairs:
            for name, old, new in campaign_changes(before, after):
                self.audit("campaign", before.id, name, old, new)
            stored.append(dataclasses.replace(after, version=before.version + 1))
        return stored

    def write_campaigns(
        self, pairs: Sequence[tuple[Campaign | None, Campaign | None]]
    ) -> list[Campaign | None]:
        """Deletes, updates, then inserts for ``(before or None, after or None)`` pairs; returns
        each pair's stored campaign (None where deleted)."""
        self.delete_campaigns([b for b, a in pairs if a is None and b is not None])
        updated = iter(
            self.update_campaigns([(b, a) for b, a in pairs if a is not None and b is not None])
        )
        self.insert_campaigns([a for b, a in pairs if b is None and a is not None])
        out: list[Campaign | None] = []
        for before, after in pairs:
            if after is None:
                out.append(None)
            elif before is None:
                out.append(after)
            else:
                out.append(next(updated))
        return out

    def delete_campaigns(self, removed: Sequence[Campaign]) -> None:
        if not removed:
            return
        table = self.plan.campaigns
        statement = delete(table).where(
            and_(
                table.c.id == bindparam("expected_id"),
                table.c.version == bindparam("expected_version"),
                self.plan.campaign_rows,
            )
        )
        params = [{"expected_id": c.id, "expected_version": c.version} for c in removed]
        self._check_versions(removed)
        result = self.connection.execute(statement, params)
        if result.rowcount != len(params):  # pragma: no cover - the rows are locked above
            raise StorageError("The database changed rows it had locked; nothing was saved.")
        for campaign in removed:
            self.audit("campaign", campaign.id, None, campaign_record(campaign), None)

    def _check_versions(self, expected: Sequence[Campaign]) -> None:
        """Lock the rows about to be written (``FOR UPDATE`` in PostgreSQL; SQLite already holds
        its write lock) and refuse the first one whose version is not the expected one."""
        keys = [campaign.id for campaign in expected]
        stored: dict[str, int] = {}
        table = self.plan.campaigns
        for begin in range(0, len(keys), CHUNK):
            chunk = keys[begin : begin + CHUNK]
            query = (
                select(table.c.id, table.c.version)
                .where(table.c.id.in_(chunk), self.plan.campaign_rows)
                .with_for_update()
            )
            stored.update((key, version) for key, version in self.connection.execute(query))
        for campaign in expected:
            if stored.get(campaign.id) != campaign.version:
                raise StaleRow("campaign", campaign.id, campaign.id, "campaign")

    def fresh_campaigns(
        self, keys: Sequence[str], bioreactor_codes: Sequence[str]
    ) -> dict[CampaignId, Campaign]:
        """The campaigns named by ``keys`` and every campaign on ``bioreactor_codes`` as the
        database holds them now, inside this transaction. In PostgreSQL the bioreactor rows are
        locked first, so two planners placing campaigns on one bioreactor are decided one after
        the other, each seeing what the other committed."""
        connection = self.connection
        codes = sorted(set(bioreactor_codes))
        if connection.dialect.name == "postgresql":
            for begin in range(0, len(codes), CHUNK):
                chunk = codes[begin : begin + CHUNK]
                connection.execute(
                    select(bioreactors.c.code)
                    .where(bioreactors.c.code.in_(chunk))
                    .order_by(bioreactors.c.code)
                    .with_for_update()
                ).all()
        found: dict[CampaignId, Campaign] = {}
        table, query = self.plan.campaigns, self.plan.campaign_select
        for column, values in ((table.c.id, sorted(set(keys))), (table.c.bioreactor, codes)):
            for begin in range(0, len(values), CHUNK):
                chunk = values[begin : begin + CHUNK]
                for row in connection.execute(query.where(column.in_(chunk))):
                    found[row[0]] = codec.campaign_from_row(row)
        return found

    def finish(self) -> None:
        """Insert the queued audit rows (called by the store just before commit)."""
        if not self.audit_rows:
            return
        connection = self.connection
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            # One writer at a time appends to the chain (SQLite already holds its write lock),
            # so ids follow commit order and each row links to the one committed before it.
            connection.execute(
                text(
                    "SELECT pg_advisory_xact_lock(:key, "
                    "hashtext(current_database() || '.' || current_schema()))"
                ),
                {"key": AUDIT_LOCK},
            )
        last = connection.execute(
            select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
        ).first()
        first_id = 1 if last is None else last.id + 1
        head = chain(GENESIS if last is None else last.hash or GENESIS, first_id, self.audit_rows)
        connection.execute(insert(audit_log), self.audit_rows)
        last_id = first_id + len(self.audit_rows) - 1
        if postgres:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), :id)"),
                {"id": last_id},
            )
        updated = connection.execute(
            update(meta).where(meta.c.key == HEAD_KEY).values(value=f"{last_id} {head}")
        )
        if updated.rowcount == 0:
            connection.execute(
                insert(meta).values(key=HEAD_KEY, value=f"{last_id} {head}", version=1)
            )
