"""Maintenance windows edited on the timeline: Alt-drag on a row draws one (the dialog opens
prefilled), double-click on a hatched band edits it, the context menu adds, edits or deletes.
Each change is one undo step through the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMenu

from scheduler_app.change_set import ChangeSet
from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import add_local_days
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from ui.commands import ChangeCommand
from ui.timeline.maintenance_marks import window_at

if TYPE_CHECKING:
    from ui.main_window import MainWindow

AskWindow = Callable[[Schedule, MaintenanceWindow], MaintenanceWindow | None]


def ask_with_dialog(schedule: Schedule, window: MaintenanceWindow) -> MaintenanceWindow | None:
    from ui.maintenance_dialog import MaintenanceDialog

    dialog = MaintenanceDialog(schedule, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_window


class MaintenanceActions(QObject):
    """``ask`` shows the window dialog (tests answer it instead)."""

    def __init__(self, window: MainWindow, ask: AskWindow = ask_with_dialog) -> None:
        super().__init__(window)
        self.window = window
        self.ask = ask
        window.timeline.maintenanceDrawn.connect(self.new_window)
        window.timeline.maintenanceActivated.connect(self.edit_window)

    def new_window(self, bioreactor: str, start: datetime, end: datetime | None = None) -> bool:
        schedule = self.window.service.schedule
        reactor = schedule.bioreactor(bioreactor)
        site = schedule.suites[reactor.suite].site
        if end is None:
            end = add_local_days(start, 7, schedule.site(site).time_zone)
        draft = MaintenanceWindow(
            site, start, end, "", suite=reactor.suite, bioreactor=BioreactorCode(bioreactor)
        )
        chosen = self.ask(schedule, draft)
        if chosen is None:
            return False
        service = self.window.service
        return self._push(lambda: service.add_window(chosen), f"Add maintenance on {chosen.scope}")

    def edit_window(self, window: MaintenanceWindow) -> bool:
        chosen = self.ask(self.window.service.schedule, window)
        if chosen is None or chosen == window:
            return False
        service = self.window.service
        return self._push(
            lambda: service.change_window(window, chosen), f"Change maintenance on {chosen.scope}"
        )

    def delete_window(self, window: MaintenanceWindow) -> bool:
        question = (
            f"Delete the maintenance window on {window.scope} ({window.reason or 'no reason'})?"
        )
        if not self.window.notifier.confirm("Delete maintenance", question):
            return False
        service = self.window.service
        return self._push(
            lambda: service.delete_window(window), f"Delete maintenance on {window.scope}"
        )

    def add_menu_entries(self, menu: QMenu, where: tuple[str, datetime] | None) -> None:
        """Context-menu entries for the spot right-clicked: the window there, or a new one."""
        if where is None:
            return
        bioreactor, instant = where
        schedule = self.window.service.schedule
        row = self.window.timeline.layout.bioreactor_row.get(bioreactor)
        found = None
        if row is not None:
            found = window_at(schedule, self.window.timeline.layout, _epoch(instant) + 1, row + 0.5)
        if found is not None:
            menu.addAction(f"Edit maintenance on {found.scope}…", lambda: self.edit_window(found))
            menu.addAction("Delete this maintenance window", lambda: self.delete_window(found))
        menu.addAction(
            f"New maintenance window on {bioreactor}…", lambda: self.new_window(bioreactor, instant)
        )

    def _push(self, action: Callable[[], ChangeSet], text: str) -> bool:
        """One undo step: the service's change set, undone and redone through the service."""
        command = ChangeCommand(self.window.service, action, text, self.window.errors.collect)
        self.window.undo_stack.push(command)
        self.window.errors.flush()
        return command.failed is None


def _epoch(instant: datetime) -> float:
    from scheduler_app.localtime import to_epoch

    return to_epoch(instant)
