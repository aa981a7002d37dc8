"""Undo commands: each holds the ``ChangeSet`` a named service action returned.

The first ``redo()`` (``QUndoStack.push()`` calls it) runs the action; ``undo()`` asks the service
to undo the change set and later ``redo()``s to redo it. The service compares what the database
holds now with what the change wrote and refuses, naming who changed what, rather than overwrite
another planner's work; a refused step becomes obsolete (the stack drops it) and the error goes to
``on_error`` for the window to explain. The rest of the stack stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtGui import QUndoCommand

from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import ChangeSet
from scheduler_app.errors import SchedulerError
from scheduler_app.ids import CampaignId
from scheduler_app.service import ScheduleService

ErrorHandler = Callable[[SchedulerError], None]
Action = Callable[[], ChangeSet]


def _keep(error: SchedulerError) -> None:
    """Default handler: the error stays on ``command.failed`` for the caller to read."""


class ChangeCommand(QUndoCommand):
    """One planner action as one undo step (one transaction and one audit entry each way)."""

    def __init__(
        self,
        service: ScheduleService,
        action: Action,
        text: str,
        on_error: ErrorHandler = _keep,
    ) -> None:
        super().__init__(text)
        self.service = service
        self.action = action
        self.on_error = on_error
        self.change_set: ChangeSet | None = None
        self.failed: SchedulerError | None = None

    def redo(self) -> None:
        try:
            if self.change_set is None:
                self.change_set = self.action()
                self.setText(self.change_set.description)
            else:
                self.change_set = self.service.redo(self.change_set)
        except SchedulerError as error:
            self._refused(error)

    def undo(self) -> None:
        if self.change_set is None:
            return
        try:
            self.service.undo(self.change_set)
        except SchedulerError as error:
            self._refused(error)

    def campaign_ids(self) -> list[CampaignId]:
        return [] if self.change_set is None else self.change_set.campaign_ids

    def _refused(self, error: SchedulerError) -> None:
        self.failed = error
        self.setObsolete(True)
        self.on_error(error)


def move_command(
    service: ScheduleService,
    moves: Sequence[tuple[str, datetime, str]],
    on_error: ErrorHandler = _keep,
    reason: str | None = None,
) -> ChangeCommand:
    """A drop of one or many campaigns: ``(campaign_id, new_start_utc, bioreactor)`` each."""
    listed = [(key, start, bioreactor) for key, start, bioreactor in moves]
    return ChangeCommand(
        service, lambda: service.move_campaigns(listed, reason=reason), "Move", on_error
    )


def resize_command(
    service: ScheduleService,
    campaign_id: str,
    batches: int,
    on_error: ErrorHandler = _keep,
    reason: str | None = None,
) -> ChangeCommand:
    return ChangeCommand(
        service,
        lambda: service.set_batches(campaign_id, batches, reason=reason),
        "Resize",
        on_error,
    )


def edit_command(
    service: ScheduleService,
    after: Campaign,
    on_error: ErrorHandler = _keep,
    reason: str | None = None,
) -> ChangeCommand:
    """Any edit from the inspector: the fields of ``after`` that differ from the held campaign."""
    from scheduler_app.campaign_edits import changed_fields

    def run() -> ChangeSet:
        before = service.schedule.campaign(after.id)
        fields = {name: getattr(after, name) for name in changed_fields(before, after)}
        return service.edit_campaign(after.id, reason=reason, **fields)

    return ChangeCommand(service, run, f"Edit {after.id}", on_error)


def create_command(
    service: ScheduleService,
    campaign: Campaign,
    on_error: ErrorHandler = _keep,
    action: str = "create",
    reason: str | None = None,
) -> ChangeCommand:
    return ChangeCommand(
        service,
        lambda: service.add_campaign(campaign, reason=reason, action=action),
        f"New campaign {campaign.id}",
        on_error,
    )


def delete_command(
    service: ScheduleService,
    campaign_ids: Sequence[str],
    on_error: ErrorHandler = _keep,
    reason: str | None = None,
) -> ChangeCommand:
    keys = list(campaign_ids)
    return ChangeCommand(
        service, lambda: service.delete_campaigns(keys, reason=reason), "Delete", on_error
    )
