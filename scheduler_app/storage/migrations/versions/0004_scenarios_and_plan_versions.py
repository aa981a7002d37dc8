"""Scenarios (what-if copies of campaigns and maintenance windows, with the Live versions they
were copied from) and published plan versions, frozen by database triggers like the audit log.

The copies take every column the ``campaigns`` and ``maintenance`` tables have at this revision
(read from the database), so the migration does not depend on which columns earlier revisions
added.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler_app.storage.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_FROZEN = ("plan_versions", "plan_version_campaigns", "plan_version_maintenance")
_MESSAGE = "a published plan version cannot be changed"


def _copy_of(
    name: str, source: sa.Table, key: sa.Column[object], *extra: sa.Column[object]
) -> None:
    columns: list[sa.Column[object]] = [key, *extra]
    for column in source.columns:
        default = column.server_default
        copy = sa.Column(
            column.name,
            column.type,
            nullable=column.nullable,
            primary_key=column.name == "id",
            autoincrement=False,
            server_default=default.arg if default is not None else None,  # type: ignore[attr-defined]
        )
        columns.append(copy)
    links = [
        sa.ForeignKeyConstraint(
            [fk["constrained_columns"][0]], [f"{fk['referred_table']}.{fk['referred_columns'][0]}"]
        )
        for fk in sa.inspect(op.get_bind()).get_foreign_keys(source.name)
    ]
    op.create_table(name, *columns, *links)


def _scenario_key() -> sa.Column[object]:
    return sa.Column(
        "scenario",
        sa.String(64),
        sa.ForeignKey("scenarios.name", ondelete="CASCADE"),
        primary_key=True,
    )


def _version_key() -> sa.Column[object]:
    return sa.Column(
        "plan_version",
        sa.Integer(),
        sa.ForeignKey("plan_versions.number"),
        primary_key=True,
        autoincrement=False,
    )


def upgrade() -> None:
    bind = op.get_bind()
    live = sa.MetaData()
    campaigns = sa.Table("campaigns", live, autoload_with=bind)
    maintenance = sa.Table("maintenance", live, autoload_with=bind)
    op.create_table(
        "scenarios",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "scenario_base",
        sa.Column(
            "scenario",
            sa.String(64),
            sa.ForeignKey("scenarios.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "plan_versions",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
    )
    _copy_of("scenario_campaigns", campaigns, _scenario_key())
    _copy_of(
        "scenario_maintenance",
        maintenance,
        _scenario_key(),
        sa.Column("live_id", sa.Integer(), nullable=True),
    )
    _copy_of("plan_version_campaigns", campaigns, _version_key())
    _copy_of("plan_version_maintenance", maintenance, _version_key())
    if bind.dialect.name == "sqlite":
        for table in _FROZEN:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
                )
    else:
        op.execute(
            "CREATE FUNCTION plan_version_frozen() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"
        )
        for table in _FROZEN:
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION plan_version_frozen()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION plan_version_frozen()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _FROZEN:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
    else:
        for table in _FROZEN:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
        op.execute("DROP FUNCTION plan_version_frozen()")
    for table in (
        "plan_version_maintenance",
        "plan_version_campaigns",
        "scenario_maintenance",
        "scenario_campaigns",
        "plan_versions",
        "scenario_base",
        "scenarios",
    ):
        op.drop_table(table)
