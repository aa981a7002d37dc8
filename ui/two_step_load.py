"""A large plan opens in two steps: the window paints the campaigns in view first (the service was
given that view as ``first_view``), then, in the event loop's turn after that first paint, the
whole plan is loaded and checked and every view is brought up to it (the service tells them with a
``reload``). Until then the window takes no input, so nothing acts on the part of the plan held;
the service refuses edits on its own account as well."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from scheduler_app.errors import SchedulerError
from ui.first_paint import after_first_paint
from ui.plain_text import message_box

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.Drop,
        QEvent.Type.TouchBegin,
    }
)


class _HoldInput(QObject):
    """Drops the planner's clicks, keys and wheel turns (an application-wide event filter)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        return event.type() in _INPUT


def load_rest_after_first_paint(window: MainWindow, then: Callable[[], None] | None = None) -> bool:
    """When ``window``'s service holds only its first view: hold input back from now, load the
    rest once the window has painted, and run ``then`` after the window's next paint (work that
    would otherwise make the planner wait longer for the whole plan). False, and nothing done,
    when the service holds the whole plan already."""
    if not window.service.loading:
        return False
    app = QApplication.instance()
    hold = _HoldInput(window)
    if app is not None:
        app.installEventFilter(hold)

    def finish() -> None:
        try:
            finish_loading(window)
        finally:
            if app is not None:
                app.removeEventFilter(hold)
            hold.deleteLater()
            if then is not None:
                after_first_paint(window, then)

    after_first_paint(window, finish)
    return True


def finish_loading(window: MainWindow) -> None:
    """Load and check the rest of the plan now (the views follow); a failure is told, and the
    window keeps the part it shows, read-only (the service refuses edits until it is whole).
    As for a plan opened at once, the collector waits meanwhile, and the whole plan's objects are
    then frozen out of its way (``Application.open`` says why)."""
    service = window.service
    if not service.loading:
        return
    window.statusBar().showMessage(f"Loading and checking {service.store.url_for_display}…")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    collecting = gc.isenabled()
    gc.disable()
    failure: Exception | None = None
    try:
        service.finish_loading()
    except SchedulerError as error:
        failure = error
    except Exception as error:  # noqa: BLE001 - a failed load is told, never a traceback
        log.error("Cannot load the rest of the schedule", exc_info=error)
        failure = error
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
        QGuiApplication.restoreOverrideCursor()
        window.statusBar().clearMessage()
    if failure is not None:
        _tell(window, failure)  # with the pointer and the collector back as they were


def _tell(window: MainWindow, error: Exception) -> None:
    message_box(
        window,
        QMessageBox.Icon.Critical,
        "Cannot load the schedule",
        "Only the campaigns first shown could be loaded; nothing can be changed until the "
        f"whole schedule is. Open the database again.\n\n{error}",
    )
