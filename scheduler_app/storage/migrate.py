"""Bring a database to the current schema with Alembic, copying an SQLite file aside first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from scheduler_app.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """A config built in code, so no ``alembic.ini`` has to ship or be found at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, sqlite_path: Path | None, revision: str = "head") -> Path | None:
    """Migrate to ``revision``; returns the backup copy made of an SQLite file that had data at
    an older revision (None when nothing was copied)."""
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    target = script.get_current_head() if revision == "head" else revision
    if current == target:
        return None
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise StorageError(
            f"The database is at schema revision {current}, which this version of the app does "
            "not know; it was probably written by a newer version."
        )
    backup = None
    if sqlite_path is not None and current is not None:
        backup = backup_sqlite(sqlite_path, current)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return backup


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy of a live SQLite file (WAL included) beside it, named after the
    revision it held and when it was copied, e.g. ``schedule.db.bak-0001-20261126T140200Z``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copy = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    source = sqlite3.connect(path)
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return copy
