"""Initial schema: master data, campaigns, maintenance windows and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler_app.storage.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        _version(),
    )
    op.create_table(
        "suites",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("site", sa.String(32), sa.ForeignKey("sites.code"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _version(),
    )
    op.create_table(
        "bioreactors",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("suite", sa.String(64), sa.ForeignKey("suites.code"), nullable=False),
        sa.Column("working_volume_l", sa.Integer(), nullable=False),
        sa.Column("reactor_type", sa.String(32), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        _version(),
    )
    op.create_table(
        "products",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("modality", sa.String(100), nullable=False),
        sa.Column("validated_scales_l", sa.JSON(), nullable=False),
        sa.Column("batch_days", sa.Integer(), nullable=False),
        sa.Column("turnaround_days", sa.Integer(), nullable=False),
        sa.Column("changeover_days", sa.Integer(), nullable=False),
        sa.Column("qualified_sites", sa.JSON(), nullable=False),
        sa.Column("colour", sa.String(32), nullable=False),
        _version(),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("product", sa.String(64), sa.ForeignKey("products.code"), nullable=False),
        sa.Column("bioreactor", sa.String(64), sa.ForeignKey("bioreactors.code"), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("batch_days", sa.Integer(), nullable=False),
        sa.Column("turnaround_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        _version(),
    )
    op.create_index("ix_campaigns_bioreactor", "campaigns", ["bioreactor"])
    op.create_table(
        "maintenance",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(32), sa.ForeignKey("sites.code"), nullable=False),
        sa.Column("suite", sa.String(64), sa.ForeignKey("suites.code"), nullable=True),
        sa.Column("bioreactor", sa.String(64), sa.ForeignKey("bioreactors.code"), nullable=True),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("end", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _version(),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("field", sa.String(200), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("change_set", sa.String(32), nullable=False),
    )
    op.create_index("ix_audit_log_entity_key", "audit_log", ["entity", "key"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity_key", "audit_log")
    op.drop_table("audit_log")
    op.drop_table("maintenance")
    op.drop_index("ix_campaigns_bioreactor", "campaigns")
    op.drop_table("campaigns")
    op.drop_table("products")
    op.drop_table("bioreactors")
    op.drop_table("suites")
    op.drop_table("sites")
