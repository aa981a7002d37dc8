"""Tamper evidence for the audit log: a SHA-256 hash chain, and the check that the campaigns in the
database are what the log says they should be.

Each row's ``hash`` is SHA-256 over the previous row's hash and the row's own content (its id
included), so changing or deleting a past row, even with the database triggers dropped, breaks
the chain at that row or the one after it; the newest entry's id and hash are also kept in the
settings table, so removing the newest rows is noticed too. Anyone who can write the database
could recompute the whole chain: the chain makes tampering evident to ``audit verify`` (and to a
copy of the head kept elsewhere), it does not make it impossible. Database roles do that (see
the administration guide).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.storage.audit import AUDITED_FIELDS, campaign_record
from scheduler_app.storage.tables import audit_log, meta

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
"""Settings row holding ``<id> <hash>`` of the newest audit entry."""
CONTENT = (
    "id",
    "at",
    "user",
    "source",
    "action",
    "entity",
    "key",
    "field",
    "old",
    "new",
    "reason",
    "change_set",
)


def at_text(value: datetime) -> str:
    """An audit time as the chain hashes it: UTC with microseconds, whatever the database."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(previous: str, row: Mapping[str, Any] | Any) -> str:
    """SHA-256 (hex) of the previous hash and this row's content."""
    values = [at_text(row[name]) if name == "at" else row[name] for name in CONTENT]
    content = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def chain(previous: str, first_id: int, rows: Iterable[dict[str, Any]]) -> str:
    """Give ``rows`` consecutive ids from ``first_id`` and their hashes; returns the last hash."""
    next_id = first_id
    for row in rows:
        row["id"] = next_id
        row["hash"] = previous = entry_hash(previous, row)
        next_id += 1
    return previous


@dataclass
class Verification:
    """What ``audit verify`` found. ``first_bad`` is the id of the first entry that breaks the
    chain (None when it holds); ``campaigns`` lists campaigns whose stored state differs from
    what the log says, as ``(id, problem)``."""

    entries: int
    first_bad: int | None = None
    problem: str | None = None
    campaigns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_bad is None and self.problem is None and not self.campaigns

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad": self.first_bad,
            "problem": self.problem,
            "campaigns": [{"campaign": key, "problem": text} for key, text in self.campaigns],
        }


def verify_chain(connection: Connection) -> Verification:
    """Walk the log in id order, recomputing each hash; stop at the first that does not match."""
    previous, count, last_id = GENESIS, 0, 0
    broken: Verification | None = None
    query = select(audit_log).order_by(audit_log.c.id).execution_options(yield_per=2000)
    for row in connection.execute(query):
        count += 1
        values = row._mapping
        if broken is None and values["hash"] != entry_hash(previous, values):
            gap = " (entries before it are missing)" if row.id != last_id + 1 else ""
            broken = Verification(
                0,
                row.id,
                f"Audit entry {row.id} ({at_text(values['at'])[:19]}Z, {values['user']}, "
                f"{values['entity']} {values['key']}) does not match the chain{gap}: it or the "
                "entry before it was changed or removed.",
            )
        previous, last_id = values["hash"], row.id
    if broken is not None:
        broken.entries = count
        return broken
    head = connection.execute(select(meta.c.value).where(meta.c.key == HEAD_KEY)).scalar()
    if head is not None:
        head_id, _, head_hash = head.partition(" ")
        if int(head_id) != last_id or head_hash != previous:
            return Verification(
                count,
                last_id + 1 if int(head_id) > last_id else int(head_id),
                f"The newest audit entry should be {head_id}, but the log ends at {last_id}: "
                "entries at the end were removed or changed.",
            )
    return Verification(count)


def replayed_campaigns(rows: Iterable[Any]) -> dict[str, dict[str, Any] | None]:
    """Each campaign's state as the log tells it (``None``: deleted), from its creation entry
    (the whole campaign) and the field changes after it."""
    states: dict[str, dict[str, Any] | None] = {}
    for row in rows:
        key = row.key
        if row.field is None:
            states[key] = None if row.new is None else _record(row.new)
            continue
        state = states.get(key)
        if state is None:
            state = states[key] = {"partial": True}
        if row.field.startswith("extra:"):
            extra = state.setdefault("extra", {})
            extra[row.field.removeprefix("extra:")] = row.new
        elif row.field != "extra":
            state[row.field] = row.new
    return states


def campaign_drift(
    connection: Connection, held: Mapping[CampaignId, Campaign]
) -> list[tuple[str, str]]:
    """Campaigns whose stored state differs from what the audit log says it should be (changed
    or created without an audit entry, e.g. by raw SQL)."""
    query = (
        select(audit_log.c.key, audit_log.c.field, audit_log.c.new)
        .where(audit_log.c.entity == "campaign")
        .order_by(audit_log.c.id)
        .execution_options(yield_per=5000)
    )
    states = replayed_campaigns(connection.execute(query))
    problems: list[tuple[str, str]] = []
    for key, campaign in sorted(held.items()):
        if key not in states:
            problems.append((key, f"{key} is in the database but the audit log never created it."))
            continue
        state = states[key]
        if state is None:
            problems.append((key, f"{key} is in the database but the audit log deleted it."))
            continue
        differing = _differences(state, _record(campaign_record(campaign)))
        if differing:
            problems.append((key, f"{key} differs from its audit trail in {', '.join(differing)}."))
    for logged_key, logged in sorted(states.items()):
        if logged is not None and logged_key not in held:
            problems.append(
                (logged_key, f"{logged_key} is missing from the database but was never deleted.")
            )
    return problems


def _differences(logged: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    names = [n for n in AUDITED_FIELDS if n in logged or not logged.get("partial")]
    out = [name for name in names if logged.get(name) != stored.get(name)]
    logged_extra, stored_extra = logged.get("extra", {}), stored.get("extra", {})
    for column in sorted(set(logged_extra) | set(stored_extra)):
        if (logged.get("partial") and column not in logged_extra) or column == "":
            continue
        if logged_extra.get(column) != stored_extra.get(column):
            out.append(f"extra:{column}")
    return out


_SUMMARY = re.compile(
    r"^(?P<product>\S+) on (?P<bioreactor>\S+) from (?P<start>\S+), (?P<batches>\d+) × "
    r"(?P<batch_days>\d+) d \(\+(?P<turnaround_days>\d+) d\), (?P<status>[^,]+)"
    r"(?:, due (?P<due>\S+))?$"
)


def _record(text: str) -> dict[str, Any]:
    """A creation entry's campaign: the JSON record, or the one-line summary older versions
    wrote (then only the fields it names are compared)."""
    try:
        loaded = json.loads(text)
    except ValueError:
        match = _SUMMARY.match(text)
        if match is None:
            return {"partial": True}
        found: dict[str, Any] = {k: v for k, v in match.groupdict().items() if k != "due"}
        found["due"] = match.group("due")
        found["partial"] = True
        return found
    if not isinstance(loaded, dict):
        return {"partial": True}
    extra = loaded.get("extra") or []
    loaded["extra"] = {str(column): value for column, value in extra}
    return loaded
