"""Start the desktop application: ``python main.py [--db X]`` ends up in :func:`run`."""

from __future__ import annotations

import gc
import logging
import os
import sys
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from scheduler_app.errors import SchedulerError
from ui.first_paint import after_first_paint
from ui.notify import Notifier
from ui.plain_text import message_box
from ui.resources import icon, style_sheet
from ui.settings import AppSettings
from ui.stale_edit import install_excepthook
from ui.timeline.navigation import opening_range
from ui.two_step_load import finish_loading, load_rest_after_first_paint

if TYPE_CHECKING:
    from scheduler_app.storage import Store
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class Application:
    """Holds the open database and its window; File → Open database switches both."""

    def __init__(self, settings: AppSettings) -> None:
        self.settings = settings
        self.window: MainWindow | None = None
        self.store: Store | None = None

    def open(self, target: str | None, create: bool = False, check_later: bool = False) -> bool:
        """Open ``target`` in a new window; on failure explain why and keep what was open.
        A named database must exist unless ``create`` (``--create``) is given. ``check_later``
        (the start): the file's integrity check runs once the window has painted, and a damaged
        file is then told as here and the app quits (the store refuses writes until it passed)."""
        from scheduler_app.bootstrap import open_store
        from scheduler_app.service import ScheduleService, Source
        from ui.main_window import MainWindow

        store: Store | None = None
        try:
            store = open_store(target, create=create, check_later=check_later)
            first_view = opening_range(self.settings.zoom, datetime.now(UTC))
            service = ScheduleService(store, source=Source.APP, first_view=first_view)
        except Exception as error:  # noqa: BLE001 - any failure to open is told, not raised
            if store is not None:
                error = _damage_first(store, error)
                store.close()
            _tell_open_failure(self.window, target, error)
            return False
        previous_window, previous_store = self.window, self.store
        # The previous schedule's objects must become collectable again (see freeze below).
        gc.unfreeze()
        self.store = store
        window = MainWindow(service, self.settings)
        self.window = window
        window.openDatabaseRequested.connect(self.open)
        window.openPlanRequested.connect(self.open_plan)
        recent = target or store.url_for_display
        if store.health_checked:
            self.settings.add_recent_database(recent)
        window.show()
        check = None
        if not store.health_checked:
            check = partial(self._check_health, window, store, target, recent)
        # A plan opened in two steps is checked for damage once its whole plan is painted: the
        # planner waits for the plan, not for the integrity check.
        if not load_rest_after_first_paint(window, then=check) and check is not None:
            after_first_paint(window, check)
        if previous_window is not None:
            previous_window.close()
            previous_window.deleteLater()
        if previous_store is not None:
            previous_store.close()
        # A loaded schedule is hundreds of thousands of long-lived objects: moved out of the
        # collector's generations, they no longer make each full collection pause an interaction
        # (133 ms at 100,000 campaigns). Cheap: no collection is run here.
        gc.freeze()
        return True

    def _check_health(
        self, window: MainWindow, store: Store, target: str | None, recent: str
    ) -> None:
        """The integrity check put off at start: a damaged file is told as at opening and the
        app ends with exit code 2, as when it could not be opened (nor is it a recent database);
        a sound one joins the recent databases then."""
        if self.store is not store:
            return
        try:
            store.check_health()
        except SchedulerError as error:
            _tell_open_failure(window, target, error)
            # Exit first: closing the last window would end the event loop with code 0.
            QApplication.exit(2)
            window.hide()
            return
        self.settings.add_recent_database(recent)

    def open_plan(self, scenario: str | None) -> bool:
        """Show Live or ``scenario`` of the open database in a new window (the store is kept)."""
        from scheduler_app.service import ScheduleService, Source
        from ui.main_window import MainWindow

        if self.store is None:
            return False
        try:
            service = ScheduleService(self.store, source=Source.APP, scenario=scenario)
        except SchedulerError as error:
            QMessageBox.warning(self.window, "Cannot open the scenario", str(error))
            return False
        gc.unfreeze()
        previous = self.window
        window = MainWindow(service, self.settings)
        self.window = window
        window.openDatabaseRequested.connect(self.open)
        window.openPlanRequested.connect(self.open_plan)
        if previous is not None:
            window.setGeometry(previous.geometry())
        window.show()
        if previous is not None:
            previous.close()
            previous.deleteLater()
        gc.freeze()
        return True

    def close(self) -> None:
        gc.unfreeze()
        if self.store is not None:
            self.store.close()
            self.store = None


def run(db_target: str | None, create: bool = False) -> int:
    """The GUI on ``db_target`` (``None``: ``SCHEDULER_DB`` or the default database, created on
    first start); a named database is created only with ``create``. A garbage collector paused
    for the start (``main.py`` does) is turned back on once the first window is shown, its
    long-lived objects frozen out of the collector's way by then."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic reports every connection it inspects at INFO; a planner's console needs none of it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Campaign Scheduler")
    qt_app.setOrganizationName("CampaignScheduler")
    qt_app.setWindowIcon(icon("app"))
    qt_app.setStyleSheet(style_sheet())
    install_excepthook(Notifier(None))
    application = Application(AppSettings())
    paused = not gc.isenabled()
    opened = application.open(db_target, create=create, check_later=True)
    if paused:
        gc.enable()
    if not opened:
        return 2
    if os.environ.get("SCHEDULER_QUIT_AFTER_SHOW"):
        # The packaged build's smoke test: open the window, paint it once, say so and quit.
        QTimer.singleShot(0, lambda: _report_and_quit(application, qt_app))
    try:
        return qt_app.exec()
    finally:
        application.close()


def _damage_first(store: Store, error: Exception) -> Exception:
    """The failure to tell: the damage, when a file whose check was put off fails it."""
    if store.health_checked:
        return error
    try:
        store.check_health()
    except SchedulerError as damage:
        return damage
    return error


def _tell_open_failure(parent: QWidget | None, target: str | None, error: Exception) -> None:
    if isinstance(error, SchedulerError):
        log.warning("Cannot open database %s: %s", target, error)
    else:
        log.error("Cannot open database %s", target, exc_info=error)
    message_box(
        parent,
        QMessageBox.Icon.Critical,
        "Cannot open the database",
        f"The database {target or '(default)'} could not be opened.\n\n{error}",
    )


def _report_and_quit(application: Application, qt_app: QApplication) -> None:
    window = application.window
    if window is not None:
        finish_loading(window)
        painted = window.grab()
        campaigns = len(window.service.schedule.campaigns)
        print(
            f"main window shown: {painted.width()}x{painted.height()}, {campaigns} campaigns",
            flush=True,
        )
    qt_app.quit()
