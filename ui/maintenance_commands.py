"""Undo steps for maintenance windows: a thin wrapper over the service's window actions. Each
step remembers the window as the service stored it, so undo and redo act on the right row and
are refused (stale) when another planner changed it meanwhile."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from scheduler_app.errors import SchedulerError
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.service import ScheduleService
from ui.commands import ErrorHandler


class WindowCommand(QUndoCommand):
    """``before`` None adds ``after``; ``after`` None deletes ``before``; else a change."""

    def __init__(
        self,
        service: ScheduleService,
        before: MaintenanceWindow | None,
        after: MaintenanceWindow | None,
        text: str,
        on_error: ErrorHandler,
    ) -> None:
        super().__init__(text)
        self.service = service
        self.held = before  # the window as stored now (None: not in the plan)
        self.targets = (before, after)
        self.on_error = on_error
        self.failed: SchedulerError | None = None

    def redo(self) -> None:
        self._go(self.targets[1])

    def undo(self) -> None:
        self._go(self.targets[0])

    def _go(self, target: MaintenanceWindow | None) -> None:
        service = self.service
        try:
            if self.held is None and target is not None:
                change_set = service.add_window(target)
            elif self.held is not None and target is None:
                change_set = service.delete_window(self.held)
            elif self.held is not None and target is not None:
                change_set = service.change_window(self.held, target)
            else:
                return
        except SchedulerError as error:
            self.failed = error
            self.setObsolete(True)
            self.on_error(error)
            return
        ((_, stored),) = change_set.window_changes or ((None, None),)
        self.held = stored
