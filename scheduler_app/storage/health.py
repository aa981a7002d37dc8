"""An SQLite file's health: checked before use, copied aside once a day, old copies pruned.

A damaged file (``PRAGMA quick_check`` fails) is refused with one sentence naming the newest
backup, so nothing is written into it and the planner knows what to restore
(docs/administration.md). Backups sit beside the database: ``schedule.db.daily-YYYYMMDD.bak``
(one per day on first open, the last :data:`KEEP_DAILY` kept) and ``schedule.db.bak-REV-STAMP``
(before each migration, the last :data:`KEEP_MIGRATION` kept).

The desktop app puts the check and the daily copy off until its window has painted
(:class:`PutOff`, ``Store.open(check_later=True)``): the file is only read meanwhile, and the
store runs them before its first write at the latest, so a damaged file is still refused before
anything is written to it.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from scheduler_app.errors import StorageError

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_MIGRATION = 3
_DISK_FULL = ("disk is full", "database or disk is full", "no space left")


def is_disk_full(error: BaseException) -> bool:
    """True for SQLite's and the OS's ways of saying the disk is full (ENOSPC)."""
    if isinstance(error, OSError) and error.errno == 28:
        return True
    text = str(error).lower()
    return any(words in text for words in _DISK_FULL)


def backups_of(path: Path) -> list[Path]:
    """Every backup of ``path`` (daily and before-migration), newest first."""
    found = [*path.parent.glob(f"{path.name}.daily-*.bak"), *path.parent.glob(f"{path.name}.bak-*")]
    found = [p for p in found if not p.name.endswith(("-journal", "-wal", "-shm"))]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class _Early(threading.Thread):
    def __init__(self, path: Path) -> None:
        super().__init__(name="integrity check", daemon=True)
        self.path = path
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            _check_now(self.path)
        except BaseException as failure:  # handed to whoever asks for the answer
            self.failure = failure


_early: dict[Path, _Early] = {}


def check_sqlite_soon(path: Path) -> None:
    """Start :func:`check_sqlite` of ``path`` in a thread: SQLite checks without holding the
    GIL, so the check overlaps the imports that come before the file is opened (a tenth of a
    second at 100,000 campaigns). The next ``check_sqlite(path)`` takes its answer."""
    if path not in _early:
        early = _Early(path)
        _early[path] = early
        early.start()


def check_sqlite(path: Path) -> None:
    """Raise ``StorageError`` if the file at ``path`` is damaged; nothing is written to it."""
    early = _early.pop(path, None)
    if early is None:
        _check_now(path)
        return
    early.join()
    if early.failure is not None:
        raise early.failure


def _check_now(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        connection = sqlite3.connect(path, timeout=10)
    except sqlite3.Error:
        return  # cannot open at all: the engine reports why, in its own words
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        text = str(error)
        if "malformed" not in text and "corrupt" not in text:
            if is_disk_full(error) or _nearly_full(path):
                raise StorageError(full_disk_message(path)) from None
            return  # not a database at all, locked, …: Store.open says so in its own words
        rows = [(text,)]
    finally:
        connection.close()
    if rows == [("ok",)]:
        return
    raise StorageError(damaged_message(path, str(rows[0][0]) if rows else "unknown"))


def in_wal_mode(path: Path) -> bool:
    """True when the file's header says WAL (bytes 18 and 19 are 2): opening it through the
    engine, which asks for WAL, then writes nothing to it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2 and header[19] == 2


class PutOff:
    """The integrity check and the daily backup of ``path``, put off from opening until
    :meth:`run` (which the store calls before any write). The check is repeated until it passes;
    the backup follows the first check that passes, so a damaged file is never copied aside as
    the newest backup."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self) -> None:
        """Raise ``StorageError`` naming the damage (as at opening), else make the day's copy."""
        check_sqlite(self.path)
        daily_backup(self.path)


def _nearly_full(path: Path) -> bool:
    """SQLite reports a full disk while opening a WAL file as a plain "disk I/O error"."""
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def full_disk_message(path: Path) -> str:
    return (
        f"The disk holding {path} is full: the database could not be opened, and nothing was "
        "changed. Free some space and try again."
    )


def damaged_message(path: Path, detail: str) -> str:
    newest = next(iter(backups_of(path)), None)
    restore = (
        f"restore the newest backup, {newest.name} (see docs/administration.md)"
        if newest is not None
        else "restore it from your backups (see docs/administration.md)"
    )
    first = detail.strip().splitlines()[0] if detail.strip() else "unknown"
    return (
        f"The database file {path} is damaged (SQLite integrity check: {first}); it was not "
        f"used and nothing was written to it: {restore}."
    )


def copy_sqlite(path: Path, copy: Path) -> Path:
    """A consistent copy of a live SQLite file (WAL included) through SQLite's backup API. On
    any failure (a full disk) the partial copy and its journal are removed and the error is
    raised as ``StorageError``."""
    try:
        source = sqlite3.connect(path)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except (sqlite3.Error, OSError) as error:
        for leftover in (copy, copy.with_name(copy.name + "-journal")):
            leftover.unlink(missing_ok=True)
        if is_disk_full(error):
            raise StorageError(
                f"The disk holding {path} is full: the backup copy could not be made, so "
                "nothing was changed. Free some space and try again."
            ) from None
        raise StorageError(f"Cannot back up {path}: {error}.") from None
    return copy


def daily_backup(path: Path, now: datetime | None = None) -> Path | None:
    """Copy ``path`` aside the first time it is opened on a (UTC) day, keeping the last
    :data:`KEEP_DAILY` daily copies. A backup that cannot be made (read-only folder, full disk)
    is logged, never a reason to refuse the planner's work."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    day = (now or datetime.now(UTC)).strftime("%Y%m%d")
    copy = path.with_name(f"{path.name}.daily-{day}.bak")
    if copy.exists():
        return None
    try:
        copy_sqlite(path, copy)
    except StorageError as error:
        log.warning("No daily backup of %s: %s", path, error)
        return None
    prune(sorted(path.parent.glob(f"{path.name}.daily-*.bak")), KEEP_DAILY)
    return copy


def prune(copies: list[Path], keep: int) -> None:
    """Delete all but the last ``keep`` of ``copies`` (sorted oldest first)."""
    for old in copies[: max(len(copies) - keep, 0)]:
        try:
            old.unlink()
        except OSError as error:
            log.warning("Cannot remove the old backup %s: %s", old, error)
