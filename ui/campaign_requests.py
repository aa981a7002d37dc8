"""The main window's requests on campaigns: each move, resize, edit, create, duplicate or delete
becomes one undo command, asking for a reason first when the change needs one.

``MainWindow`` builds on this class; it holds the panels that show the selection.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import add_local_days, local_midnight
from scheduler_app.service import ScheduleService
from ui import commands
from ui.notify import Notifier
from ui.stale_edit import ErrorReporter
from ui.timeline import TimelineWidget


class CampaignRequests(QMainWindow):
    """The undo stack's side of the window: what a drop, an inspector apply or a menu asks for."""

    service: ScheduleService
    notifier: Notifier
    undo_stack: QUndoStack
    errors: ErrorReporter
    timeline: TimelineWidget

    def _selection_changed(self, ids: list[str]) -> None:
        """Show ``ids`` as the selection in the window's panels (the main window does)."""
        raise NotImplementedError

    def push(self, command: commands.ChangeCommand) -> bool:
        """Run ``command`` as one undo step; ``False`` (and an explanation) if it was refused."""
        self.undo_stack.push(command)
        refused = command.failed is not None
        self.errors.flush()
        return not refused

    def undo(self) -> None:
        self.undo_stack.undo()
        self.errors.flush()

    def redo(self) -> None:
        self.undo_stack.redo()
        self.errors.flush()

    def ask_reason(self, ids: Sequence[str], doing: str) -> tuple[bool, str | None]:
        """``(go ahead, reason)``: asks why when the change needs a reason (a Confirmed campaign,
        or any when the schedule requires one); cancelling stops the change."""
        if not self.service.needs_reason(ids):
            return True, None
        confirmed = [
            key
            for key in ids
            if (found := self.service.schedule.campaigns.get(CampaignId(key))) is not None
            and found.status is Status.CONFIRMED
        ]
        names = ", ".join(ids[:4]) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")
        why = (
            f"{', '.join(confirmed[:4])} {'is' if len(confirmed) == 1 else 'are'} Confirmed"
            if confirmed
            else "This schedule asks for a reason for every change"
        )
        reason = self.notifier.reason(
            "Reason for change",
            f"{doing} {names}. {why}: say why, for the audit trail. Esc cancels the change.",
        )
        if reason is None:
            self.statusBar().showMessage(f"{doing} {names} cancelled; nothing changed", 6000)
            return False, None
        return True, reason

    def move_campaigns(self, moves: list[tuple[str, datetime, str]]) -> bool:
        if not moves:
            return False
        go, reason = self.ask_reason([key for key, _, _ in moves], "Moving")
        if not go:
            return False
        return self.push(commands.move_command(self.service, moves, self.errors.collect, reason))

    def resize_campaign(self, campaign_id: str, batches: int) -> bool:
        go, reason = self.ask_reason([campaign_id], "Resizing")
        if not go:
            return False
        return self.push(
            commands.resize_command(self.service, campaign_id, batches, self.errors.collect, reason)
        )

    def edit_campaign(self, after: Campaign) -> bool:
        go, reason = self.ask_reason([after.id], "Editing")
        if not go:
            return False
        return self.push(commands.edit_command(self.service, after, self.errors.collect, reason))

    def new_campaign(self, bioreactor: str | None = None, start: datetime | None = None) -> bool:
        from ui.campaign_form import NewCampaignDialog

        if bioreactor is None:
            selected = self.selected_campaign()
            bioreactor = selected.bioreactor if selected else None
        dialog = NewCampaignDialog(
            self.service, bioreactor, start, self, confirm=self.notifier.confirm
        )
        if dialog.exec() != NewCampaignDialog.DialogCode.Accepted:
            return False
        made = dialog.campaign()
        return made is not None and self.create_campaign(made)

    def create_campaign(self, campaign: Campaign, action: str = "create") -> bool:
        go, reason = self.ask_reason([campaign.id], "Creating")
        if not go:
            return False
        done = self.push(
            commands.create_command(self.service, campaign, self.errors.collect, action, reason)
        )
        if done:
            self.show_campaigns([campaign.id])
        return done

    def duplicate_selected(self) -> bool:
        """A copy of the selected campaign right after it on the same bioreactor, Planned."""
        original = self.selected_campaign()
        if original is None:
            return False
        schedule = self.service.schedule
        tz_name = schedule.time_zone_of(original.bioreactor)
        end = schedule.campaign_end(original)
        start = local_midnight(add_local_days(end, original.turnaround_days, tz_name), tz_name)
        copy = dataclasses.replace(
            original,
            id=schedule.next_campaign_id(),
            start=start,
            status=Status.PLANNED,
            due=None,
            notes=f"Copy of {original.id}" + (f". {original.notes}" if original.notes else ""),
            version=1,
        )
        return self.create_campaign(copy, action="duplicate")

    def delete_selected(self) -> bool:
        ids = [
            key for key in self.timeline.selected_ids() if key in self.service.schedule.campaigns
        ]
        if not ids:
            return False
        names = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
        if not self.notifier.confirm(
            "Delete campaigns" if len(ids) > 1 else "Delete campaign",
            f"Delete {names}? Edit → Undo brings {'them' if len(ids) > 1 else 'it'} back.",
        ):
            return False
        go, reason = self.ask_reason(ids, "Deleting")
        if not go:
            return False
        done = self.push(commands.delete_command(self.service, ids, self.errors.collect, reason))
        if done:
            self.timeline.select([])
            self._selection_changed([])
        return done

    def selected_campaign(self) -> Campaign | None:
        for key in self.timeline.selected_ids():
            found = self.service.schedule.campaigns.get(CampaignId(key))
            if found is not None:
                return found
        return None

    def show_campaigns(self, ids: list[str]) -> None:
        """Select campaigns on the timeline and bring the offending (last) one into view."""
        ids = [key for key in ids if key in self.service.schedule.campaigns]
        if not ids:
            return
        self.timeline.select(ids)
        self.timeline.scroll_to(ids[-1])
        self._selection_changed(ids)
