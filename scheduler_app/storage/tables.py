"""The database schema as SQLAlchemy Core tables (typed columns, no ORM: the app reads and writes
rows through Core, and not importing the ORM saves a tenth of a second on every start).

Storage is the only place that knows these tables; the rest of the core sees the frozen domain
dataclasses. Every row a planner edits carries a ``version`` that each write checks and bumps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    literal_column,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: naive UTC text in SQLite, ``timestamptz`` in PostgreSQL, aware UTC in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing to store a naive datetime {value!r}: instants are UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()


def _version() -> Column[int]:
    """The counter every row a planner edits carries; each write checks and bumps it."""
    return Column("version", Integer, nullable=False, default=1)


sites = Table(
    "sites",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("available_from", Date, nullable=True),
    _version(),
)

suites = Table(
    "suites",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("site", String(32), ForeignKey("sites.code"), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    _version(),
)

bioreactors = Table(
    "bioreactors",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("suite", String(64), ForeignKey("suites.code"), nullable=False),
    Column("working_volume_l", Integer, nullable=False),
    Column("reactor_type", String(32), nullable=False),
    Column("available_from", Date, nullable=True),
    _version(),
    Column("role", String(16), nullable=False, server_default=text("'Production'")),
    Column("serves", JSON(none_as_null=True), nullable=True),
)

products = Table(
    "products",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("client", String(200), nullable=False),
    Column("modality", String(100), nullable=False),
    Column("validated_scales_l", JSON, nullable=False),
    Column("batch_days", Integer, nullable=False),
    Column("turnaround_days", Integer, nullable=False),
    Column("changeover_days", Integer, nullable=False),
    Column("qualified_sites", JSON, nullable=False),
    Column("colour", String(32), nullable=False),
    _version(),
    Column("seed_days", Integer, nullable=False, server_default=text("0")),
    Column("harvest_days", Integer, nullable=False, server_default=text("0")),
    Column("max_batches", Integer, nullable=False, server_default=text("0")),
    Column("qualified_from", JSON(none_as_null=True), nullable=True),
)


def campaign_days(table: Table) -> ColumnElement[int]:
    """A campaign row's length in site-local days (``Campaign.duration_days``), written with a
    literal 1 so that SQLite matches it with the index on it (``max`` of it is then one lookup)."""
    c = table.c
    return c.batches * c.batch_days + (c.batches - literal_column("1")) * c.turnaround_days


campaigns = Table(
    "campaigns",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("product", String(64), ForeignKey("products.code"), nullable=False),
    Column("bioreactor", String(64), ForeignKey("bioreactors.code"), nullable=False),
    Column("start", UTCDateTime(), nullable=False),
    Column("batches", Integer, nullable=False),
    Column("batch_days", Integer, nullable=False),
    Column("turnaround_days", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("due", Date, nullable=True),
    Column("notes", Text, nullable=False, default=""),
    Column("extra", JSON(none_as_null=True), nullable=True),
    _version(),
    Column("purpose", String(16), nullable=False, server_default=text("'Commercial'")),
    Column("needs", String(64), nullable=True),
    Column("lag_days", Integer, nullable=False, server_default=text("0")),
    Index("ix_campaigns_bioreactor", "bioreactor"),
    Index("ix_campaigns_start", "start"),
)
Index("ix_campaigns_days", campaign_days(campaigns))
"""``extra`` is the ordered list of ``[column, value]`` pairs operations added in Excel (NULL when
there are none, which keeps loading 10,000 rows cheap)."""

changeovers = Table(
    "changeovers",
    metadata,
    Column("from_product", String(64), ForeignKey("products.code"), primary_key=True),
    Column("to_product", String(64), ForeignKey("products.code"), primary_key=True),
    Column("days", Integer, nullable=False),
)
"""The changeover matrix: days of cleaning from one product to another. The list is replaced as a
whole under one settings-row version, like the maintenance windows."""

maintenance = Table(
    "maintenance",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site", String(32), ForeignKey("sites.code"), nullable=False),
    Column("suite", String(64), ForeignKey("suites.code"), nullable=True),
    Column("bioreactor", String(64), ForeignKey("bioreactors.code"), nullable=True),
    Column("start", UTCDateTime(), nullable=False),
    Column("end", UTCDateTime(), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    _version(),
)
"""No suite and no bioreactor means the whole site is down."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("user", String(200), nullable=False),
    Column("source", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("key", String(200), nullable=False),
    Column("field", String(200), nullable=True),
    Column("old", Text, nullable=True),
    Column("new", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("change_set", String(32), nullable=False),
    # SHA-256 over the previous row's hash and this row's content (``storage.audit_chain``).
    Column("hash", String(64), nullable=True),
    Index("ix_audit_log_entity_key", "entity", "key"),
    Index("ix_audit_log_change_set", "change_set"),
)
"""Append-only: the code has no update or delete path, and database triggers refuse both."""

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    _version(),
)
"""Small schedule-wide settings, such as the order of the extra Excel columns."""

scenarios = Table(
    "scenarios",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    _version(),
)
"""A named what-if copy of the campaigns and maintenance windows (master data is shared)."""

scenario_base = Table(
    "scenario_base",
    metadata,
    Column(
        "scenario", String(64), ForeignKey("scenarios.name", ondelete="CASCADE"), primary_key=True
    ),
    Column("entity", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)
"""The Live rows a scenario was copied from and their versions then: promote refuses a row whose
Live version moved on since (``entity`` is ``campaign`` or ``maintenance``)."""

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("user", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("meaning", Text, nullable=False, default=""),
)
"""A published plan: Live frozen as version ``number``; never updated or deleted (triggers)."""


def _plan_copy(name: str, source: Table, key: Column[Any], *extra: Column[Any]) -> Table:
    """A table holding rows of ``source`` (all its columns, foreign keys included) per scenario
    or per published version, ``key`` first; the primary key is ``key`` with the source's id."""
    columns: list[Column[Any]] = [key, *extra]
    for column in source.columns:
        default = column.server_default
        copy = Column(
            column.name,
            column.type,
            nullable=column.nullable,
            primary_key=column.name == "id",
            autoincrement=False,
            server_default=default.arg if default is not None else None,  # type: ignore[attr-defined]
        )
        for foreign_key in column.foreign_keys:
            copy.append_foreign_key(ForeignKey(foreign_key.target_fullname))
        columns.append(copy)
    return Table(name, metadata, *columns)


def _scenario_key() -> Column[str]:
    return Column(
        "scenario",
        String(64),
        ForeignKey("scenarios.name", ondelete="CASCADE"),
        primary_key=True,
    )


def _version_key() -> Column[int]:
    return Column(
        "plan_version",
        Integer,
        ForeignKey("plan_versions.number"),
        primary_key=True,
        autoincrement=False,
    )


scenario_campaigns = _plan_copy("scenario_campaigns", campaigns, _scenario_key())
scenario_maintenance = _plan_copy(
    "scenario_maintenance",
    maintenance,
    _scenario_key(),
    Column("live_id", Integer, nullable=True),
)
"""A scenario's windows keep their own ids per scenario; ``live_id`` is the Live window a row was
copied from (None for a window drawn in the scenario)."""
version_campaigns = _plan_copy("plan_version_campaigns", campaigns, _version_key())
version_maintenance = _plan_copy("plan_version_maintenance", maintenance, _version_key())
