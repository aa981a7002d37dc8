"""Bring a database to the current schema with Alembic, copying an SQLite file aside first.

Alembic costs about 0.2 s to import, so it is imported only when the schema is behind: the head
revision is read from the migration files' ``revision``/``down_revision`` lines and the current
one from the ``alembic_version`` table with plain SQL.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError

from scheduler_app.errors import StorageError
from scheduler_app.storage import health

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """A config built in code, so no ``alembic.ini`` has to ship or be found at run time."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


_ASSIGNED = re.compile(r"^(revision|down_revision)[ \t]*=[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)


@cache
def revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it revises, read from the files' assignments (the
    same two lines Alembic reads) without importing Alembic: the two lines are found as text
    (parsing every file cost 8 ms of each start), the whole file parsed only when they are not
    one plain value each."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values = _assignments(path.read_text(encoding="utf-8"))
        revision = values.get("revision")
        if isinstance(revision, str):
            down = values.get("down_revision")
            graph[revision] = down if isinstance(down, str) else None
    return graph


def _assignments(source: str) -> dict[str, object]:
    """``revision`` and ``down_revision`` as a file assigns them at its top level."""
    values: dict[str, object] = {}
    for name, value in _ASSIGNED.findall(source):
        try:
            values[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return assignments_parsed(source)
    return values if len(values) == 2 else assignments_parsed(source)


def assignments_parsed(source: str) -> dict[str, object]:
    """The same, from the parsed file (any layout of the two assignments)."""
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(node.value)
    return values


def head_revision() -> str:
    """The one revision that no other revises."""
    graph = revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:
        raise StorageError(f"the migrations have {len(heads)} heads ({sorted(heads)}), not one")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if rows else None


def upgrade(
    engine: Engine,
    sqlite_path: Path | None,
    revision: str = "head",
    before_writing: Callable[[], None] | None = None,
) -> Path | None:
    """Migrate to ``revision``; returns the backup copy made of an SQLite file that had data at
    an older revision (None when nothing was copied). ``before_writing`` runs first when there
    is something to migrate (the integrity check a store put off)."""
    current = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    if current is not None and current not in revision_graph():
        raise StorageError(
            f"The database is at schema revision {current}, which this version of the app does "
            "not know; it was probably written by a newer version."
        )
    if before_writing is not None:
        before_writing()
    from alembic import command

    config = alembic_config()
    backup = None
    if sqlite_path is not None and current is not None:
        backup = backup_sqlite(sqlite_path, current)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except (OperationalError, OSError) as error:
        if not health.is_disk_full(error):
            raise
        where = sqlite_path or "the database server"
        raise StorageError(
            f"The disk holding {where} is full: the database could not be upgraded to this "
            "version's schema, and nothing was changed. Free some space and start again."
        ) from None
    return backup


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy of a live SQLite file (WAL included) beside it, named after the
    revision it held and when it was copied, e.g. ``schedule.db.bak-0001-20261126T140200Z``;
    the last :data:`health.KEEP_MIGRATION` such copies are kept. A full disk removes the
    partial copy and raises ``StorageError`` (nothing is migrated)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copy = health.copy_sqlite(path, path.with_name(f"{path.name}.bak-{revision}-{stamp}"))
    earlier = [p for p in path.parent.glob(f"{path.name}.bak-*") if not p.name.endswith("-journal")]
    health.prune(sorted(earlier, key=lambda p: p.stat().st_mtime), health.KEEP_MIGRATION)
    return copy
