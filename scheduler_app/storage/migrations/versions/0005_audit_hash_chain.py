"""Audit hash chain: a ``hash`` column computed once over the existing rows (in id order), the
chain head in the settings table, and on SQLite a trigger that refuses an insert reusing an
existing id (``INSERT OR REPLACE`` deletes the old row without firing the delete trigger).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduler_app.storage.audit_chain import GENESIS, HEAD_KEY, entry_hash
from scheduler_app.storage.tables import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_MESSAGE = "the audit log is append-only"

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", UTCDateTime()),
    sa.column("user", sa.String),
    sa.column("source", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("key", sa.String),
    sa.column("field", sa.String),
    sa.column("old", sa.Text),
    sa.column("new", sa.Text),
    sa.column("reason", sa.Text),
    sa.column("change_set", sa.String),
    sa.column("hash", sa.String),
)
_meta = sa.table(
    "meta",
    sa.column("key", sa.String),
    sa.column("value", sa.Text),
    sa.column("version", sa.Integer),
)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=True))
    # The rows are append-only; computing their chain once is the one update they ever get.
    if sqlite:
        op.execute("DROP TRIGGER audit_log_no_update")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    previous, last_id = GENESIS, 0
    rows = bind.execute(sa.select(_audit).order_by(_audit.c.id)).all()
    updates = []
    for row in rows:
        previous = entry_hash(previous, row._mapping)
        last_id = row.id
        updates.append({"row_id": row.id, "hash": previous})
    if updates:
        bind.execute(
            _audit.update()
            .where(_audit.c.id == sa.bindparam("row_id"))
            .values(hash=sa.bindparam("hash")),
            updates,
        )
        bind.execute(_meta.insert().values(key=HEAD_KEY, value=f"{last_id} {previous}", version=1))
    if sqlite:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_replace")
        # SQLite 3.35+ drops a column in place (a batch copy would lose the table's triggers).
        op.execute("ALTER TABLE audit_log DROP COLUMN hash")
    else:
        op.drop_column("audit_log", "hash")
    op.execute(f"DELETE FROM meta WHERE key = '{HEAD_KEY}'")
