"""Alembic migrations of the scheduler database, applied by ``Store.open``."""
