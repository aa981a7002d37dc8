"""Indexes for reading the campaigns a window shows first: by start, and by length in days (so
the longest campaign, which says how far back to look, is one index lookup).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

from scheduler_app.storage.tables import campaign_days, campaigns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_campaigns_start", "campaigns", ["start"])
    op.create_index("ix_campaigns_days", "campaigns", [campaign_days(campaigns)])


def downgrade() -> None:
    op.drop_index("ix_campaigns_days", "campaigns")
    op.drop_index("ix_campaigns_start", "campaigns")
