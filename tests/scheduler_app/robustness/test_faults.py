"""Issue 13.8: faults say what happened. A full disk during an export or a migration, the mode of
exported files, temporary files left by a killed export."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.errors import StorageError
from scheduler_app.excel import ExcelError, write_workbook
from scheduler_app.excel.file_output import STALE_TEMP_S, current_umask
from scheduler_app.storage import Store, migrate
from tests.factories import small_schedule
from tests.scheduler_app.robustness.small_disk import fill, small_disk
from tests.scheduler_app.storage.test_migrations import make_database_at_first_revision

ROOT = Path(__file__).resolve().parents[3]


def test_export_onto_a_full_disk_says_so_and_keeps_the_old_file(
    demo_db: Path, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", 256) as disk:
        plan = disk / "plan.xlsx"
        plan.write_bytes(b"the previous workbook")
        fill(disk, 8 * 1024)
        done = subprocess.run(
            [sys.executable, "main.py", "export", str(plan), "--db", str(demo_db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        leftovers = sorted(p.name for p in disk.iterdir())
        previous = plan.read_bytes()
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Cannot write plan.xlsx: the disk is full" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert leftovers == ["filler", "plan.xlsx"]
    assert previous == b"the previous workbook"


def test_exported_files_keep_the_targets_mode_or_follow_the_umask(tmp_path: Path) -> None:
    schedule = small_schedule()
    fresh = tmp_path / "fresh.xlsx"
    write_workbook(schedule, fresh, conflicts=[])
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    shared = tmp_path / "shared.xlsx"
    shared.write_bytes(b"old")
    shared.chmod(0o664)
    write_workbook(schedule, shared, conflicts=[])
    assert shared.stat().st_mode & 0o777 == 0o664


def test_temporary_files_of_a_killed_export_are_cleaned_up(tmp_path: Path) -> None:
    stale = tmp_path / ".plan.k1ll3d.xlsx.tmp"
    stale.write_bytes(b"half a workbook")
    old = time.time() - STALE_TEMP_S - 60
    os.utime(stale, (old, old))
    running = tmp_path / ".plan.busy.xlsx.tmp"  # another export writing right now
    running.write_bytes(b"in progress")
    write_workbook(small_schedule(), tmp_path / "plan.xlsx", conflicts=[])
    assert not stale.exists() and running.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.busy.xlsx.tmp", "plan.xlsx"]


def test_export_into_a_read_only_folder_still_says_read_only(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    with pytest.raises(ExcelError, match="read-only"):
        write_workbook(small_schedule(), folder / "plan.xlsx", conflicts=[])


def test_a_migration_on_a_full_disk_says_so_and_leaves_no_partial_backup(
    tmp_path: Path,
) -> None:
    source = tmp_path / "old.db"
    make_database_at_first_revision(str(source))
    connection = sqlite3.connect(source)  # a file bigger than the room left on the disk
    with connection:
        connection.execute("CREATE TABLE padding (x BLOB)")
        connection.execute("INSERT INTO padding VALUES (?)", (os.urandom(400_000),))
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    with small_disk(tmp_path / "disk", 2048) as disk:
        path = disk / "schedule.db"
        shutil.copyfile(source, path)
        # Room to open the file (SQLite's 32 KB -shm and a little -wal) but not to copy it.
        filler = fill(disk, 96 * 1024)
        assert path.stat().st_size > 128 * 1024
        with pytest.raises(StorageError) as refused:
            Store.open(path)
        leftovers = sorted(p.name for p in disk.iterdir())
        filler.unlink()
        with Store.open(path) as store:  # with space freed, the same file migrates
            assert migrate.current_revision(store.engine) == migrate.head_revision()
            assert store.load().campaigns["CMP-0042"].notes == "kept"
    message = str(refused.value)
    assert "is full" in message and "nothing was changed" in message
    assert "OperationalError" not in message
    assert "could not be upgraded" in message or "backup copy could not be made" in message
    assert [name for name in leftovers if "bak" in name or name.endswith("-journal")] == []


def test_a_full_disk_inside_the_migration_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "schedule.db"
    make_database_at_first_revision(str(path))
    from alembic import command

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(command, "upgrade", full)
    assert main(["check", "--db", str(path)]) == 2
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0001",)
        ]
