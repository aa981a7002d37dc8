"""What the window does when the core refuses a change.

A stale edit (another planner saved the campaign first) is explained with the core's own message
(who changed what), that one campaign is reloaded from the database and the views redrawn;
everything else, including undo steps for other campaigns, stays. Any other refusal is shown as
it is. Unexpected exceptions go to a short dialog and the log, never to a bare traceback.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from scheduler_app.errors import (
    LockedError,
    ReasonRequiredError,
    SchedulerError,
    StaleEditError,
)
from scheduler_app.service import ScheduleService
from ui.notify import Notifier

log = logging.getLogger(__name__)


class ErrorReporter:
    """Collects refusals raised inside undo commands and explains them once the stack is done."""

    def __init__(
        self, service: ScheduleService, notifier: Notifier, refresh: Callable[[], None]
    ) -> None:
        self.service = service
        self.notifier = notifier
        self.refresh = refresh
        self.pending: list[SchedulerError] = []

    def collect(self, error: SchedulerError) -> None:
        self.pending.append(error)

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        for error in pending:
            self.report(error)

    def report(self, error: SchedulerError) -> None:
        if isinstance(error, StaleEditError):
            self._stale(error)
        elif isinstance(error, LockedError):
            self.notifier.error("Campaign is locked", f"{error}\n\nNothing was changed.")
        elif isinstance(error, ReasonRequiredError):
            self.notifier.error("A reason is needed", f"{error}\n\nNothing was changed.")
        else:
            self.notifier.error("Change refused", f"{error}\n\nNothing was changed.")

    def _stale(self, error: StaleEditError) -> None:
        reloaded = ""
        if error.entity == "campaign":
            try:
                campaign = self.service.reload_campaign(error.key)
            except SchedulerError as reload_error:
                reloaded = f"\n\nReloading {error.key} failed: {reload_error}"
            else:
                reloaded = (
                    f"\n\n{error.key} now shows the saved version."
                    if campaign is not None
                    else f"\n\n{error.key} was deleted by the other planner."
                )
        else:
            self.service.reload()
            reloaded = "\n\nThe schedule was reloaded from the database."
        self.refresh()
        self.notifier.error(
            "Another planner got there first",
            f"{error}{reloaded}\nYour other changes are kept.",
        )


def install_excepthook(notifier: Notifier) -> None:
    """Unexpected exceptions: logged in full, shown to the planner in one short dialog."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error", exc_info=(kind, value, tb))
        if isinstance(value, SchedulerError):
            notifier.error("Change refused", str(value))
            return
        detail = "".join(traceback.format_exception_only(kind, value)).strip()
        notifier.error(
            "Unexpected error",
            f"Something went wrong and the action was not completed.\n\n{detail}\n\n"
            "The details are in the log.",
        )

    sys.excepthook = hook
