"""First start: only the default database, and only when empty, is filled with the demo."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from scheduler_app.bootstrap import is_default_target, open_store


@pytest.fixture(autouse=True)
def user_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("SCHEDULER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    # XDG_DATA_HOME reaches child processes; the patch covers platforms that ignore it.
    monkeypatch.setattr(
        platformdirs, "user_data_dir", lambda app="", *_, **__: str(tmp_path / "user-data" / app)
    )
    return tmp_path / "user-data"


def campaigns_in(target: str | None) -> int:
    from scheduler_app.storage import Store

    store = Store.open(target)
    try:
        return len(store.load().campaigns)
    finally:
        store.close()


def test_the_default_database_is_created_and_filled_on_first_start(user_data: Path) -> None:
    store = open_store(None)
    where = store.url_for_display
    entries = store.audit_entries(limit=None)
    store.close()

    assert Path(where).is_relative_to(user_data)
    assert campaigns_in(None) == 163
    assert {entry.source for entry in entries} == {"demo"}


def test_the_default_database_is_filled_only_once() -> None:
    open_store(None).close()
    store = open_store(None)
    audit = len(store.audit_entries(limit=None))
    store.close()
    open_store(None).close()

    store = open_store(None)
    assert len(store.audit_entries(limit=None)) == audit
    store.close()


def test_a_database_named_with_db_is_never_filled(tmp_path: Path) -> None:
    target = str(tmp_path / "mine.db")
    open_store(target, create=True).close()
    assert campaigns_in(target) == 0


def test_a_database_named_by_scheduler_db_is_never_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEDULER_DB", str(tmp_path / "env.db"))
    assert not is_default_target(None)
    open_store(None, create=True).close()
    assert campaigns_in(str(tmp_path / "env.db")) == 0
