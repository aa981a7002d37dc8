"""A large plan opens in two steps: the window paints what its view shows, holds the planner's
input back, then loads and checks the rest after that first paint and every view follows; a
failed second step is told and leaves the window read-only."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

from scheduler_app import held_schedule
from scheduler_app.errors import SchedulerError, StorageError
from scheduler_app.held_schedule import HeldSchedule
from scheduler_app.storage import Store
from tests.factories import local
from ui import app as app_module
from ui import two_step_load
from ui.main_window import MainWindow
from ui.settings import AppSettings


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(held_schedule, "LOAD_IN_TWO_FROM", 1)


@pytest.fixture
def opened(qtbot, plan_db: Path, tmp_path: Path, in_two: None) -> Iterator[MainWindow]:
    """The app started on ``plan_db`` as a large plan: its window, the second step not run yet."""
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    try:
        assert application.open(str(plan_db))
        window = application.window
        assert window is not None
        qtbot.addWidget(window)
        yield window
    finally:
        application.close()


def test_the_window_shows_its_view_first_then_the_whole_checked_plan(
    qtbot, plan_db: Path, opened: MainWindow
) -> None:
    whole = Store.open(plan_db)
    stored = whole.load()
    whole.close()
    window = opened
    service = window.service
    assert service.loading
    assert set(service.schedule.campaigns) <= set(stored.campaigns)
    assert window.count_label.text() == "Loading the schedule…"
    assert window.error_label.text() == "" and window.conflicts_model.rowCount() == 0
    assert window.conflicts_panel.count_label.text() == "Checking…"
    assert window.conflicts_dock.isVisible()  # not hidden for want of conflicts meanwhile
    assert len(window.findChildren(two_step_load._HoldInput)) == 1

    qtbot.waitUntil(lambda: not service.loading, timeout=5000)
    # The whole plan is frozen out of the collector's way: in no generation it walks.
    walked = {id(tracked) for tracked in gc.get_objects()}
    assert id(service.schedule.campaigns) not in walked
    assert service.schedule == stored
    assert len(window.timeline.arrays) == len(stored.campaigns)
    assert window.count_label.text() == f"{len(stored.campaigns)} campaigns"
    assert window.conflicts_model.rowCount() == len(service.engine.conflicts) > 0
    count = len(service.engine.conflicts)
    assert window.conflicts_panel.count_label.text() == f"{count} conflicts"
    assert window.conflicts_dock.isVisible()
    assert window.error_label.text().endswith(("error", "errors"))
    qtbot.waitUntil(lambda: not window.findChildren(two_step_load._HoldInput), timeout=2000)


def test_input_is_held_back_but_painting_is_not() -> None:
    hold = two_step_load._HoldInput()
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
    assert hold.eventFilter(hold, key) is True
    assert hold.eventFilter(hold, QEvent(QEvent.Type.Paint)) is False


def test_a_failed_second_step_is_told_and_nothing_can_be_changed(
    qtbot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        two_step_load, "message_box", lambda parent, icon, title, text: told.append((title, text))
    )
    service = opened.service

    def refuse(scenario: str | None = None, running: object = None) -> None:
        raise StorageError("the database went away")

    monkeypatch.setattr(service.store, "load", refuse)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    [(title, text)] = told
    assert title == "Cannot load the schedule" and "the database went away" in text
    assert service.loading
    audit = len(service.store.audit_entries(limit=None))
    with pytest.raises(SchedulerError, match="still loading"):
        service.create_campaign(
            product="ABX-201", bioreactor="SYR-BR501", start=local("2028-01-03"), batches=1
        )
    assert len(service.store.audit_entries(limit=None)) == audit


def test_the_put_off_integrity_check_runs_once_the_whole_plan_is_painted(
    qtbot, plan_db: Path, tmp_path: Path, in_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start opens with ``check_later``; on a plan opened in two steps the check waits for the
    whole plan (the planner waits for the plan, not for the check), then runs as ever."""
    from scheduler_app.storage import health

    order: list[str] = []
    checked = health.check_sqlite
    finishing = HeldSchedule.finish_loading

    def check(path: Path) -> None:
        order.append("integrity check")
        checked(path)

    def finish(service: HeldSchedule) -> object:
        order.append("whole plan")
        return finishing(service)

    monkeypatch.setattr(health, "check_sqlite", check)
    monkeypatch.setattr(HeldSchedule, "finish_loading", finish)
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    try:
        assert application.open(str(plan_db), check_later=True)
        qtbot.addWidget(application.window)
        store = application.store
        assert store is not None and not store.health_checked
        qtbot.waitUntil(lambda: store.health_checked, timeout=5000)
        assert order == ["whole plan", "integrity check"]
        assert application.settings.recent_databases == [str(plan_db)]
    finally:
        application.close()


def test_the_first_step_holds_every_campaign_the_opened_view_shows(
    qtbot, tmp_path: Path, in_two: None
) -> None:
    """The range the service is given (``opening_range`` of the saved zoom) is the range the
    window then shows: every campaign running in the visible range is held from the first paint,
    whichever preset was saved."""
    from datetime import UTC, datetime, timedelta

    from scheduler_app.service import ScheduleService
    from tests.factories import campaign, small_schedule

    today = datetime.now(UTC).date()
    schedule = small_schedule()
    for number, days in enumerate((-400, -120, -45, -10, 0, 20, 80, 160, 300, 700, 1200)):
        day = (today + timedelta(days=days)).isoformat()
        campaign(schedule, f"CMP-{number + 1:04d}", start=day, batches=1 + number % 4)
        campaign(schedule, f"CMP-{number + 101:04d}", bioreactor="SDO-BR1501", start=day)
    path = tmp_path / "around-today.sqlite"
    with Store.open(path) as store:
        ScheduleService(store, user="ann").apply_schedule(schedule, description="Base")
    for preset in ("2w", "quarter", "year", "3y"):
        settings = AppSettings(tmp_path / f"{preset}.ini")
        settings.zoom = preset
        application = app_module.Application(settings)
        try:
            assert application.open(str(path))
            window = application.window
            assert window is not None
            qtbot.addWidget(window)
            service = window.service
            assert service.loading, preset
            left, right = window.timeline.visible_range()
            held = service.schedule
            shown = {
                c.id
                for c in schedule.campaigns.values()
                if c.start < right and schedule.campaign_end(c) > left
            }
            assert shown, preset
            assert shown <= set(held.campaigns), preset
            assert len(held.campaigns) < len(schedule.campaigns), preset
            qtbot.waitUntil(lambda held_by=service: not held_by.loading, timeout=5000)
        finally:
            application.close()
