"""Opening a database: where it is, how SQLite is set up, and one clear sentence when it fails."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from scheduler_app.errors import StorageError
from scheduler_app.storage import Store
from scheduler_app.storage import database as database_module


def test_a_plain_path_becomes_an_sqlite_file(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "plans.db")
    try:
        assert store.url.get_backend_name() == "sqlite"
        assert store.url_for_display == str(tmp_path / "plans.db")
        assert (tmp_path / "plans.db").is_file()
    finally:
        store.close()


def test_no_target_uses_the_environment_then_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEDULER_DB", str(tmp_path / "from-env.db"))
    Store.open(None).close()
    assert (tmp_path / "from-env.db").is_file()

    monkeypatch.delenv("SCHEDULER_DB")
    data_dir = tmp_path / "user" / "data"
    monkeypatch.setattr(database_module.platformdirs, "user_data_dir", lambda name: str(data_dir))
    store = Store.open()
    store.close()
    assert Path(store.url_for_display) == data_dir / "schedule.db"
    assert (data_dir / "schedule.db").is_file()


def test_sqlite_connections_use_wal_foreign_keys_full_sync_and_a_busy_timeout(
    sqlite_url: str,
) -> None:
    store = Store.open(sqlite_url)
    try:
        with store.engine.connect() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
    finally:
        store.close()
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,
        "busy_timeout": 10_000,
    }


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO suites (code, site, name, version) VALUES ('X-S1', 'NOPE', '', 1)")
        )


def test_the_password_is_never_displayed(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    # Trust authentication ignores the password, so this opens for real.
    url = make_url(postgres_url).set(password="s3cret-pw")
    store = Store.open(url.render_as_string(hide_password=False))
    try:
        assert "s3cret-pw" not in store.url_for_display
        assert "***" in store.url_for_display
    finally:
        store.close()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("nosuchdialect://user@host/db", "no driver for 'nosuchdialect'"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "Cannot connect to the database"),
        ("postgresql+psycopg://postgres@[::1/test", "not a valid database URL"),
        ("   ", "No database given"),
    ],
)
def test_bad_targets_give_one_clear_sentence(target: str, expected: str) -> None:
    with pytest.raises(StorageError) as caught:
        Store.open(target)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not SQLite" * 100)
    with pytest.raises(StorageError, match="is not a scheduler database"):
        Store.open(junk)
    assert junk.read_bytes().startswith(b"PK\x03\x04")


def test_a_missing_folder_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="folder does not exist"):
        Store.open(tmp_path / "missing" / "x.db")
    with pytest.raises(StorageError, match="it is a folder"):
        Store.open(tmp_path)


def test_a_database_from_a_newer_version_is_refused(sqlite_url: str) -> None:
    connection = sqlite3.connect(sqlite_url)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(StorageError, match="newer version"):
        Store.open(sqlite_url)


def test_a_database_held_busy_by_another_writer_gives_a_clear_refusal(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    store = Store.open(sqlite_url)
    blocker = sqlite3.connect(sqlite_url, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with (
            pytest.raises(StorageError, match="busy with another planner's save"),
            store.transaction(user="ann", source="app", action="edit") as work,
        ):
            work.set_setting("extra_columns", None, "[]")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        store.close()


def test_a_store_closes_as_a_context_manager(sqlite_url: str) -> None:
    wal = Path(sqlite_url + "-wal")
    with Store.open(sqlite_url) as store:
        assert store.is_empty()
        assert wal.exists(), "an open SQLite store keeps its write-ahead log"
    assert not wal.exists(), "closing the last connection checkpoints and removes the log"


def test_a_plain_postgresql_url_uses_the_shipped_psycopg_driver() -> None:
    url = database_module.resolve_url("postgresql://planner:pw@127.0.0.1:5432/plans")
    assert url.drivername == "postgresql+psycopg"
    assert url.render_as_string(hide_password=False) == (
        "postgresql+psycopg://planner:pw@127.0.0.1:5432/plans"
    )
