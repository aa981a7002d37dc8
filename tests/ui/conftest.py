"""Fixtures for the main-window tests: a fresh SQLite database per test copied from a template,
a window on it with settings in a temporary INI file and dialogs recorded instead of shown."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.helpers import planning_schedule

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns whenever a shown top-level window gets size constraints (a
    main window with docks always does); that is the test platform talking, not the app."""
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session", autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Any window a test opens without naming a settings file writes to a temporary one, never
    to the planner's own QSettings."""
    path = tmp_path_factory.mktemp("settings") / "default.ini"
    saved = os.environ.get("SCHEDULER_SETTINGS")
    os.environ["SCHEDULER_SETTINGS"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("SCHEDULER_SETTINGS", None)
    else:
        os.environ["SCHEDULER_SETTINGS"] = saved


@pytest.fixture(scope="session")
def plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    path = tmp_path_factory.mktemp("template") / "plan.sqlite"
    store = Store.open(str(path))
    try:
        service = ScheduleService(store)
        service.apply_schedule(planning_schedule(), action="demo", description="Test schedule")
    finally:
        store.close()
    return path


@pytest.fixture
def plan_db(plan_template: Path, tmp_path: Path) -> Path:
    """A private copy of the template database."""
    path = tmp_path / "plan.sqlite"
    shutil.copyfile(plan_template, path)
    return path


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def open_window(qtbot, settings_path: Path):  # type: ignore[no-untyped-def]
    """A factory: ``open_window(db_path)`` → a shown MainWindow on its own store and service.
    Stores are closed at teardown."""
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store
    from ui.main_window import MainWindow
    from ui.notify import RecordingNotifier
    from ui.settings import AppSettings

    stores = []

    def make(db_path: Path, show: bool = True, live: bool = False) -> MainWindow:
        """``live``: keep the window's live-update timer running (other tests decide when the
        window learns of another planner's change, e.g. a stale edit, so it is stopped)."""
        store = Store.open(str(db_path))
        stores.append(store)
        service = ScheduleService(store)
        window = MainWindow(service, AppSettings(settings_path), RecordingNotifier())
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        if not live:
            window.live.stop()
        return window

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def window(open_window, plan_db: Path):  # type: ignore[no-untyped-def]
    return open_window(plan_db)
