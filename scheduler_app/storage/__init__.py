"""Persistence: SQLAlchemy tables, Alembic migrations and the ``Store`` that reads and writes.

``Store`` and ``AuditEntry`` are imported when first asked for, so that a module that needs only
:mod:`scheduler_app.storage.health` (the command line's early integrity check) does not import
SQLAlchemy with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler_app.storage.audit import AuditEntry
    from scheduler_app.storage.store import Store

__all__ = ["AuditEntry", "Store"]


def __getattr__(name: str) -> object:
    if name == "Store":
        from scheduler_app.storage.store import Store

        return Store
    if name == "AuditEntry":
        from scheduler_app.storage.audit import AuditEntry

        return AuditEntry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
