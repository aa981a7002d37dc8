"""The audit trail: what one entry holds, how values are written into it, and how a stale edit
is explained from it."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, select

from scheduler_app.campaigns import EDITABLE_FIELDS, Campaign
from scheduler_app.storage.tables import audit_log

AUDITED_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "extra")
"""Audited one row per field; extra columns are audited one row per column."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded fact: ``user`` changed ``field`` of ``entity`` ``key`` from ``old`` to ``new``.
    Rows written by one planner action share ``change_set``."""

    id: int
    at: datetime
    user: str
    source: str
    action: str
    entity: str
    key: str
    field: str | None
    old: str | None
    new: str | None
    reason: str | None
    change_set: str
    hash: str | None = None


def as_text(value: Any) -> str | None:
    """How a value reads in the audit log: instants in ISO 8601 UTC, naive wall-clock times as
    they are, lists joined by ``; ``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:  # a wall-clock time from an Excel extra column, kept as it is
            return value.isoformat(sep=" ")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple | list):
        return "; ".join(str(as_text(item)) for item in value)
    return str(value)


def campaign_changes(before: Campaign, after: Campaign) -> list[tuple[str, str | None, str | None]]:
    """``(field, old, new)`` for each field that differs; extra columns read ``extra:<name>``."""
    out = []
    for name in AUDITED_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out.append((name, as_text(old), as_text(new)))
    if before.extra != after.extra:
        old_extra, new_extra = dict(before.extra), dict(after.extra)
        changed = [
            column
            for column in dict.fromkeys([*old_extra, *new_extra])
            if (column in old_extra) != (column in new_extra)
            or old_extra.get(column) != new_extra.get(column)
        ]
        for column in changed:
            out.append(
                (f"extra:{column}", as_text(old_extra.get(column)), as_text(new_extra.get(column)))
            )
        if not changed:
            out.append(("extra", ", ".join(old_extra), ", ".join(new_extra)))
    return out


def record_changes(before: Any, after: Any) -> list[tuple[str, str | None, str | None]]:
    """``(field, old, new)`` between two master-data dataclasses of the same kind."""
    out = []
    for item in dataclasses.fields(before):
        old, new = getattr(before, item.name), getattr(after, item.name)
        if old != new:
            out.append((item.name, as_text(old), as_text(new)))
    return out


def campaign_record(campaign: Campaign) -> str:
    """The whole campaign as JSON (every audited field as the log writes it, notes and extra
    columns included), for create and delete entries: a deleted campaign can be rebuilt from it
    and ``audit verify`` replays the log from it."""
    record: dict[str, Any] = {"id": campaign.id}
    for name in AUDITED_FIELDS:
        record[name] = as_text(getattr(campaign, name))
    record["extra"] = [[column, as_text(value)] for column, value in campaign.extra]
    return json.dumps(record, ensure_ascii=False)


def campaign_summary(campaign: Campaign) -> str:
    """One line describing a whole campaign, for create and delete entries."""
    text = (
        f"{campaign.product} on {campaign.bioreactor} from {as_text(campaign.start)}, "
        f"{campaign.batches} × {campaign.batch_days} d (+{campaign.turnaround_days} d), "
        f"{campaign.status.value}"
    )
    if campaign.due is not None:
        text += f", due {campaign.due.isoformat()}"
    return text


def entries_from_rows(rows: Iterable[Any]) -> list[AuditEntry]:
    return [AuditEntry(**row._mapping) for row in rows]


def last_change(connection: Connection, entity: str, key: str | None) -> list[AuditEntry]:
    """The rows of the most recent change set that touched ``entity`` ``key`` (any key of that
    entity when ``key`` is None)."""
    match = [audit_log.c.entity == entity]
    if key is not None:
        match.append(audit_log.c.key == key)
    latest = connection.execute(
        select(audit_log.c.change_set).where(*match).order_by(audit_log.c.id.desc()).limit(1)
    ).scalar()
    if latest is None:
        return []
    rows = connection.execute(
        select(audit_log).where(audit_log.c.change_set == latest, *match).order_by(audit_log.c.id)
    )
    return entries_from_rows(rows)


def stale_message(
    label: str, noun: str, entries: list[AuditEntry], gone: bool, refused: str | None = None
) -> str:
    """Why an edit was refused, e.g. ``CMP-0042 was changed by kim at 2026-11-26 14:02 UTC
    (start) — your edit was not saved; the campaign has been reloaded.``; ``refused`` replaces
    "your edit was not saved" (an undo says so in its own words)."""
    refused = refused or "your edit was not saved"
    if gone:
        outcome = f"{refused}; it has been removed from your view."
        verb = "deleted"
    else:
        outcome = f"{refused}; the {noun} has been reloaded."
        created = bool(entries) and all(e.field is None and e.old is None for e in entries)
        verb = "created" if created and noun != "maintenance list" else "changed"
    if not entries:
        return f"{label} was {verb} in the database by someone else — {outcome}"
    last = entries[-1]
    fields = [entry.field for entry in entries if entry.field]
    detail = f" ({', '.join(dict.fromkeys(fields))})" if fields else ""
    when = last.at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{label} was {verb} by {last.user} at {when}{detail} — {outcome}"
