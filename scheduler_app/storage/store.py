"""``Store``: open (and migrate) a database, load the schedule, write units of work, read audit."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select, text, true
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from scheduler_app.campaigns import Campaign
from scheduler_app.errors import NotFoundError, StaleEditError, StorageError
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.schedule import Schedule
from scheduler_app.storage import codec, health, migrate
from scheduler_app.storage.audit import AuditEntry, entries_from_rows, last_change, stale_message
from scheduler_app.storage.audit_chain import Verification, campaign_drift, verify_chain
from scheduler_app.storage.database import build_engine, resolve_url, sqlite_file
from scheduler_app.storage.identity import database_user, owner_warning
from scheduler_app.storage.plans import LIVE, Plan, plan_for
from scheduler_app.storage.tables import (
    audit_log,
    bioreactors,
    campaign_days,
    campaigns,
    changeovers,
    meta,
    products,
    scenarios,
    sites,
    suites,
)
from scheduler_app.storage.writing import AuditContext, StaleRow, UnitOfWork, VersionKey

T = TypeVar("T")
EXTRA_COLUMNS_KEY = "extra_columns"
_NOTIFY = text(
    "SELECT pg_notify(left('scheduler_' || current_database() || '_' || current_schema(), 63), "
    ":payload)"
)


class Store:
    """A migrated database. Reads are Core selects (fast); writes go through :meth:`transaction`.
    The store remembers the master-data versions it last loaded or wrote, which is what its
    version checks expect."""

    def __init__(
        self,
        engine: Engine,
        url: URL,
        backup: Path | None = None,
        put_off: health.PutOff | None = None,
    ) -> None:
        self._engine = engine
        self.url = url
        self.backup_path = backup
        self._put_off = put_off
        self._versions: dict[VersionKey, int] = {}
        self.settings: dict[str, str] = {}
        """The settings table as last loaded (``require_reason``, ``extra_columns``, …)."""

    @classmethod
    def open(
        cls, target: str | os.PathLike[str] | URL | None = None, check_later: bool = False
    ) -> Store:
        """Open ``target`` (None → ``$SCHEDULER_DB`` or the default file; a path; an SQLAlchemy
        URL), creating and migrating it. Raises ``StorageError`` with one clear sentence.

        An SQLite file is integrity-checked and copied aside once a day before use; with
        ``check_later`` (the desktop app's start) both wait for :meth:`check_health`, which runs
        before the first write at the latest, unless the file must be migrated or is not in WAL
        mode (opening would write to it)."""
        url = resolve_url(target)
        shown = url.render_as_string(hide_password=True)
        path = sqlite_file(url)
        put_off = None
        if path is not None and check_later and health.in_wal_mode(path):
            put_off = health.PutOff(path)
        elif path is not None:
            health.check_sqlite(path)  # a damaged file is refused before anything touches it
        engine = build_engine(url)
        try:
            backup = migrate.upgrade(engine, path, before_writing=put_off.run if put_off else None)
            if path is not None and put_off is None:
                health.daily_backup(path)
        except StorageError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as error:
            engine.dispose()
            if put_off is not None:
                put_off.run()  # a damaged file is named as such
            raise StorageError(_explain_open_error(shown, path, error)) from None
        return cls(engine, url, backup, put_off)

    @property
    def health_checked(self) -> bool:
        """False while the check put off by ``open(check_later=True)`` has not passed."""
        return self._put_off is None

    def check_health(self) -> None:
        """Run the integrity check (and daily backup) put off at opening, if any: raises
        ``StorageError`` naming the damage, as opening would have; a no-op once it passed."""
        if self._put_off is not None:
            self._put_off.run()
            self._put_off = None

    @property
    def url_for_display(self) -> str:
        """The URL with any password masked, or the file path for SQLite."""
        path = sqlite_file(self.url)
        return str(path) if path is not None else self.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def load(
        self, scenario: str | None = None, running: tuple[datetime, datetime] | None = None
    ) -> Schedule:
        """The whole schedule in one read transaction (a consistent snapshot): master data with
        the campaigns and windows of Live or of ``scenario``. With ``running`` (UTC ``from, to``)
        only the campaigns that may occupy their bioreactor at some time in it are read (what a
        window shows before the rest is loaded): every one that does, and others that start no
        longer before it than the longest campaign stored lasts; the rest is as ever."""
        plan = plan_for(scenario)
        schedule = Schedule()
        versions: dict[VersionKey, int] = {}
        with self._reading(snapshot=True) as connection:
            for row in connection.execute(select(sites)):
                schedule.sites[SiteCode(row.code)] = codec.site_from_row(row)
                versions["site", row.code] = row.version
            for row in connection.execute(select(suites)):
                schedule.suites[SuiteCode(row.code)] = codec.suite_from_row(row)
                versions["suite", row.code] = row.version
            for row in connection.execute(select(bioreactors)):
                schedule.bioreactors[BioreactorCode(row.code)] = codec.bioreactor_from_row(row)
                versions["bioreactor", row.code] = row.version
            for row in connection.execute(select(products)):
                schedule.products[ProductCode(row.code)] = codec.product_from_row(row)
                versions["product", row.code] = row.version
            schedule.changeovers = codec.changeover_matrix(connection.execute(select(changeovers)))
            if not plan.is_live:
                _check_scenario_exists(connection, plan)
            within = _running_within(connection, plan, running) if running else true()
            with _collector_paused():
                if connection.dialect.name == "sqlite":
                    # The text select has no result processing, so the DB-API rows are read
                    # as they are, without a Row object around each.
                    query = plan.campaign_text_select.where(within).order_by(plan.campaigns.c.id)
                    rows = connection.execute(query).cursor.fetchall()
                    schedule.campaigns = codec.campaigns_from_sqlite_text(rows)
                    del rows
                else:
                    query = plan.campaign_select.where(within).order_by(plan.campaigns.c.id)
                    found = schedule.campaigns
                    for row in connection.execute(query):
                        found[row[0]] = codec.campaign_from_row(row)
            windows = plan.maintenance
            schedule.maintenance = [
                codec.maintenance_from_row(row)
                for row in connection.execute(
                    select(windows)
                    .where(plan.maintenance_rows)
                    .order_by(windows.c.start, windows.c.id)
                )
            ]
            settings: dict[str, str] = {}
            for row in connection.execute(select(meta)):
                versions["meta", row.key] = row.version
                settings[row.key] = row.value
                if row.key == EXTRA_COLUMNS_KEY:
                    schedule.extra_columns = list(json.loads(row.value))
            first = connection.execute(
                select(audit_log.c.change_set).order_by(audit_log.c.id).limit(1)
            ).first()
            schedule.origin = str(first[0]) if first is not None and first[0] else ""
        self._versions = versions
        self.settings = settings
        return schedule

    def campaign_count(self, scenario: str | None = None) -> int:
        """How many campaigns Live or ``scenario`` holds (cancelled ones too)."""
        plan = plan_for(scenario)
        query = select(func.count()).select_from(plan.campaigns).where(plan.campaign_rows)
        with self._reading() as connection:
            return int(connection.execute(query).scalar() or 0)

    def load_campaigns(
        self, keys: Iterable[str], scenario: str | None = None
    ) -> dict[CampaignId, Campaign]:
        """The named campaigns as stored now (in Live or ``scenario``); absent IDs are absent."""
        wanted = list(keys)
        found: dict[CampaignId, Campaign] = {}
        plan = plan_for(scenario)
        with self._reading(snapshot=True) as connection:
            for begin in range(0, len(wanted), 500):
                chunk = wanted[begin : begin + 500]
                query = plan.campaign_select.where(plan.campaigns.c.id.in_(chunk))
                for row in connection.execute(query):
                    found[row[0]] = codec.campaign_from_row(row)
        return found

    def last_audit_id(self) -> int:
        """The id of the newest audit entry (0 when there is none)."""
        with self._reading() as connection:
            return int(connection.execute(select(func.max(audit_log.c.id))).scalar() or 0)

    def audit_since(self, last_id: int, limit: int = 20_000) -> list[AuditEntry]:
        """Audit entries after ``last_id``, oldest first (what the live feed reads)."""
        query = (
            select(audit_log).where(audit_log.c.id > last_id).order_by(audit_log.c.id).limit(limit)
        )
        with self._reading() as connection:
            return entries_from_rows(connection.execute(query))

    def verify_audit(self) -> Verification:
        """Check the audit hash chain and that Live's campaigns are what the log says."""
        with self._reading(snapshot=True) as connection:
            result = verify_chain(connection)
        campaigns = self.load().campaigns
        with self._reading(snapshot=True) as connection:
            result.campaigns = campaign_drift(connection, campaigns)
        return result

    def database_user(self) -> str:
        """Who the audit log records for this store: PostgreSQL's ``current_user``, SQLite's
        operating-system account (never an environment variable)."""
        with self._reading() as connection:
            return database_user(connection)

    def owner_warning(self) -> str | None:
        """A warning for the planner when this login could rewrite the audit trail."""
        with self._reading() as connection:
            return owner_warning(connection)

    def is_empty(self) -> bool:
        """True when the database holds no sites and no campaigns (a fresh file)."""
        with self._reading() as connection:
            return (
                connection.execute(select(sites.c.code).limit(1)).first() is None
                and connection.execute(select(campaigns.c.id).limit(1)).first() is None
            )

    def audit_entries(
        self,
        entity: str | None = None,
        key: str | None = None,
        limit: int | None = 200,
        change_set: str | None = None,
    ) -> list[AuditEntry]:
        """Audit rows, newest first, optionally for one entity kind, one key or one action
        (``change_set``, as ``ChangeSet.audit_change_set`` names it)."""
        query = select(audit_log).order_by(audit_log.c.id.desc())
        if entity is not None:
            query = query.where(audit_log.c.entity == entity)
        if key is not None:
            query = query.where(audit_log.c.key == key)
        if change_set is not None:
            query = query.where(audit_log.c.change_set == change_set)
        if limit is not None:
            query = query.limit(limit)
        with self._reading() as connection:
            return entries_from_rows(connection.execute(query))

    @contextmanager
    def transaction(
        self,
        *,
        user: str,
        source: str,
        action: str,
        reason: str | None = None,
        scenario: str | None = None,
    ) -> Iterator[UnitOfWork]:
        """One write transaction on Live or on ``scenario``: commit with its audit rows when the
        block ends, roll back on any error. A version mismatch becomes ``StaleEditError`` naming
        who changed what."""
        self.check_health()  # nothing is written to a file that has not passed its check
        context = AuditContext(user=user, source=source, action=action, reason=reason)
        plan = plan_for(scenario)
        try:
            with self._engine.connect() as connection:
                connection.execution_options(sqlite_begin="IMMEDIATE")
                with connection.begin():
                    work = UnitOfWork(connection, context, self._versions, plan=plan)
                    yield work
                    work.finish()
                    if work.audit_rows and connection.dialect.name == "postgresql":
                        # Delivered to listeners when (and only if) this transaction commits.
                        connection.execute(_NOTIFY, {"payload": context.change_set})
        except StaleRow as stale:
            raise self._stale_error(stale, plan) from None
        except DBAPIError as error:
            raise StorageError(_explain_write_error(error)) from None
        self._versions.update(work.new_versions)

    def stale_error(
        self,
        entity: str,
        key: str,
        label: str | None = None,
        scenario: str | None = None,
        refused: str | None = None,
    ) -> StaleEditError:
        """The refusal for an edit of ``entity`` ``key`` (in Live or ``scenario``) that is no
        longer current, naming who changed it last, and when, from the audit log; ``refused``
        says what was not done in the refusal's own words."""
        noun = "campaign" if entity == "campaign" else entity
        stale = StaleRow(entity, key, label or key, noun, refused)
        return self._stale_error(stale, plan_for(scenario))

    def _stale_error(self, stale: StaleRow, plan: Plan = LIVE) -> StaleEditError:
        table = plan.campaigns
        with self._reading() as connection:
            # Maintenance rows are audited per window scope; the list is refused as a whole.
            key = None if stale.entity == "maintenance" else plan.audit_key(stale.key)
            entries = last_change(connection, plan.audit_entity(stale.entity), key)
            gone = (
                stale.entity == "campaign"
                and (
                    connection.execute(
                        select(table.c.id).where(table.c.id == stale.key, plan.campaign_rows)
                    )
                ).first()
                is None
            )
        message = stale_message(stale.label, stale.noun, entries, gone, stale.refused)
        return StaleEditError(message, entity=stale.entity, key=stale.key)

    def read(self, query: Callable[[Connection], T]) -> T:
        """Run the read-only ``query`` in one read transaction: modules such as ``audit_query``
        build their own selects while the store keeps the connections and their errors."""
        with self._reading() as connection:
            return query(connection)

    @contextmanager
    def _reading(self, snapshot: bool = False) -> Iterator[Connection]:
        """A read transaction; ``snapshot`` makes PostgreSQL see one consistent state across
        several selects (SQLite transactions always do)."""
        try:
            with self._engine.connect() as connection:
                if snapshot and connection.dialect.name == "postgresql":
                    connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    yield connection
        except DBAPIError as error:
            self.check_health()  # a damaged file is named as such
            raise StorageError(f"Cannot read the database: {_first_line(error)}") from None


def _running_within(
    connection: Connection, plan: Plan, running: tuple[datetime, datetime]
) -> ColumnElement[bool]:
    """The campaigns of ``plan`` that may occupy their bioreactor at some time in ``running``:
    they start before its end and no earlier than its start less the longest campaign stored (its
    days, and two more for the site calendar: a local day is 23 to 25 hours)."""
    table = plan.campaigns
    c = table.c
    longest = connection.execute(
        select(func.max(campaign_days(table))).select_from(table).where(plan.campaign_rows)
    ).scalar()
    begin, end = running
    earliest = begin - timedelta(days=int(longest or 0) + 2)
    return and_(c.start >= earliest, c.start < end)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a schedule's rows become objects: the rows and
    campaigns hold no cycles, and at 100,000 campaigns the collections the allocations set off
    (each scanning everything loaded so far) were a fifth of the load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_scenario_exists(connection: Connection, plan: Plan) -> None:
    found = connection.execute(
        select(scenarios.c.name).where(scenarios.c.name == plan.scenario)
    ).first()
    if found is None:
        raise NotFoundError(f"There is no scenario named {plan.scenario!r}.")


def _explain_write_error(error: DBAPIError) -> str:
    detail = _first_line(error)
    if "malformed" in detail:
        return (
            "The database file is damaged (SQLite: database disk image is malformed); nothing "
            "was saved. Restore the newest backup (see docs/administration.md)."
        )
    if health.is_disk_full(error):
        return "The disk holding the database is full; nothing was saved. Free some space."
    if "database is locked" in detail:
        return (
            "The database stayed busy with another planner's save for too long; nothing was "
            "saved, try again."
        )
    return f"The database refused the change, nothing was saved: {detail}"


def _first_line(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)


def _explain_open_error(shown: str, path: Path | None, error: Exception) -> str:
    detail = _first_line(error) if isinstance(error, DBAPIError) else str(error)
    if path is not None and "not a database" in detail:
        return f"{path} is not a scheduler database (SQLite cannot read it as a database file)."
    if path is not None:
        return f"Cannot open the database file {path}: {detail}."
    return f"Cannot connect to the database {shown}: {detail}."
