"""Issue 13.5: a damaged SQLite file is refused in one line before anything reads or writes it;
rolling backups are made daily on first open and before migrations, and old ones pruned."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
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


def _daily_backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.daily-*.bak"))


def test_a_check_put_off_still_refuses_a_damaged_file_before_anything_is_written(
    demo_db: Path,
) -> None:
    """The desktop app's start (``check_later``): opening and reading may go ahead, but the
    damage is told in the same words, at the latest when the first change would be written, and
    nothing is written to the file nor copied aside as a backup."""
    from scheduler_app.service import ScheduleService

    for old in _daily_backups(demo_db):
        old.unlink()
    _damage(demo_db)
    before = _digest(demo_db)
    refusals: list[str] = []

    def attempt(step: Callable[[], object]) -> bool:
        try:
            step()
        except StorageError as error:
            refusals.append(str(error))
            return False
        return True

    store: Store | None = None

    def open_it() -> None:
        nonlocal store
        store = Store.open(demo_db, check_later=True)

    if attempt(open_it):
        assert store is not None
        try:
            service: ScheduleService | None = None

            def load() -> None:
                nonlocal service
                service = ScheduleService(store)

            if attempt(load):
                assert service is not None
                campaign = next(iter(service.schedule.campaigns.values()))
                attempt(lambda: service.edit_campaign(campaign.id, notes="late"))
            assert not store.health_checked
            attempt(store.check_health)
        finally:
            store.close()
    assert refusals, "the damage was never told"
    for refusal in refusals:
        assert f"The database file {demo_db} is damaged" in refusal
        assert "nothing was written to it" in refusal
    assert _digest(demo_db) == before
    assert _daily_backups(demo_db) == []


def test_a_put_off_check_runs_before_the_first_write_and_then_makes_the_daily_backup(
    demo_db: Path,
) -> None:
    from scheduler_app.service import ScheduleService

    for old in _daily_backups(demo_db):
        old.unlink()
    with Store.open(demo_db, check_later=True) as store:
        assert not store.health_checked and _daily_backups(demo_db) == []
        service = ScheduleService(store)
        assert not store.health_checked  # reading waits for nothing
        campaign = next(iter(service.schedule.campaigns.values()))
        service.edit_campaign(campaign.id, notes="checked first")
        assert store.health_checked
        assert len(_daily_backups(demo_db)) == 1
        store.check_health()  # once passed, a no-op
    with Store.open(demo_db) as store:
        assert store.health_checked


def test_a_file_not_in_wal_mode_is_checked_when_opened_even_if_asked_later(tmp_path: Path) -> None:
    """Opening through the engine switches a file to WAL, a write: the check comes first."""
    path = tmp_path / "plain.db"
    Store.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    assert not health.in_wal_mode(path)
    with Store.open(path, check_later=True) as store:
        assert store.health_checked
    assert health.in_wal_mode(path)


def test_damage_only_the_check_finds_refuses_the_first_write(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage that reading does not trip over (a page the load never reads): the put-off check
    still comes before the first write, which is refused in the check's words."""
    from scheduler_app.service import ScheduleService

    def damaged(path: Path) -> None:
        raise StorageError(health.damaged_message(path, "Page 7: btreeInitPage() error 11"))

    monkeypatch.setattr(health, "check_sqlite", damaged)
    before = _digest(demo_db)
    with Store.open(demo_db, check_later=True) as store:
        service = ScheduleService(store)
        campaign = next(iter(service.schedule.campaigns.values()))
        with pytest.raises(StorageError, match="is damaged .*Page 7.*nothing was written"):
            service.edit_campaign(campaign.id, notes="never written")
        assert not store.health_checked
    assert _digest(demo_db) == before
    with pytest.raises(StorageError, match="is damaged"):
        Store.open(demo_db)  # and opened without putting it off, refused at once


def test_the_command_lines_early_check_is_the_one_the_store_uses(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``check --db FILE`` starts the integrity check in a thread before importing the storage
    layer; opening the store waits for that answer instead of checking a second time."""
    import threading

    checked: list[str] = []
    real = health._check_now

    def counted(path: Path) -> None:
        checked.append(threading.current_thread().name)
        real(path)

    monkeypatch.setattr(health, "_check_now", counted)
    assert main(["check", "--db", str(demo_db)]) in (0, 1)
    assert checked == ["integrity check"]
    _damage(demo_db)
    health.check_sqlite_soon(demo_db.resolve())
    with pytest.raises(StorageError, match="is damaged"):
        Store.open(demo_db)
    assert checked == ["integrity check"] * 2
