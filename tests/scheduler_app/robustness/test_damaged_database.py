"""Issue 13.5: a damaged SQLite file is refused in one line before anything reads or writes it;
rolling backups are made daily on first open and before migrations, and old ones pruned."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.errors import StorageError
from scheduler_app.storage import Store, health


def _damage(path: Path) -> None:
    """8 KB of random bytes in the middle of the file, as the issue's test did."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    size = path.stat().st_size
    noise = random.Random(13).randbytes(8192)
    with path.open("r+b") as handle:
        handle.seek(size // 2 - 4096)
        handle.write(noise)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    except sqlite3.DatabaseError:
        pass
    finally:
        connection.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command", [["check"], ["export", "{tmp}/out.xlsx"], ["import", "{tmp}/in.xlsx"]]
)
def test_a_damaged_file_is_refused_and_left_alone(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(["export", str(tmp_path / "in.xlsx"), "--db", str(demo_db)]) == 0
    _damage(demo_db)
    before = _digest(demo_db)
    capsys.readouterr()

    code = main([part.format(tmp=tmp_path) for part in command] + ["--db", str(demo_db)])

    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"The database file {demo_db} is damaged" in err
    assert "nothing was written to it" in err and "docs/administration.md" in err
    assert "demo.db.daily-" in err  # the backup made on the first open names itself
    assert _digest(demo_db) == before
    assert not (tmp_path / "out.xlsx").exists()


def test_the_daily_backup_is_a_readable_copy_made_once_a_day(demo_db: Path) -> None:
    for old in demo_db.parent.glob("demo.db.daily-*.bak"):
        old.unlink()
    Store.open(demo_db).close()
    Store.open(demo_db).close()
    (copy,) = demo_db.parent.glob("demo.db.daily-*.bak")
    assert copy.name == f"demo.db.daily-{datetime.now(UTC):%Y%m%d}.bak"
    with Store.open(copy) as store:
        assert len(store.load().campaigns) > 100


def test_daily_backups_are_pruned_to_the_last_few(tmp_path: Path) -> None:
    path = tmp_path / "plan.db"
    Store.open(path).close()
    first = datetime(2027, 1, 1, tzinfo=UTC)
    for day in range(12):
        assert health.daily_backup(path, first + timedelta(days=day)) is not None
    kept = sorted(p.name for p in tmp_path.glob("plan.db.daily-*.bak"))
    assert len(kept) == health.KEEP_DAILY
    assert kept[-1] == "plan.db.daily-20270112.bak"


def test_a_backup_that_fails_leaves_no_partial_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.db"
    Store.open(path).close()
    copy = tmp_path / "plan.db.bak-0001-x"

    class FullDisk:
        def __init__(self, real: sqlite3.Connection) -> None:
            self.real = real

        def backup(self, target: sqlite3.Connection) -> None:
            target.execute("CREATE TABLE half(x)")
            copy.with_name(copy.name + "-journal").write_bytes(b"partial")
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            self.real.close()

    real_connect = sqlite3.connect

    def connect(target: object, *args: object, **kwargs: object) -> object:
        connection = real_connect(target, *args, **kwargs)  # type: ignore[arg-type]
        return FullDisk(connection) if Path(str(target)) == path else connection

    monkeypatch.setattr(health.sqlite3, "connect", connect)
    with pytest.raises(StorageError, match="is full: the backup copy could not be made"):
        health.copy_sqlite(path, copy)
    assert not copy.exists() and not copy.with_name(copy.name + "-journal").exists()
