"""Reading the audit trail the way a planner asks for it: one campaign's history or the whole log,
narrowed by user, period and action, and each entry placed in its site's time zone.

The History panel and anything else that lists audit rows build an :class:`AuditQuery`; the store
runs it in one read transaction (``Store.read``). Times are UTC instants; a period is half-open
(``since`` included, ``until`` excluded).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Connection, func, select

from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode, SuiteCode
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store
from scheduler_app.storage.audit import AuditEntry, entries_from_rows
from scheduler_app.storage.tables import audit_log

DEFAULT_LIMIT = 5000
_SUMMARY_BIOREACTOR = re.compile(r" on (\S+) from ")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which audit rows to list, newest first. ``campaign`` narrows to one campaign's rows;
    ``limit`` None lists everything (an export), otherwise the newest ``limit`` rows."""

    campaign: str | None = None
    user: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class AuditChoices:
    """The users and actions the log holds, for filter lists."""

    users: list[str]
    actions: list[str]
    last_id: int = 0


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One entry as the History panel and its Excel export show it: when at its site (naive
    wall clock, None when it has no site) and in UTC, and what changed in planner's words."""

    entry: AuditEntry
    site: SiteCode | None
    local: datetime | None
    what: str
    field: str
    old: str | None
    new: str | None
    """``old``/``new`` as a planner reads them: recorded UTC instants shown as the site's wall
    clock (the entry's own ``old``/``new`` stay exactly as recorded)."""

    @property
    def utc(self) -> datetime:
        """The instant as naive UTC (how the database hands it back)."""
        at = self.entry.at
        return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def line(schedule: Schedule, entry: AuditEntry) -> AuditLine:
    site = site_of(schedule, entry)
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    local = utc_to_local_naive(at, schedule.sites[site].time_zone) if site else None
    what = entry.key if entry.entity == "campaign" else f"{entry.entity} {entry.key}"
    if entry.field:
        field = entry.field.replace("_", " ")
    elif entry.old is None:
        field = "created"
    else:
        field = "deleted" if entry.new is None else ""
    tz_name = schedule.sites[site].time_zone if site else None
    return AuditLine(
        entry,
        site,
        local,
        what,
        field,
        _readable(entry.old, tz_name),
        _readable(entry.new, tz_name),
    )


def _readable(value: str | None, tz_name: str | None) -> str | None:
    """Recorded instants (``2027-07-04T15:00:00Z``) as site wall clock (``2027-07-05 00:00``);
    a whole campaign recorded at creation or deletion (JSON) as one line."""
    if value is not None and value.startswith("{"):
        value = _record_line(value)
    if value is None or tz_name is None or "Z" not in value:
        return value

    def local(match: re.Match[str]) -> str:
        instant = datetime.strptime(match.group(0), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return f"{utc_to_local_naive(instant, tz_name):%Y-%m-%d %H:%M}"

    return _INSTANT.sub(local, value)


def entries(store: Store, query: AuditQuery, after_id: int | None = None) -> list[AuditEntry]:
    """The rows ``query`` selects, newest first; with ``after_id`` only rows written after it."""
    return store.read(partial(_select_entries, query=query, after_id=after_id))


def choices(store: Store, after_id: int | None = None) -> AuditChoices:
    """Every user and action in the log (in rows after ``after_id`` only, when given), sorted,
    with the newest row id seen so that the next call can ask only for what is new."""
    return store.read(partial(_select_choices, after_id=after_id))


def _select_entries(
    connection: Connection, query: AuditQuery, after_id: int | None
) -> list[AuditEntry]:
    statement = select(audit_log).order_by(audit_log.c.id.desc())
    if query.campaign is not None:
        statement = statement.where(
            audit_log.c.entity == "campaign", audit_log.c.key == query.campaign
        )
    if query.user is not None:
        statement = statement.where(audit_log.c.user == query.user)
    if query.action is not None:
        statement = statement.where(audit_log.c.action == query.action)
    if query.since is not None:
        statement = statement.where(audit_log.c.at >= query.since)
    if query.until is not None:
        statement = statement.where(audit_log.c.at < query.until)
    if after_id is not None:
        statement = statement.where(audit_log.c.id > after_id)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    return entries_from_rows(connection.execute(statement))


def _select_choices(connection: Connection, after_id: int | None) -> AuditChoices:
    newer = [] if after_id is None else [audit_log.c.id > after_id]
    users = connection.execute(select(audit_log.c.user).where(*newer).distinct()).scalars()
    actions = connection.execute(select(audit_log.c.action).where(*newer).distinct()).scalars()
    last = connection.execute(select(func.max(audit_log.c.id))).scalar()
    return AuditChoices(sorted(users), sorted(actions), int(last or 0))


def site_of(schedule: Schedule, entry: AuditEntry) -> SiteCode | None:
    """The site an entry happened at, for its site-local time: a campaign's (where it is now, or
    where the entry itself put it), a bioreactor's, suite's or site's own; None for a product or
    anything the schedule no longer knows."""
    if entry.entity == "campaign":
        held = schedule.campaigns.get(CampaignId(entry.key))
        code = held.bioreactor if held is not None else _bioreactor_in(entry)
        return _site_of_bioreactor(schedule, code)
    if entry.entity == "bioreactor":
        return _site_of_bioreactor(schedule, BioreactorCode(entry.key))
    if entry.entity == "suite":
        suite = schedule.suites.get(SuiteCode(entry.key))
        return suite.site if suite is not None else None
    if entry.entity == "site" and SiteCode(entry.key) in schedule.sites:
        return SiteCode(entry.key)
    return None


def _record_line(text: str) -> str:
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    line = (
        f"{record.get('product')} on {record.get('bioreactor')} from {record.get('start')}, "
        f"{record.get('batches')} × {record.get('batch_days')} d, {record.get('status')}"
    )
    return line + (f", due {record['due']}" if record.get("due") else "")


def _site_of_bioreactor(schedule: Schedule, code: BioreactorCode | None) -> SiteCode | None:
    if code is None or code not in schedule.bioreactors:
        return None
    suite = schedule.suites.get(schedule.bioreactors[code].suite)
    return suite.site if suite is not None else None


def _bioreactor_in(entry: AuditEntry) -> BioreactorCode | None:
    """The bioreactor a deleted campaign's entry names: its ``bioreactor`` field, the whole
    campaign recorded at creation or deletion (JSON), or the one-line summary."""
    if entry.field == "bioreactor":
        return BioreactorCode(entry.new or entry.old or "") or None
    text = entry.new if entry.new is not None else entry.old
    if not text:
        return None
    if text.startswith("{"):
        try:
            record = json.loads(text)
        except ValueError:
            return None
        found = record.get("bioreactor") if isinstance(record, dict) else None
        return BioreactorCode(found) if isinstance(found, str) else None
    match = _SUMMARY_BIOREACTOR.search(text)
    return BioreactorCode(match.group(1)) if match else None
