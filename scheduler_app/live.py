"""The live change feed: change sets other planners and processes commit, told within a second.

A cheap *signal* says that the database may have changed: on SQLite ``PRAGMA data_version`` on a
dedicated connection (it moves when another connection commits); on PostgreSQL a background
thread that ``LISTEN``s on a channel named after the database and schema, to which every write
transaction sends ``NOTIFY`` as it commits. The thread reconnects after a dropped connection and
then asks for a resynchronisation (nothing committed meanwhile is lost: the audit log is read
from the last entry seen). When the signal fires, the audit rows after the last one seen are read
and grouped into ``RemoteChange``s; change sets this process wrote itself are skipped.

``ScheduleService.sync()`` drains the feed and reloads what the changes touched; ``watch`` prints
the changes as they come. Nothing here imports Qt.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from scheduler_app.ids import CampaignId
from scheduler_app.storage import Store
from scheduler_app.storage.audit import AuditEntry
from scheduler_app.storage.database import sqlite_file

log = logging.getLogger(__name__)

BATCH = 20_000
"""Audit rows read per query when catching up."""


@dataclass(frozen=True, slots=True)
class RemoteChange:
    """One change set committed by someone else: who, when (UTC), from where, which action and
    campaigns; ``description`` says it in a line a planner reads, e.g. ``kim moved CMP-0072
    (bioreactor, start)``. ``master`` is set when it changed master data, maintenance or
    settings (the whole plan is reloaded then). ``scenario`` names the scenario whose campaigns
    or windows it changed (None: Live); ``shared`` is set when it changed what every plan shares
    (products, equipment, sites, the changeover matrix, settings); ``scenario_event`` when it
    made, deleted or re-based a scenario (``scenario`` names it; nothing in a plan changed)."""

    at: datetime
    user: str
    source: str
    action: str
    campaigns: tuple[CampaignId, ...]
    description: str
    change_set: str = ""
    reason: str | None = None
    master: bool = False
    scenario: str | None = None
    shared: bool = False
    scenario_event: bool = False

    def concerns(self, scenario: str | None) -> bool:
        """Whether a window showing ``scenario`` (None: Live) must follow this change: the
        campaigns and windows of that plan, or the master data every plan shares."""
        return self.shared or (self.scenario == scenario and not self.scenario_event)

    def as_json(self) -> dict[str, Any]:
        """What ``watch --json`` prints for it."""
        return {
            "at": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "user": self.user,
            "source": self.source,
            "action": self.action,
            "campaigns": list(self.campaigns),
        }


@dataclass(frozen=True, slots=True)
class Poll:
    """What one look at the feed found; ``resync`` after a dropped connection came back (reload
    everything); ``lost`` while the connection is down."""

    changes: list[RemoteChange]
    resync: bool = False
    lost: bool = False


class Signal(Protocol):
    """Says cheaply whether the database may have changed since the last look."""

    def fired(self) -> tuple[bool, bool]:
        """``(maybe_changed, must_resync)``."""

    @property
    def lost(self) -> bool: ...

    def close(self) -> None: ...


class LiveFeed:
    """Change sets committed by others after ``last_id`` (the newest audit entry already seen)."""

    def __init__(self, store: Store, last_id: int | None = None) -> None:
        self.store = store
        self.last_id = store.last_audit_id() if last_id is None else last_id
        self._signal = signal_for(store)

    def poll(self, own: set[str] | None = None) -> Poll:
        """Cheap when nothing changed (one pragma, or one flag set by the listening thread).
        Change sets named in ``own`` (this process wrote them) are skipped and forgotten."""
        maybe, resync = self._signal.fired()
        if not (maybe or resync):
            return Poll([], lost=self._signal.lost)
        entries: list[AuditEntry] = []
        while True:
            batch = self.store.audit_since(self.last_id, BATCH)
            entries += batch
            if batch:
                self.last_id = batch[-1].id
            if len(batch) < BATCH:
                break
        changes = []
        for change in group(entries):
            if own is not None and change.change_set in own:
                own.discard(change.change_set)
            else:
                changes.append(change)
        return Poll(changes, resync=resync, lost=self._signal.lost)

    @property
    def lost(self) -> bool:
        return self._signal.lost

    def close(self) -> None:
        self._signal.close()


def group(entries: Iterable[AuditEntry]) -> list[RemoteChange]:
    """Audit rows (ordered by id) grouped into one change per change set, in commit order."""
    sets: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        sets.setdefault(entry.change_set, []).append(entry)
    return [describe(rows) for rows in sets.values()]


_VERBS = {
    "move": "moved",
    "resize": "resized",
    "edit": "edited",
    "create": "created",
    "duplicate": "duplicated",
    "delete": "deleted",
    "import": "imported",
    "demo": "loaded the demo into",
    "undo": "undid a change to",
    "redo": "redid a change to",
    "maintenance": "changed",
    "master": "edited",
    "promote": "promoted a scenario's changes to",
    "scenario create": "made",
    "scenario delete": "deleted",
    "scenario rebase": "re-based",
    "publish": "published",
}


_PLAN_ENTITIES = {"campaign", "maintenance"}
_LIVE_ONLY = {"plan version"}
"""Rows that change nothing a window shows (publishing freezes Live without changing it)."""


def describe(rows: list[AuditEntry]) -> RemoteChange:
    """One change set's rows as a ``RemoteChange``."""
    first = rows[0]
    campaigns: dict[CampaignId, None] = {}
    fields: dict[str, None] = {}
    master = shared = event = False
    scenario: str | None = None
    published: str | None = None
    for row in rows:
        entity, key = row.entity, row.key
        if entity.startswith("scenario "):
            scenario, key = key.split("/", 1)  # a scenario's name never holds '/'
            entity = entity.removeprefix("scenario ")
        elif entity == "scenario":
            scenario, event = key, True
            continue
        if entity == "campaign":
            campaigns[CampaignId(key)] = None
            if row.field:
                fields[row.field] = None
        elif entity in _PLAN_ENTITIES:
            master = True
        elif entity in _LIVE_ONLY:
            published = key
        else:
            master = shared = True
    ids = list(campaigns)
    named = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    verb = _VERBS.get(first.action, first.action)
    what = named or ("the maintenance windows" if master and not shared else "the master data")
    detail = f" ({', '.join(fields)})" if fields and len(ids) == 1 else ""
    if published is not None and not ids:
        text = f"{first.user} published Live as version {published}"
    elif event:
        text = f"{first.user} {verb.removeprefix('scenario ')} scenario “{scenario}”"
    else:
        where = f" in scenario “{scenario}”" if scenario is not None else ""
        text = f"{first.user} {verb} {what}{detail}{where}"
    if first.reason:
        text += f" — {first.reason}"
    return RemoteChange(
        first.at,
        first.user,
        first.source,
        first.action,
        tuple(ids),
        text,
        first.change_set,
        first.reason,
        master,
        scenario,
        shared,
        event,
    )


def resync_notice() -> RemoteChange:
    """What a planner is told once when the dropped connection is back."""
    return RemoteChange(
        datetime.now(UTC),
        "",
        "",
        "resync",
        (),
        "The connection to the database is back; the schedule was reloaded and is current.",
        master=True,
    )


def signal_for(store: Store) -> Signal:
    """The signal that suits the store's database."""
    url = store.url
    if url.get_backend_name() == "postgresql":
        from scheduler_app.live_postgres import ListenSignal

        return ListenSignal(store)
    path = sqlite_file(url)
    if path is not None:
        return DataVersionSignal(str(path))
    return _Quiet()


class DataVersionSignal:
    """SQLite: ``PRAGMA data_version`` on a connection of its own changes whenever another
    connection (this process's writes included) commits to the file."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._seen: int | None = None

    def fired(self) -> tuple[bool, bool]:
        (version,) = self._connection.execute("PRAGMA data_version").fetchone()
        changed = version != self._seen  # the first look always reads the log once
        self._seen = version
        return changed, False

    @property
    def lost(self) -> bool:
        return False

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()


class _Quiet:
    """An in-memory database: nobody else can write to it."""

    def fired(self) -> tuple[bool, bool]:
        return False, False

    @property
    def lost(self) -> bool:
        return False

    def close(self) -> None:
        pass
