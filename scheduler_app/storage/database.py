"""Where the database is and how to connect to it: URL resolution and SQLite connection settings."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from scheduler_app.errors import StorageError

APP_NAME = "campaign-scheduler"
DEFAULT_FILE = "schedule.db"
ENV_VAR = "SCHEDULER_DB"
BUSY_TIMEOUT_MS = 10_000


def default_database_path() -> Path:
    """The SQLite file in the user's data directory (the folder is created if missing)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DEFAULT_FILE


def resolve_url(target: str | os.PathLike[str] | URL | None) -> URL:
    """None → ``$SCHEDULER_DB`` or the default file; a path → an SQLite URL; a URL as it is."""
    if target is None:
        target = os.environ.get(ENV_VAR) or default_database_path()
    if isinstance(target, URL):
        return target
    text = os.fspath(target)
    if not text.strip():
        raise StorageError("No database given: pass a file path or an SQLAlchemy URL.")
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        if not path.parent.is_dir():
            raise StorageError(f"Cannot create the database {path}: the folder does not exist.")
        if path.is_dir():
            raise StorageError(f"Cannot use {path} as the database: it is a folder.")
        return URL.create("sqlite+pysqlite", database=str(path))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise StorageError(f"{text!r} is not a valid database URL or file path.") from None
    if url.drivername in ("postgresql", "postgres"):
        # The app ships psycopg 3; plain postgresql:// would ask SQLAlchemy for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "postgresql" and not url.database:
        # Without a name the server picks a default database, and the schema would be made there.
        raise StorageError(
            f"The database URL {url.render_as_string(hide_password=True)} names no database; "
            "add its name at the end, e.g. postgresql+psycopg://user@host/schedule."
        )
    return url


def require_existing(target: str | os.PathLike[str] | URL | None) -> None:
    """Refuse an SQLite file that does not exist yet: a mistyped ``--db`` must not silently make
    a new, empty plan. Only ``demo``, the app's first start and ``--create`` may create one."""
    url = resolve_url(target)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise StorageError(
            f"There is no database at {path}; check the path (a new database is made only by "
            "'demo' or with --create)."
        )


def sqlite_file(url: URL) -> Path | None:
    """The file behind an SQLite URL; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def build_engine(url: URL) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys, synchronous FULL and a busy timeout,
    and takes its write lock at the start of a transaction (``BEGIN IMMEDIATE``) so two planners
    saving at once queue instead of failing half-way."""
    try:
        if url.get_backend_name() == "sqlite":
            if sqlite_file(url) is None:
                # One in-memory database shared by every use of the engine, not one per connection.
                engine = create_engine(
                    url, poolclass=StaticPool, connect_args={"check_same_thread": False}
                )
            else:
                engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _configure_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ArgumentError, ImportError) as error:
        backend = url.get_backend_name()
        raise StorageError(
            f"Cannot use the database {url.render_as_string(hide_password=True)}: "
            f"no driver for {backend!r} is installed ({error})."
        ) from None


def _configure_sqlite(dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
    # Take over transaction control from the sqlite3 module; _begin_sqlite emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    mode: Any = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
