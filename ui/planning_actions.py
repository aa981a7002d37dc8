"""The Plan menu and planning gestures of the main window: nudges by keyboard, Shift by…, ripple
(Ctrl-drag and a typed shift), Fix… for a conflict and Optimise…. Each change is one undo step
through the service; each nudge shows the conflicts it leaves as a drag would."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import ChangeSet
from scheduler_app.errors import SchedulerError
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import add_local_days, nearest_local_midnight, zone
from scheduler_app.planning.fixes import fix_options
from scheduler_app.planning.ripple import ripple_moves
from scheduler_app.rules.conflict import Conflict, Severity
from ui.commands import ChangeCommand
from ui.conflicts_model import plain_message
from ui.timeline.ghost import Ghost

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FLASH_MS = 1600
Pair = tuple[Campaign | None, Campaign | None]


class PlanningActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.shift_by = self._action("Shift by…", self.ask_shift, "Ctrl+Shift+B")
        self.shift_ripple = self._action("Shift with ripple…", self.ask_ripple, "Ctrl+Shift+R")
        self.fix = self._action("Fix conflict…", self.fix_selected, "Ctrl+Shift+F")
        self.optimise = self._action("Optimise…", self.ask_optimise, "Ctrl+Shift+O")
        bar = window.menuBar()
        menu = QMenu("&Plan", window)
        help_menu = bar.actions()[-1] if bar.actions() else None
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)  # before Help, which stays last
        else:
            bar.addMenu(menu)
        menu.addActions([self.fix, self.shift_by, self.shift_ripple])
        menu.addSeparator()
        menu.addAction(self.optimise)
        self.menu = menu
        self._flashed: Ghost | None = None
        # Owned by the window, so that it dies with it (a pending flash never outlives the view).
        self._flash_timer = QTimer(window)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._unflash)
        timeline = window.timeline
        timeline.nudgeRequested.connect(self.nudge)
        timeline.rippleRequested.connect(self.ripple_to)
        window.conflicts_panel.fixRequested.connect(self.fix_conflict)
        window.inspector.fixRequested.connect(self.fix_campaign)
        self.selection_changed(0)

    def _action(self, text: str, slot: object, shortcut: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.window.addAction(action)
        return action

    def selection_changed(self, count: int) -> None:
        self.shift_by.setEnabled(count > 0)
        self.shift_ripple.setEnabled(count == 1)
        self.fix.setEnabled(count == 1)

    def add_to_menu(self, menu: QMenu, campaign_id: str) -> None:
        """The block context menu's planning entries."""
        menu.addSeparator()
        if self.window.service.engine.conflicts_for(campaign_id):
            menu.addAction("Fix…", lambda: self.fix_campaign(campaign_id))
        menu.addAction(self.shift_by)
        menu.addAction(self.shift_ripple)

    def _selected(self) -> list[Campaign]:
        campaigns = self.window.service.schedule.campaigns
        return [
            campaigns[key]
            for key in map(CampaignId, self.window.timeline.selected_ids())
            if key in campaigns
        ]

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def _push(self, pairs: list[Pair], text: str, action: str) -> bool:
        """Apply ``pairs`` through the service as one change set and one undo step."""
        service = self.window.service
        listed = list(pairs)
        ids = [c.id for pair in listed for c in pair[:1] if c is not None]
        go, reason = self.window.ask_reason(ids, "Moving")
        if not go:
            return False

        def run() -> ChangeSet:
            return service.replace_campaigns(listed, action=action, description=text, reason=reason)

        command = ChangeCommand(service, run, text, self.window.errors.collect)
        return self.window.push(command)

    # -- nudges -------------------------------------------------------------------------------

    def nudge(self, days: int, rows: int) -> bool:
        """Move the selection ``days`` site-local days and/or ``rows`` bioreactor rows."""
        chosen = self._selected()
        if not chosen:
            return False
        locked = [c for c in chosen if c.status.locked]
        if locked:
            first = locked[0]
            self._status(f"{first.id} is {first.status.value} and cannot be moved")
            return False
        schedule = self.window.service.schedule
        codes = self.window.timeline.layout.bioreactor_codes()
        pairs: list[Pair] = []
        targets: list[str] = []
        for campaign in chosen:
            target = campaign.bioreactor
            if rows:
                if target not in codes:
                    return False
                index = codes.index(target) + rows
                if not 0 <= index < len(codes):
                    self._status("No bioreactor row beyond this one")
                    return False
                target = BioreactorCode(codes[index])
            tz_name = schedule.time_zone_of(target)
            start = add_local_days(campaign.start, days, tz_name) if days else campaign.start
            if target != campaign.bioreactor:
                start = nearest_local_midnight(start, tz_name)
            pairs.append((campaign, dataclasses.replace(campaign, start=start, bioreactor=target)))
            targets.append(target)
        if rows:
            what = f"to {targets[0]}" if len(pairs) == 1 else f"{rows:+d} row"
        else:
            what = f"{days:+d} day{'s' if abs(days) != 1 else ''}"
        noun = chosen[0].id if len(chosen) == 1 else f"{len(chosen)} campaigns"
        done = self._push(pairs, f"Nudge {noun} {what}", "move")
        if done:
            self._flash([after for _, after in pairs if after is not None])
        return done

    def _flash(self, moved: list[Campaign]) -> None:
        """Show where the nudge put the campaigns, coloured by what they are now in, and say it
        in the status bar: the same feedback a drag gives, after the fact."""
        window = self.window
        schedule, engine = window.service.schedule, window.service.engine
        ids = {c.id for c in moved}
        found: list[Conflict] = []
        for key in ids:
            found += [c for c in engine.conflicts_for(key) if c not in found]
        rects = []
        for campaign in moved:
            held = schedule.campaigns.get(campaign.id)
            row = window.timeline.layout.bioreactor_row.get(campaign.bioreactor)
            if held is None or row is None:
                continue
            end = schedule.campaign_end(held)
            rects.append((row, held.start.timestamp(), end.timestamp()))
        ghost = Ghost(rects=rects, conflicts=found)
        self._flashed = ghost
        window.timeline.ghost_item.set_ghost(ghost)
        self._flash_timer.start()
        errors = [c for c in found if c.severity is Severity.ERROR]
        if found:
            self._status(
                f"Now in {len(found)} conflict{'s' if len(found) != 1 else ''}"
                f"{' (' + str(len(errors)) + ' errors)' if errors else ''}: "
                f"{found[0].kind}: {plain_message(found[0])}"
            )
        else:
            self._status("No conflicts")

    def _unflash(self) -> None:
        item = self.window.timeline.ghost_item
        if item.ghost is self._flashed:
            item.set_ghost(None)
        self._flashed = None

    def ask_shift(self) -> bool:
        chosen = self._selected()
        if not chosen:
            return False
        days, ok = QInputDialog.getInt(
            self.window, "Shift by", "Days (negative = earlier):", 0, -3650, 3650
        )
        return bool(ok and days) and self.nudge(days, 0)

    # -- ripple ----------------------------------------------------------------------------------

    def ask_ripple(self) -> bool:
        chosen = self._selected()
        if len(chosen) != 1:
            return False
        days, ok = QInputDialog.getInt(
            self.window,
            "Shift with ripple",
            f"Days to move {chosen[0].id} (the campaigns after it are pushed as needed):",
            0,
            -3650,
            3650,
        )
        if not ok or not days:
            return False
        campaign = chosen[0]
        tz_name = self.window.service.schedule.time_zone_of(campaign.bioreactor)
        return self.ripple_to(
            campaign.id, add_local_days(campaign.start, days, tz_name), campaign.bioreactor
        )

    def ripple_to(self, campaign_id: str, start: datetime, bioreactor: str) -> bool:
        """Move with ripple as one undo step; a lock in the way is refused and nothing moves."""
        try:
            moves = ripple_moves(self.window.service.schedule, campaign_id, start, bioreactor)
        except SchedulerError as error:
            self.window.notifier.error("Ripple refused", str(error))
            return False
        pushed = len(moves) - 1
        text = f"Move {campaign_id} with ripple" + (f" ({pushed} pushed)" if pushed else "")
        pairs: list[Pair] = [(b, a) for b, a in moves]
        done = self._push(pairs, text, "move")
        if done:
            self._flash([a for _, a in moves])
        return done

    # -- fix -------------------------------------------------------------------------------------

    def fix_selected(self) -> bool:
        chosen = self._selected()
        return bool(chosen) and self.fix_campaign(chosen[-1].id)

    def fix_campaign(self, campaign_id: str) -> bool:
        found = self.window.service.engine.conflicts_for(campaign_id)
        if not found:
            self._status(f"{campaign_id} has no conflict to fix")
            return False
        errors = [c for c in found if c.severity is Severity.ERROR]
        return self.fix_conflict((errors or found)[0])

    def fix_conflict(self, conflict: Conflict) -> bool:
        from ui.fix_dialog import FixDialog

        window = self.window
        tz_name = window.service.schedule.sites[conflict.site].time_zone
        today = datetime.now(UTC).astimezone(zone(tz_name)).date()
        options = fix_options(window.service.engine, conflict, today)
        dialog = FixDialog(window.timeline, conflict, options, window)
        self.dialog = dialog
        if dialog.exec() != FixDialog.DialogCode.Accepted:
            return False
        option = dialog.chosen()
        if option is None:
            return False
        pairs: list[Pair] = [(b, a) for b, a in option.moves]
        done = self._push(pairs, f"Fix: {option.title}", "fix")
        if done:
            window.show_campaigns([option.moves[0][1].id])
        return done

    # -- optimise --------------------------------------------------------------------------------

    def ask_optimise(self) -> bool:
        from ui.optimise_dialog import OptimiseDialog

        window = self.window
        dialog = OptimiseDialog(window.service.schedule, window)
        self.dialog_optimise = dialog
        if dialog.exec() != OptimiseDialog.DialogCode.Accepted or dialog.plan_result is None:
            return False
        return self.review_plan(dialog.plan_result)

    def review_plan(self, result: object) -> bool:
        """Show the plan as a change set (the import preview) and apply it as one undo step."""
        from scheduler_app.planning.optimiser import PlanResult
        from ui.import_preview import ImportPreviewDialog

        assert isinstance(result, PlanResult)
        window = self.window
        current = window.service.schedule
        incoming = current.copy()
        for _, after in result.moves:
            incoming.put_campaign(after)
        preview = ImportPreviewDialog("optimised plan", current, incoming, [], window)
        preview.setWindowTitle(f"Optimised plan ({result.status})")
        preview.delete_missing.hide()
        preview.summary.setText(
            f"The optimiser's plan ({result.status}"
            + (f", gap {result.gap:.0%}" if result.gap else "")
            + f") moves {len(result.moves)} campaigns. Days late {result.days_late_before} → "
            f"{result.days_late_after}; afterwards {result.conflicts.get('error', 0)} errors and "
            f"{result.conflicts.get('warning', 0)} warnings. Times are site-local."
            + (f"\n\nNot everything could be cleared: {result.reason}." if result.stuck else "")
        )
        self.preview = preview
        if preview.exec() != ImportPreviewDialog.DialogCode.Accepted:
            return False
        pairs: list[Pair] = [(b, a) for b, a in result.moves]
        count = len(pairs)
        text = f"Optimise the plan ({count} campaign{'s' if count != 1 else ''} moved)"
        return self._push(pairs, text, "plan")
