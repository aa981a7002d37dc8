"""Start the desktop application: ``python main.py [--db X]`` ends up in :func:`run`."""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from scheduler_app.errors import SchedulerError
from ui.notify import Notifier
from ui.plain_text import message_box
from ui.resources import icon, style_sheet
from ui.settings import AppSettings
from ui.stale_edit import install_excepthook

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

    def open(self, target: str | None, create: bool = False) -> bool:
        """Open ``target`` in a new window; on failure explain why and keep what was open.
        A named database must exist unless ``create`` (``--create``) is given."""
        from scheduler_app.bootstrap import open_store
        from scheduler_app.service import ScheduleService, Source
        from ui.main_window import MainWindow

        try:
            store = open_store(target, create=create)
            service = ScheduleService(store, source=Source.APP)
        except Exception as error:  # noqa: BLE001 - any failure to open is told, not raised
            if isinstance(error, SchedulerError):
                log.warning("Cannot open database %s: %s", target, error)
            else:
                log.exception("Cannot open database %s", target)
            message_box(
                self.window,
                QMessageBox.Icon.Critical,
                "Cannot open the database",
                f"The database {target or '(default)'} could not be opened.\n\n{error}",
            )
            return False
        previous_window, previous_store = self.window, self.store
        # The previous schedule's objects must become collectable again (see freeze below).
        gc.unfreeze()
        self.store = store
        window = MainWindow(service, self.settings)
        self.window = window
        window.openDatabaseRequested.connect(self.open)
        window.openPlanRequested.connect(self.open_plan)
        self.settings.add_recent_database(target or store.url_for_display)
        window.show()
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


def run(db_target: str | None, create: bool = False, collect_once_shown: bool = False) -> int:
    """The GUI on ``db_target`` (``None``: ``SCHEDULER_DB`` or the default database, created on
    first start); a named database is created only with ``create``. ``collect_once_shown``: the
    caller paused the garbage collector for start-up; it is turned back on once the first window
    is shown (its long-lived objects frozen out of the collector's way by then)."""
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
    opened = application.open(db_target, create=create)
    if collect_once_shown:
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


def _report_and_quit(application: Application, qt_app: QApplication) -> None:
    window = application.window
    if window is not None:
        painted = window.grab()
        campaigns = len(window.service.schedule.campaigns)
        print(
            f"main window shown: {painted.width()}x{painted.height()}, {campaigns} campaigns",
            flush=True,
        )
    qt_app.quit()
