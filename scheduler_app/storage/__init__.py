"""Persistence: SQLAlchemy tables, Alembic migrations and the ``Store`` that reads and writes."""

from __future__ import annotations

from scheduler_app.storage.audit import AuditEntry
from scheduler_app.storage.store import Store

__all__ = ["AuditEntry", "Store"]
