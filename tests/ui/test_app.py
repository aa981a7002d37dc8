"""Starting the application: a database that cannot be opened is explained, not a traceback;
an unexpected exception becomes a short dialog and a log entry."""

from __future__ import annotations

import gc
import logging
import sys

import pytest

from scheduler_app.errors import ValidationError
from ui import app as app_module
from ui.notify import RecordingNotifier
from ui.settings import AppSettings
from ui.stale_edit import install_excepthook


def test_unopenable_database_shows_a_message_and_keeps_running(
    qtbot, tmp_path, monkeypatch
) -> None:
    shown = []
    monkeypatch.setattr(
        app_module,
        "message_box",
        lambda parent, icon, title, text: shown.append((title, text)),
    )
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    target = str(tmp_path / "no-such-dir" / "deeper" / "plan.sqlite")
    (tmp_path / "no-such-dir").write_text("a file where a directory should be")
    assert application.open(target) is False
    assert application.window is None
    [(title, text)] = shown
    assert title == "Cannot open the database" and target in text


def test_open_switches_database_and_remembers_it(qtbot, plan_db, tmp_path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    application = app_module.Application(settings)
    try:
        assert application.open(str(plan_db))
        first = application.window
        qtbot.addWidget(first)
        assert first.count_label.text() == "4 campaigns"
        assert settings.recent_databases == [str(plan_db)]
        assert application.open(str(plan_db))
        qtbot.addWidget(application.window)
        assert application.window is not first and not first.isVisible()
        assert gc.get_freeze_count() > 0  # the loaded schedule is out of the collector's way
    finally:
        application.close()
    assert gc.get_freeze_count() == 0


def test_excepthook_logs_and_shows_a_short_dialog(caplog, monkeypatch) -> None:
    notifier = RecordingNotifier()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(notifier)
    with caplog.at_level(logging.ERROR):
        try:
            raise KeyError("bioreactor")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    kind, title, text = notifier.messages[-1]
    assert (kind, title) == ("error", "Unexpected error")
    assert "KeyError" in text and "Traceback" not in text
    assert "Unexpected error" in caplog.text

    try:
        raise ValidationError("Unknown bioreactor 'X'.")
    except ValidationError:
        sys.excepthook(*sys.exc_info())
    assert notifier.messages[-1] == ("error", "Change refused", "Unknown bioreactor 'X'.")


@pytest.mark.parametrize("preset", ["2w", "3y"])
def test_settings_round_trip_values(tmp_path, preset) -> None:
    settings = AppSettings(tmp_path / "s.ini")
    settings.zoom = preset
    settings.display_zone = None
    for target in ["a.sqlite", "b.sqlite", "a.sqlite"]:
        settings.add_recent_database(target)
    settings.sync()
    again = AppSettings(tmp_path / "s.ini")
    assert again.zoom == preset and again.display_zone is None
    assert again.recent_databases == ["a.sqlite", "b.sqlite"]


def test_the_window_opens_without_the_excel_and_render_stacks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """They cost ~80 ms of start-up; File → Import/Export/Export chart import them when used."""
    import os
    import subprocess
    import sys

    code = f"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from scheduler_app.demo import demo_schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from ui.main_window import MainWindow
from ui.notify import RecordingNotifier
from ui.settings import AppSettings

app = QApplication([])
store = Store.open({str(tmp_path / "s.db")!r})
service = ScheduleService(store, user="t")
service.apply_schedule(demo_schedule(), action="demo", description="demo")
window = MainWindow(service, AppSettings(Path({str(tmp_path / "s.ini")!r})), RecordingNotifier())
window.show()
app.processEvents()
heavy = ("openpyxl", "xlsxwriter", "scheduler_app.excel.reader", "scheduler_app.excel.writer",
         "ui.render", "ui.import_dialog")
print(sorted(m for m in heavy if m in sys.modules))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_at_start_the_file_is_checked_once_the_window_has_painted(qtbot, plan_db, tmp_path) -> None:
    """The start opens with ``check_later``: the integrity check and the day's backup copy wait
    for the window's first paint instead of delaying it."""
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    try:
        assert application.open(str(plan_db), check_later=True)
        qtbot.addWidget(application.window)
        store = application.store
        assert store is not None and not store.health_checked
        assert not list(tmp_path.glob("plan.sqlite.daily-*.bak"))
        assert application.settings.recent_databases == []
        qtbot.waitUntil(lambda: store.health_checked)
        assert len(list(tmp_path.glob("plan.sqlite.daily-*.bak"))) == 1
        assert application.settings.recent_databases == [str(plan_db)]
    finally:
        application.close()


def test_damage_found_after_the_first_paint_is_told_and_ends_the_app(
    qtbot, plan_db, tmp_path, monkeypatch
) -> None:
    from types import SimpleNamespace

    from scheduler_app.errors import StorageError
    from scheduler_app.storage import health

    def damaged(path) -> None:  # type: ignore[no-untyped-def]
        raise StorageError(health.damaged_message(path, "Page 7: btreeInitPage() error 11"))

    shown: list[tuple[str, str]] = []
    exits: list[int] = []
    monkeypatch.setattr(health, "check_sqlite", damaged)
    monkeypatch.setattr(
        app_module, "message_box", lambda parent, icon, title, text: shown.append((title, text))
    )
    monkeypatch.setattr(app_module, "QApplication", SimpleNamespace(exit=exits.append))
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    try:
        assert application.open(str(plan_db), check_later=True)
        window = application.window
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: bool(shown))
        [(title, text)] = shown
        assert title == "Cannot open the database"
        assert f"The database file {plan_db} is damaged" in text and "Page 7" in text
        assert exits == [2] and not window.isVisible()
        assert application.settings.recent_databases == []  # a damaged file is not offered again
    finally:
        application.close()


def test_history_showing_at_start_reads_the_log_after_the_first_paint(
    qtbot, open_window, plan_db, monkeypatch
) -> None:
    """A window restored with the History tab in front paints before the panel reads the log."""
    from scheduler_app import audit_query

    reads: list[int | None] = []
    choices = audit_query.choices

    def counted(store, after_id=None):  # type: ignore[no-untyped-def]
        reads.append(after_id)
        return choices(store, after_id)

    monkeypatch.setattr(audit_query, "choices", counted)
    window = open_window(plan_db, show=False)
    window.history_dock.show()
    window.history_dock.raise_()
    window.show()
    assert window.history.isVisible() and reads == []
    qtbot.waitUntil(lambda: bool(reads))
    assert window.history.placeholder.text() == "Select a campaign to see its history."
    assert window.history.user.count() > 1  # the users the log names


def test_the_start_pauses_the_collector_until_the_window_is_shown(
    qtbot, qapp, plan_db, tmp_path, monkeypatch
) -> None:
    """``main.py`` turns the cyclic collector off for the start; the app turns it back on once
    the window is shown (here: once opening has answered)."""
    import main as entry

    seen: list[bool] = []

    def opening(self, target, create=False, check_later=False) -> bool:  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return False

    monkeypatch.setattr(app_module.Application, "open", opening)
    monkeypatch.setattr(app_module, "AppSettings", lambda: AppSettings(tmp_path / "s.ini"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    style = qapp.styleSheet()
    try:
        assert gc.isenabled()
        assert entry.main(["--db", str(plan_db)]) == 2
    finally:
        qapp.setStyleSheet(style)
    assert seen == [False] and gc.isenabled()


def test_a_start_on_a_file_the_check_finds_damaged_ends_with_exit_code_2(plan_db, tmp_path) -> None:
    """The whole start, as ``python main.py --db FILE`` runs it: the window paints, the check
    finds the damage, the planner is told, and the process ends with 2 as before."""
    import os
    import subprocess

    code = f"""
import sys
from scheduler_app.errors import StorageError
from scheduler_app.storage import health
import ui.app

def damaged(path):
    raise StorageError(health.damaged_message(path, "Page 7: btreeInitPage() error 11"))

health.check_sqlite = damaged
ui.app.message_box = lambda parent, icon, title, text: print("told:", title, flush=True)
import main
sys.exit(main.main(["--db", {str(plan_db)!r}]))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2, done.stderr[-600:]
    assert "told: Cannot open the database" in done.stdout
