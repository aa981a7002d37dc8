"""CLI fixtures: no test touches the real user data directory or a ``SCHEDULER_DB`` of the
machine; the demo database is built once and copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import platformdirs
import pytest

from scheduler_app.cli.main import main


@pytest.fixture(autouse=True)
def user_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The user data directory (where the default database lives), empty and private."""
    monkeypatch.delenv("SCHEDULER_DB", raising=False)
    folder = tmp_path / "user-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    # XDG_DATA_HOME reaches child processes; the patch covers platforms that ignore it.
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app="", *_, **__: str(folder / app))
    return folder


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    assert main(["demo", "--db", str(path)]) == 0
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A database filled with the demo schedule (through ``main.py demo``), private to the test."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target
