"""What every part of a unit of work shares: the stale-row refusal, who is writing, the audit rows
queued for the end of the transaction and the versioned settings rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, update
from sqlalchemy.exc import IntegrityError

from scheduler_app.storage.plans import Plan
from scheduler_app.storage.tables import meta

VersionKey = tuple[str, str]
AUDIT_LOCK = 72_654_310
"""PostgreSQL advisory lock (with the database and schema as its second key) that serialises
appending to one schedule's audit chain."""
CHUNK = 500
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


class WriteBase:
    """The state a unit of work carries (declared here so that each part of it can be typed on
    its own) and the audit and settings writes every part uses."""

    connection: Connection
    context: AuditContext
    known_versions: dict[VersionKey, int]
    new_versions: dict[VersionKey, int]
    audit_rows: list[dict[str, Any]]
    plan: Plan

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
