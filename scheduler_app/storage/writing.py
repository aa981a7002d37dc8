"""The unit of work: one transaction that writes campaigns, master data, maintenance windows and
settings with version checks, and the audit rows that describe it."""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from scheduler_app.campaigns import Campaign
from scheduler_app.errors import StorageError
from scheduler_app.ids import CampaignId, ProductCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.storage import codec
from scheduler_app.storage.audit import (
    as_text,
    campaign_changes,
    campaign_record,
    record_changes,
)
from scheduler_app.storage.audit_chain import GENESIS, HEAD_KEY, chain
from scheduler_app.storage.plans import LIVE, Plan
from scheduler_app.storage.tables import (
    audit_log,
    bioreactors,
    changeovers,
    meta,
    products,
    sites,
    suites,
)

VersionKey = tuple[str, str]
AUDIT_LOCK = 72_654_310
"""PostgreSQL advisory lock (with the database and schema as its second key) that serialises
appending to one schedule's audit chain."""
_CHUNK = 500
MAINTENANCE_KEY = "maintenance_revision"
CHANGEOVERS_KEY = "changeovers_revision"


class StaleRow(Exception):
    """Raised inside a unit of work when a row's version is not the expected one (or the row is
    gone, or already exists); the store turns it into a ``StaleEditError`` after rolling back."""

    def __init__(
        self, entity: str, key: str, label: str, noun: str, refused: str | None = None
    ) -> None:
        super().__init__(f"{entity} {key} is stale")
        self.entity, self.key, self.label, self.noun = entity, key, label, noun
        self.refused = refused


@dataclass(frozen=True)
class AuditContext:
    """Who is writing, from where and why; one ``change_set`` id groups the rows of one action."""

    user: str
    source: str
    action: str
    reason: str | None = None
    change_set: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class UnitOfWork:
    connection: Connection
    context: AuditContext
    known_versions: dict[VersionKey, int]
    new_versions: dict[VersionKey, int] = field(default_factory=dict)
    audit_rows: list[dict[str, Any]] = field(default_factory=list)
    plan: Plan = LIVE
    """Live or the scenario whose campaigns and windows this unit of work writes."""

    def audit(
        self, entity: str, key: str, field_name: str | None, old: str | None, new: str | None
    ) -> None:
        """Queue one audit row; all of them are inserted when the unit of work finishes."""
        ctx = self.context
        if entity in ("campaign", "maintenance"):
            entity, key = self.plan.audit_entity(entity), self.plan.audit_key(key)
        self.audit_rows.append(
            {
                "at": ctx.at,
                "user": ctx.user,
                "source": ctx.source,
                "action": ctx.action,
                "entity": entity,
                "key": key,
                "field": field_name,
                "old": old,
                "new": new,
                "reason": ctx.reason,
                "change_set": ctx.change_set,
            }
        )

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
            for begin in range(0, len(ids), _CHUNK):
                taken = self.connection.execute(
                    select(table.c.id).where(
                        table.c.id.in_(ids[begin : begin + _CHUNK]), plan.campaign_rows
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
        for begin in range(0, len(keys), _CHUNK):
            chunk = keys[begin : begin + _CHUNK]
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
            for begin in range(0, len(codes), _CHUNK):
                chunk = codes[begin : begin + _CHUNK]
                connection.execute(
                    select(bioreactors.c.code)
                    .where(bioreactors.c.code.in_(chunk))
                    .order_by(bioreactors.c.code)
                    .with_for_update()
                ).all()
        found: dict[CampaignId, Campaign] = {}
        table, query = self.plan.campaigns, self.plan.campaign_select
        for column, values in ((table.c.id, sorted(set(keys))), (table.c.bioreactor, codes)):
            for begin in range(0, len(values), _CHUNK):
                chunk = values[begin : begin + _CHUNK]
                for row in connection.execute(query.where(column.in_(chunk))):
                    found[row[0]] = codec.campaign_from_row(row)
        return found

    def current_master(self, kind: str, code: str) -> Any | None:
        """One site, suite, bioreactor or product as stored now (locked for this transaction)."""
        table, _ = _MASTER[kind]
        row = self.connection.execute(
            select(table).where(table.c.code == code).with_for_update()
        ).first()
        return None if row is None else _FROM_ROW[kind](row)

    def restore_master(self, kind: str, current: Any | None, target: Any | None) -> None:
        """Put one master-data row back to ``target`` (None: remove it) over ``current``, the row
        as :meth:`current_master` read it; used by undo and redo, which check content first."""
        table, values = _MASTER[kind]
        code = (target if target is not None else current).code  # type: ignore[union-attr]
        version_key = (kind, code)
        if current is None and target is not None:
            self.connection.execute(insert(table).values(**values(target), version=1))
            self.new_versions[version_key] = 1
            self.audit(kind, code, None, None, as_text(json.dumps(values(target), default=str)))
            return
        version = self.connection.execute(
            select(table.c.version).where(table.c.code == code)
        ).scalar_one()
        if target is None:
            self.connection.execute(delete(table).where(table.c.code == code))
            self.new_versions.pop(version_key, None)
            self.audit(kind, code, None, as_text(json.dumps(values(current), default=str)), None)
            return
        self.connection.execute(
            update(table).where(table.c.code == code).values(**values(target), version=version + 1)
        )
        self.new_versions[version_key] = version + 1
        for name, before, after in record_changes(current, target):
            self.audit(kind, code, name, before, after)

    def save_master(self, kind: str, old: Any | None, new: Any | None) -> bool:
        """Insert, update or (``new`` None) delete one site, suite, bioreactor or product
        (``old`` None: new row), checking the version this store last saw. A row still referred
        to elsewhere (a scenario's campaign) is not deleted: returns False, nothing written."""
        table, values = _MASTER[kind]
        entity = kind
        if new is None:
            assert old is not None
            key = (entity, old.code)
            try:
                with self.connection.begin_nested():
                    result = self.connection.execute(
                        delete(table).where(
                            table.c.code == old.code,
                            table.c.version == self.known_versions.get(key, 1),
                        )
                    )
            except IntegrityError:
                return False
            if result.rowcount != 1:
                label = f"{entity.capitalize()} {old.code}"
                raise StaleRow(entity, old.code, label, entity)
            self.new_versions.pop(key, None)
            self.audit(entity, old.code, None, as_text(json.dumps(values(old), default=str)), None)
            return True
        code = new.code
        version_key = (entity, code)
        label = f"{entity.capitalize()} {code}"
        if old is None:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(table).values(**values(new), version=1))
            except IntegrityError:
                raise StaleRow(entity, code, label, entity) from None
            self.new_versions[version_key] = 1
            self.audit(entity, code, None, None, as_text(json.dumps(values(new), default=str)))
            return True
        expected = self.known_versions.get(version_key, 1)
        result = self.connection.execute(
            update(table)
            .where(table.c.code == code, table.c.version == expected)
            .values(**values(new), version=expected + 1)
        )
        if result.rowcount != 1:
            raise StaleRow(entity, code, label, entity)
        self.new_versions[version_key] = expected + 1
        for name, before, after in record_changes(old, new):
            self.audit(entity, code, name, before, after)
        return True

    def replace_maintenance(
        self, expected: Sequence[MaintenanceWindow], incoming: Sequence[MaintenanceWindow]
    ) -> list[MaintenanceWindow]:
        """Make the stored windows those of ``incoming``, provided the stored set is still the
        one ``expected`` describes. A window equal to one stored keeps its row and version (so
        an import leaves untouched windows editable by others); returns the windows as stored."""
        stale = StaleRow("maintenance", "windows", "The maintenance list", "maintenance list")
        # The list as a whole carries a version (a settings row): it serialises two planners
        # replacing it at once, even when there is no window row to lock.
        self._claim_setting(self.plan.setting_key(MAINTENANCE_KEY), self.context.change_set, stale)
        table = self.plan.maintenance
        stored = set(
            self.connection.execute(
                select(table.c.id, table.c.version)
                .where(self.plan.maintenance_rows)
                .with_for_update()
            )
        )
        if stored != {(w.id, w.version) for w in expected}:
            raise stale
        kept: dict[tuple[Any, ...], list[MaintenanceWindow]] = {}
        for window in expected:
            kept.setdefault(_window_content(window), []).append(window)
        pairs: list[tuple[MaintenanceWindow | None, MaintenanceWindow | None]] = []
        out: list[MaintenanceWindow | None] = []
        for window in incoming:
            same = kept.get(_window_content(window))
            if same:
                out.append(same.pop())
            else:
                out.append(None)
                pairs.append((None, window))
        pairs += [(window, None) for group in kept.values() for window in group]
        inserted = iter(w for w in self.write_windows(pairs, checked=True) if w is not None)
        return [window if window is not None else next(inserted) for window in out]

    def write_windows(
        self,
        pairs: Sequence[tuple[MaintenanceWindow | None, MaintenanceWindow | None]],
        checked: bool = False,
    ) -> list[MaintenanceWindow | None]:
        """Insert, update or delete single windows (``(before or None, after or None)``), each
        refused when its row no longer has ``before.version``; returns what was stored per pair
        (None where deleted). Two planners editing different windows never collide."""
        plan, table = self.plan, self.plan.maintenance
        out: list[MaintenanceWindow | None] = []
        for before, after in pairs:
            if before is not None and not checked:
                current = self.connection.execute(
                    select(table.c.version)
                    .where(table.c.id == before.id, plan.maintenance_rows)
                    .with_for_update()
                ).scalar()
                if current != before.version:
                    label = f"The maintenance window on {before.scope}"
                    raise StaleRow("maintenance", before.scope, label, "maintenance window")
            match = and_(table.c.id == before.id, plan.maintenance_rows) if before else None
            if after is None:
                assert before is not None and match is not None
                self.connection.execute(delete(table).where(match))
                self.audit("maintenance", before.scope, None, _window_text(before), None)
                out.append(None)
                continue
            values = codec.maintenance_values(after)
            if before is None:
                if plan.is_live:
                    result = self.connection.execute(insert(table).values(**values, version=1))
                    (window_id,) = result.inserted_primary_key or (None,)
                else:
                    window_id = self._next_window_id()
                    self.connection.execute(
                        insert(table).values(
                            **values, **plan.row_key, id=window_id, version=1, live_id=None
                        )
                    )
                saved = dataclasses.replace(after, id=window_id, version=1)
                self.audit("maintenance", saved.scope, None, None, _window_text(saved))
            else:
                assert match is not None
                version = before.version + 1
                self.connection.execute(
                    update(table).where(match).values(**values, version=version)
                )
                saved = dataclasses.replace(after, id=before.id, version=version)
                for name, old, new in record_changes(before, saved):
                    if name not in ("id", "version"):
                        self.audit("maintenance", saved.scope, name, old, new)
            out.append(saved)
        return out

    def _next_window_id(self) -> int:
        table = self.plan.maintenance
        highest = self.connection.execute(
            select(func.max(table.c.id)).where(self.plan.maintenance_rows)
        ).scalar()
        return int(highest or 0) + 1

    def replace_changeovers(
        self,
        expected: dict[tuple[ProductCode, ProductCode], int],
        incoming: dict[tuple[ProductCode, ProductCode], int],
    ) -> None:
        """Replace the changeover matrix, provided the stored one is still ``expected``; one
        audit row per pair added, changed or removed."""
        stale = StaleRow("changeovers", "matrix", "The changeover matrix", "changeover matrix")
        self._claim_setting(CHANGEOVERS_KEY, self.context.change_set, stale)
        stored = codec.changeover_matrix(self.connection.execute(select(changeovers)))
        if stored != expected:
            raise stale
        self.connection.execute(delete(changeovers))
        if incoming:
            self.connection.execute(insert(changeovers), codec.changeover_rows(incoming))
        for pair in sorted(set(expected) | set(incoming)):
            old, new = expected.get(pair), incoming.get(pair)
            if old != new:
                self.audit(
                    "changeover",
                    f"{pair[0]} → {pair[1]}",
                    "days",
                    None if old is None else str(old),
                    None if new is None else str(new),
                )

    def set_setting(self, key: str, old: str | None, new: str) -> None:
        """Write one row of the settings table with a version check; ``old`` is for the audit."""
        self._claim_setting(key, new, StaleRow("meta", key, f"The setting {key!r}", "setting"))
        self.audit("meta", key, "value", old, new)

    def _claim_setting(self, key: str, value: str, stale: StaleRow) -> None:
        """Insert or update a settings row, expecting the version this store last saw."""
        version_key = ("meta", key)
        if version_key not in self.known_versions:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(meta).values(key=key, value=value, version=1))
            except IntegrityError:
                raise stale from None
            self.new_versions[version_key] = 1
            return
        expected = self.known_versions[version_key]
        result = self.connection.execute(
            update(meta)
            .where(meta.c.key == key, meta.c.version == expected)
            .values(value=value, version=expected + 1)
        )
        if result.rowcount != 1:
            raise stale
        self.new_versions[version_key] = expected + 1

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


_MASTER: dict[str, tuple[Table, Callable[[Any], dict[str, Any]]]] = {
    "site": (sites, codec.site_values),
    "suite": (suites, codec.suite_values),
    "bioreactor": (bioreactors, codec.bioreactor_values),
    "product": (products, codec.product_values),
}
_FROM_ROW: dict[str, Callable[[Any], Any]] = {
    "site": codec.site_from_row,
    "suite": codec.suite_from_row,
    "bioreactor": codec.bioreactor_from_row,
    "product": codec.product_from_row,
}


def _window_content(window: MaintenanceWindow) -> tuple[Any, ...]:
    return (window.site, window.suite, window.bioreactor, window.start, window.end, window.reason)


def _window_text(window: MaintenanceWindow) -> str:
    return f"{as_text(window.start)} → {as_text(window.end)}: {window.reason}"
