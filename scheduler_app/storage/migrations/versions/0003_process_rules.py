"""Process rules: equipment role and what it serves, product seed/harvest days, max batches and
dated qualification, campaign purpose/needs/lag, and the changeover matrix.

Every new column has a default that keeps an existing schedule meaning what it meant: production
equipment, no seed/harvest/length constraint, Commercial campaigns needing nothing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _zero(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def upgrade() -> None:
    # Plain ADD COLUMN (constant defaults): a batch rebuild would drop tables that foreign keys
    # point at, which SQLite refuses with foreign keys on.
    op.add_column(
        "bioreactors",
        sa.Column("role", sa.String(16), nullable=False, server_default=sa.text("'Production'")),
    )
    op.add_column("bioreactors", sa.Column("serves", sa.JSON(), nullable=True))
    for name in ("seed_days", "harvest_days", "max_batches"):
        op.add_column("products", _zero(name))
    op.add_column("products", sa.Column("qualified_from", sa.JSON(), nullable=True))
    op.add_column(
        "campaigns",
        sa.Column("purpose", sa.String(16), nullable=False, server_default=sa.text("'Commercial'")),
    )
    op.add_column("campaigns", sa.Column("needs", sa.String(64), nullable=True))
    op.add_column("campaigns", _zero("lag_days"))
    op.create_table(
        "changeovers",
        sa.Column("from_product", sa.String(64), sa.ForeignKey("products.code"), primary_key=True),
        sa.Column("to_product", sa.String(64), sa.ForeignKey("products.code"), primary_key=True),
        sa.Column("days", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("changeovers")
    for table, names in (
        ("campaigns", ("lag_days", "needs", "purpose")),
        ("products", ("qualified_from", "max_batches", "harvest_days", "seed_days")),
        ("bioreactors", ("serves", "role")),
    ):
        for name in names:
            op.drop_column(table, name)
