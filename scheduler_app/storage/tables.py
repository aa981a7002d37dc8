"""The database schema as typed SQLAlchemy mappings.

Storage is the only place that knows these tables; the rest of the core sees the frozen domain
dataclasses. Every row a planner edits carries a ``version`` that each write checks and bumps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
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


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), date: Date()}


class SiteRow(Base):
    __tablename__ = "sites"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    available_from: Mapped[date | None]
    version: Mapped[int] = mapped_column(Integer, default=1)


class SuiteRow(Base):
    __tablename__ = "suites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    site: Mapped[str] = mapped_column(ForeignKey("sites.code"))
    name: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class BioreactorRow(Base):
    __tablename__ = "bioreactors"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    suite: Mapped[str] = mapped_column(ForeignKey("suites.code"))
    working_volume_l: Mapped[int]
    reactor_type: Mapped[str] = mapped_column(String(32))
    available_from: Mapped[date | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str] = mapped_column(String(16), server_default=text("'Production'"))
    serves: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))


class ProductRow(Base):
    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200))
    modality: Mapped[str] = mapped_column(String(100))
    validated_scales_l: Mapped[list[int]] = mapped_column(JSON)
    batch_days: Mapped[int]
    turnaround_days: Mapped[int]
    changeover_days: Mapped[int]
    qualified_sites: Mapped[list[str]] = mapped_column(JSON)
    colour: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seed_days: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    harvest_days: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    max_batches: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    qualified_from: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))


class CampaignRow(Base):
    """``extra`` is the ordered list of ``[column, value]`` pairs operations added in Excel (NULL
    when there are none, which keeps loading 10,000 rows cheap)."""

    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product: Mapped[str] = mapped_column(ForeignKey("products.code"))
    bioreactor: Mapped[str] = mapped_column(ForeignKey("bioreactors.code"))
    start: Mapped[datetime]
    batches: Mapped[int]
    batch_days: Mapped[int]
    turnaround_days: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    due: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    purpose: Mapped[str] = mapped_column(String(16), server_default=text("'Commercial'"))
    needs: Mapped[str | None] = mapped_column(String(64))
    lag_days: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (Index("ix_campaigns_bioreactor", "bioreactor"),)


class ChangeoverRow(Base):
    """The changeover matrix: days of cleaning from one product to another. The list is replaced
    as a whole under one settings-row version, like the maintenance windows."""

    __tablename__ = "changeovers"

    from_product: Mapped[str] = mapped_column(ForeignKey("products.code"), primary_key=True)
    to_product: Mapped[str] = mapped_column(ForeignKey("products.code"), primary_key=True)
    days: Mapped[int]


class MaintenanceRow(Base):
    """No suite and no bioreactor means the whole site is down."""

    __tablename__ = "maintenance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(ForeignKey("sites.code"))
    suite: Mapped[str | None] = mapped_column(ForeignKey("suites.code"))
    bioreactor: Mapped[str | None] = mapped_column(ForeignKey("bioreactors.code"))
    start: Mapped[datetime]
    end: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuditRow(Base):
    """Append-only: the code has no update or delete path, and database triggers refuse both."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    user: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(200))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    change_set: Mapped[str] = mapped_column(String(32))
    hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 over the previous row's hash and this row's content (``storage.audit_chain``)."""

    __table_args__ = (
        Index("ix_audit_log_entity_key", "entity", "key"),
        Index("ix_audit_log_change_set", "change_set"),
    )


class MetaRow(Base):
    """Small schedule-wide settings, such as the order of the extra Excel columns."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


metadata = Base.metadata
sites = metadata.tables["sites"]
suites = metadata.tables["suites"]
bioreactors = metadata.tables["bioreactors"]
products = metadata.tables["products"]
campaigns = metadata.tables["campaigns"]
maintenance = metadata.tables["maintenance"]
changeovers = metadata.tables["changeovers"]
audit_log = metadata.tables["audit_log"]
meta = metadata.tables["meta"]


class ScenarioRow(Base):
    """A named what-if copy of the campaigns and maintenance windows (master data is shared)."""

    __tablename__ = "scenarios"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class ScenarioBaseRow(Base):
    """The Live rows a scenario was copied from and their versions then: promote refuses a row
    whose Live version moved on since (``entity`` is ``campaign`` or ``maintenance``)."""

    __tablename__ = "scenario_base"

    scenario: Mapped[str] = mapped_column(
        ForeignKey("scenarios.name", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int]


class PlanVersionRow(Base):
    """A published plan: Live frozen as version ``number``; never updated or deleted (triggers)."""

    __tablename__ = "plan_versions"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    user: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    meaning: Mapped[str] = mapped_column(Text, default="")


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


scenarios = metadata.tables["scenarios"]
scenario_base = metadata.tables["scenario_base"]
plan_versions = metadata.tables["plan_versions"]
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
