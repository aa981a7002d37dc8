"""Undo commands: thin wrappers over the service, one per planner action.

Each command holds the service and the campaigns as they were (``before``) and as they will be
(``after``); ``redo()`` asks the service for ``after``, ``undo()`` for ``before``, and
``QUndoStack.push()`` calls ``redo()`` itself. The version a campaign carries changes with every
save, so each direction pairs the desired content with the campaign as the service holds it now.
A refused change (a stale edit, a locked campaign) makes the command obsolete, so the stack drops
it and hands the error to ``on_error`` for the window to explain; the rest of the stack stays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtGui import QUndoCommand

from scheduler_app.campaigns import Campaign
from scheduler_app.errors import SchedulerError
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.service import ScheduleService

ErrorHandler = Callable[[SchedulerError], None]
Pair = tuple[Campaign | None, Campaign | None]


def _keep(error: SchedulerError) -> None:
    """Default handler: the error stays on ``command.failed`` for the caller to read."""


class CampaignsCommand(QUndoCommand):
    """Replace campaigns as one undo step (one transaction and one audit entry each way)."""

    def __init__(
        self,
        service: ScheduleService,
        pairs: Sequence[Pair],
        text: str,
        action: str,
        on_error: ErrorHandler = _keep,
    ) -> None:
        super().__init__(text)
        self.service = service
        self.pairs = list(pairs)
        self.action = action
        self.on_error = on_error
        self.failed: SchedulerError | None = None

    def redo(self) -> None:
        self._apply([after for _, after in self.pairs], self.action)

    def undo(self) -> None:
        self._apply([before for before, _ in self.pairs], f"undo {self.action}")

    def campaign_ids(self) -> list[CampaignId]:
        found = [before or after for before, after in self.pairs]
        return [campaign.id for campaign in found if campaign is not None]

    def _apply(self, targets: list[Campaign | None], action: str) -> None:
        schedule = self.service.schedule
        changes: list[Pair] = []
        for key, target in zip(self.campaign_ids(), targets, strict=True):
            current = schedule.campaigns.get(key)
            if target is not None and current is not None:
                target = dataclasses.replace(target, version=current.version)
            changes.append((current, target))
        try:
            self.service.replace_campaigns(changes, action=action, description=self.text())
        except SchedulerError as error:
            self.failed = error
            self.setObsolete(True)
            self.on_error(error)


def move_command(
    service: ScheduleService,
    moves: Sequence[tuple[str, datetime, str]],
    on_error: ErrorHandler = _keep,
) -> CampaignsCommand:
    """A drop of one or many campaigns: ``(campaign_id, new_start_utc, bioreactor)`` each."""
    pairs: list[Pair] = []
    for campaign_id, start, bioreactor in moves:
        before = service.schedule.campaign(campaign_id)
        after = dataclasses.replace(before, start=start, bioreactor=BioreactorCode(bioreactor))
        pairs.append((before, after))
    if len(pairs) == 1:
        only = pairs[0][1]
        assert only is not None
        text = f"Move {only.id} to {only.bioreactor}"
    else:
        targets = sorted({after.bioreactor for _, after in pairs if after})
        where = targets[0] if len(targets) == 1 else f"{len(targets)} bioreactors"
        text = f"Move {len(pairs)} campaigns to {where}"
    return CampaignsCommand(service, pairs, text, "move", on_error)


def resize_command(
    service: ScheduleService, campaign_id: str, batches: int, on_error: ErrorHandler = _keep
) -> CampaignsCommand:
    before = service.schedule.campaign(campaign_id)
    after = dataclasses.replace(before, batches=batches)
    text = f"Resize {before.id} to {batches} batch{'es' if batches != 1 else ''}"
    return CampaignsCommand(service, [(before, after)], text, "resize", on_error)


def edit_command(
    service: ScheduleService, after: Campaign, on_error: ErrorHandler = _keep
) -> CampaignsCommand:
    """Any edit from the inspector; the text names the fields that changed."""
    before = service.schedule.campaign(after.id)
    changed = [
        field.name.replace("_", " ")
        for field in dataclasses.fields(Campaign)
        if field.name != "version" and getattr(before, field.name) != getattr(after, field.name)
    ]
    what = ", ".join(changed) if changed else "nothing"
    return CampaignsCommand(
        service, [(before, after)], f"Edit {after.id} ({what})", "edit", on_error
    )


def create_command(
    service: ScheduleService,
    campaign: Campaign,
    on_error: ErrorHandler = _keep,
    action: str = "create",
) -> CampaignsCommand:
    verb = "Duplicate as" if action == "duplicate" else "New campaign"
    text = f"{verb} {campaign.id} on {campaign.bioreactor}"
    return CampaignsCommand(service, [(None, campaign)], text, action, on_error)


def delete_command(
    service: ScheduleService, campaign_ids: Sequence[str], on_error: ErrorHandler = _keep
) -> CampaignsCommand:
    pairs: list[Pair] = [(service.schedule.campaign(key), None) for key in campaign_ids]
    text = f"Delete {campaign_ids[0]}" if len(pairs) == 1 else f"Delete {len(pairs)} campaigns"
    return CampaignsCommand(service, pairs, text, "delete", on_error)
