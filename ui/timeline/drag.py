"""Mouse handling on the blocks: click to select, drag to move or resize, hover for tooltips.

A drag is a preview until release (STYLE.md, after pyqtgraph's ``InfiniteLine.mouseDragEvent``):
the start is recorded on ``ev.isStart()``, every move asks ``service.engine.preview`` what the
hypothetical campaigns would break and shows it in the ghost, and only ``ev.isFinish()`` emits a
request. Esc or a right-click cancels. Shift or Alt while dragging turns off the snap to midnight;
Ctrl while dragging one campaign ripples: the ghost shows the campaigns it would push.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pyqtgraph.GraphicsScene.mouseEvents import HoverEvent, MouseClickEvent, MouseDragEvent
from PySide6.QtCore import QPointF, Qt

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import (
    add_local_days,
    from_epoch,
    local_days_between,
    nearest_local_midnight,
    to_epoch,
)
from ui.timeline.ghost import Ghost, ripple_ghost
from ui.timeline.tooltips import campaign_tooltip

if TYPE_CHECKING:
    from ui.timeline.widget import TimelineWidget

EDGE_PX = 6.0
FREE_KEYS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
RIPPLE_KEY = Qt.KeyboardModifier.ControlModifier


@dataclass
class _Drag:
    mode: str  # "move" or "resize"
    anchor: Campaign
    campaigns: list[Campaign]
    down_x: float
    key: tuple[object, ...] | None = None
    cancelled: bool = False


class DragController:
    """Turns pyqtgraph mouse events on the blocks item into selection, ghosts and requests."""

    def __init__(self, widget: TimelineWidget) -> None:
        self.widget = widget
        self.drag: _Drag | None = None
        self.ghost: Ghost | None = None
        self._hovered: str | None = None

    @property
    def active(self) -> bool:
        return self.drag is not None and not self.drag.cancelled

    def _campaign_at(self, pos: QPointF) -> Campaign | None:
        widget = self.widget
        slot = widget.arrays.hit(pos.x(), pos.y(), tolerance=3 * widget.blocks.pixelWidth())
        if slot is None:
            return None
        return widget.service.schedule.campaigns.get(CampaignId(widget.arrays.ids[slot]))

    def _near_right_edge(self, campaign: Campaign, x: float) -> bool:
        end = to_epoch(self.widget.service.schedule.campaign_end(campaign))
        return abs(x - end) <= EDGE_PX * float(self.widget.blocks.pixelWidth())

    def drag_event(self, ev: MouseDragEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart() and not self._start(ev):
            return
        drag = self.drag
        if drag is None:
            ev.ignore()
            return
        ev.accept()
        if drag.cancelled:
            if ev.isFinish():
                self.drag = None
            return
        ripple = bool(ev.modifiers() & RIPPLE_KEY) and len(drag.campaigns) == 1
        self._preview(ev.pos().x(), ev.pos().y(), bool(ev.modifiers() & FREE_KEYS), ripple)
        if ev.isFinish():
            self._finish()

    def _start(self, ev: MouseDragEvent) -> bool:
        widget = self.widget
        down = ev.buttonDownPos()
        campaign = self._campaign_at(down)
        if campaign is None:
            ev.ignore()
            return False
        ev.accept()
        resize = self._near_right_edge(campaign, down.x())
        if resize:
            moving = [campaign]
        else:
            if campaign.id not in widget.selected_ids():
                widget.select([campaign.id], emit=True)
            schedule = widget.service.schedule
            held = schedule.campaigns
            moving = [held[c] for c in map(CampaignId, widget.selected_ids()) if c in held]
        locked = [c for c in moving if c.status.locked]
        if locked:
            first = locked[0]
            verb = "resized" if resize else "moved"
            widget.statusMessage.emit(f"{first.id} is {first.status.value} and cannot be {verb}")
            self.drag = _Drag("locked", campaign, [], down.x(), cancelled=True)
            return True
        self.drag = _Drag("resize" if resize else "move", campaign, moving, down.x())
        widget.blocks.set_faded([c.id for c in moving])
        return True

    def _preview(self, x: float, y: float, free: bool, ripple: bool = False) -> None:
        drag = self.drag
        assert drag is not None
        if drag.mode == "resize":
            ghost = self._resize_ghost(drag, x)
        else:
            ghost = self._move_ghost(drag, x, y, free, ripple)
        if ghost is None:
            return
        self.ghost = ghost
        self.widget.ghost_item.set_ghost(ghost)

    def _move_ghost(
        self, drag: _Drag, x: float, y: float, free: bool, ripple: bool = False
    ) -> Ghost | None:
        widget = self.widget
        schedule = widget.service.schedule
        layout = widget.layout
        codes = layout.bioreactor_codes()
        target = layout.nearest_bioreactor(y)
        if target is None or drag.anchor.bioreactor not in layout.bioreactor_row:
            offset = 0
        else:
            offset = codes.index(target) - codes.index(drag.anchor.bioreactor)
        delta = timedelta(seconds=x - drag.down_x)
        moves: list[tuple[str, datetime, str]] = []
        hypothetical: list[Campaign] = []
        for campaign in drag.campaigns:
            bioreactor = campaign.bioreactor
            if offset and bioreactor in layout.bioreactor_row:
                index = min(max(codes.index(bioreactor) + offset, 0), len(codes) - 1)
                bioreactor = BioreactorCode(codes[index])
            tz_name = schedule.time_zone_of(bioreactor)
            start = campaign.start + delta
            if free:
                start = start.replace(second=0, microsecond=0)
            else:
                start = nearest_local_midnight(start, tz_name)
            moves.append((campaign.id, start, bioreactor))
            hypothetical.append(replace(campaign, start=start, bioreactor=bioreactor))
        key = (ripple, *moves)
        if key == drag.key:
            return None
        drag.key = key
        if ripple:
            return ripple_ghost(widget, drag.campaigns[0], moves[0][1], moves[0][2])
        rects = []
        for campaign in hypothetical:
            tz_name = schedule.time_zone_of(campaign.bioreactor)
            end = add_local_days(campaign.start, campaign.duration_days, tz_name)
            row = layout.bioreactor_row.get(campaign.bioreactor)
            if row is not None:
                rects.append((row, to_epoch(campaign.start), to_epoch(end)))
        changed = any(
            m[1] != c.start or m[2] != c.bioreactor
            for m, c in zip(moves, drag.campaigns, strict=True)
        )
        conflicts = list(widget.service.engine.preview(hypothetical)) if changed else []
        return Ghost(rects=rects, moves=moves if changed else [], conflicts=conflicts)

    def _resize_ghost(self, drag: _Drag, x: float) -> Ghost | None:
        widget = self.widget
        schedule = widget.service.schedule
        campaign = drag.anchor
        tz_name = schedule.time_zone_of(campaign.bioreactor)
        end = schedule.campaign_end(campaign)
        raw_end = from_epoch(to_epoch(end) + (x - drag.down_x))
        days = local_days_between(campaign.start, raw_end, tz_name)
        step = campaign.batch_days + campaign.turnaround_days
        batches = max(1, int(round((days + campaign.turnaround_days) / max(step, 1))))
        key = ("resize", batches)
        if key == drag.key:
            return None
        drag.key = key
        resized = replace(campaign, batches=batches)
        new_end = add_local_days(campaign.start, resized.duration_days, tz_name)
        row = widget.layout.bioreactor_row.get(campaign.bioreactor, 0)
        changed = batches != campaign.batches
        conflicts = list(widget.service.engine.preview([resized])) if changed else []
        return Ghost(
            rects=[(row, to_epoch(campaign.start), to_epoch(new_end))],
            batches=batches,
            conflicts=conflicts,
        )

    def _finish(self) -> None:
        drag, ghost = self.drag, self.ghost
        self._clear()
        if drag is None or ghost is None:
            return
        if drag.mode == "resize":
            if ghost.batches is not None and ghost.batches != drag.anchor.batches:
                self.widget.resizeRequested.emit(drag.anchor.id, ghost.batches)
        elif ghost.ripple and ghost.moves:
            campaign_id, start, bioreactor = ghost.moves[0]
            self.widget.rippleRequested.emit(campaign_id, start, bioreactor)
        elif ghost.moves:
            self.widget.moveRequested.emit(list(ghost.moves))

    def _clear(self) -> None:
        self.drag = None
        self.ghost = None
        self.widget.ghost_item.set_ghost(None)
        self.widget.blocks.set_faded([])

    def cancel(self) -> bool:
        """Esc or right-click mid-drag: drop the ghost and restore; the rest of the drag is
        swallowed. Returns whether there was a drag to cancel."""
        if not self.active:
            return False
        assert self.drag is not None
        self.drag.cancelled = True
        self.ghost = None
        self.widget.ghost_item.set_ghost(None)
        self.widget.blocks.set_faded([])
        self.widget.statusMessage.emit("Drag cancelled")
        return True

    def click_event(self, ev: MouseClickEvent) -> None:
        widget = self.widget
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            if self.cancel():
                return
            self._context_menu(ev)
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        campaign = self._campaign_at(ev.pos())
        if ev.double():
            if campaign is not None:
                widget.campaignActivated.emit(campaign.id)
            else:
                spot = widget.spot_at(ev.pos())
                if spot is not None:
                    widget.createRequested.emit(spot[0], spot[1])
            return
        current = widget.selected_ids()
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if campaign is None:
                return
            if campaign.id in current:
                widget.select([c for c in current if c != campaign.id], emit=True)
            else:
                widget.select([*current, campaign.id], emit=True)
        else:
            widget.select([campaign.id] if campaign else [], emit=True)

    def _context_menu(self, ev: MouseClickEvent) -> None:
        campaign = self._campaign_at(ev.pos())
        spot = self.widget.spot_at(ev.pos())
        self.widget.contextMenuRequested.emit(
            ev.screenPos().toPoint(), campaign.id if campaign else None, spot
        )

    def hover_event(self, ev: HoverEvent) -> None:
        blocks = self.widget.blocks
        if ev.isExit():
            self._hovered = None
            blocks.setToolTip("")
            blocks.unsetCursor()
            return
        campaign = self._campaign_at(ev.pos())
        if campaign is None:
            if self._hovered is not None:
                blocks.setToolTip("")
                blocks.unsetCursor()
            self._hovered = None
            return
        ev.acceptDrags(Qt.MouseButton.LeftButton)
        ev.acceptClicks(Qt.MouseButton.LeftButton)
        edge = self._near_right_edge(campaign, ev.pos().x())
        blocks.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.OpenHandCursor)
        if campaign.id != self._hovered:
            self._hovered = campaign.id
            schedule = self.widget.service.schedule
            conflicts = self.widget.service.engine.conflicts_for(campaign.id)
            blocks.setToolTip(campaign_tooltip(schedule, campaign, conflicts))
