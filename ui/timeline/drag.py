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
from PySide6.QtCore import QPointF, Qt, QTimer

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import (
    add_local_days,
    from_epoch,
    local_days_between,
    nearest_local_midnight,
    to_epoch,
    utc_to_local_naive,
)
from ui.timeline.ghost import Ghost, ripple_ghost
from ui.timeline.maintenance_marks import DRAW_KEY, window_tooltip
from ui.timeline.rows import RowKind
from ui.timeline.tooltips import campaign_tooltip

if TYPE_CHECKING:
    from ui.timeline.widget import TimelineWidget

EDGE_PX = 6.0
SCROLL_MARGIN_PX = 28.0  # holding a drag this close to the view's edge scrolls the view
SCROLL_INTERVAL_MS = 40
SCROLL_STEP = 0.02  # of the visible time span per tick; rows scroll a quarter row per tick
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


def local_text(instant: datetime, tz_name: str) -> str:
    """Site-local ``2027-03-08`` (with the time when it is not midnight)."""
    local = utc_to_local_naive(instant, tz_name)
    return (
        f"{local:%Y-%m-%d}" if (local.hour, local.minute) == (0, 0) else f"{local:%Y-%m-%d %H:%M}"
    )


def span_text(start: datetime, end: datetime, tz_name: str) -> str:
    """``2027-03-08 → 2027-04-04 (New York)``: a drag's readout, in the site's calendar."""
    place = tz_name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{local_text(start, tz_name)} → {local_text(end, tz_name)} ({place})"


class DragController:
    """Turns pyqtgraph mouse events on the blocks item into selection, ghosts and requests."""

    def __init__(self, widget: TimelineWidget) -> None:
        self.widget = widget
        self.drag: _Drag | None = None
        self.ghost: Ghost | None = None
        self._hovered: str | None = None
        self._scene_pos: QPointF | None = None
        self._free = False
        self._ripple = False
        self.scroll_timer = QTimer(widget)
        self.scroll_timer.setInterval(SCROLL_INTERVAL_MS)
        self.scroll_timer.timeout.connect(self._auto_scroll)
        self.draw_from: tuple[str, int, datetime] | None = None

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
        if self._drawing(ev):
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
        self._free = bool(ev.modifiers() & FREE_KEYS)
        self._ripple = bool(ev.modifiers() & RIPPLE_KEY) and len(drag.campaigns) == 1
        self._preview(ev.pos().x(), ev.pos().y(), self._free, self._ripple)
        if ev.isFinish():
            self._finish()
            return
        self._scene_pos = QPointF(ev.scenePos())
        if self._edge_direction() != (0, 0):
            if not self.scroll_timer.isActive():
                self.scroll_timer.start()
        else:
            self.scroll_timer.stop()

    def _edge_direction(self) -> tuple[int, int]:
        """(-1, 0, 1) in time and in rows: which edge of the view the pointer is held at."""
        if self._scene_pos is None:
            return 0, 0
        view = self.widget.view
        local = view.mapFromScene(self._scene_pos)
        rect = view.boundingRect()
        dx = -1 if local.x() < rect.left() + SCROLL_MARGIN_PX else 0
        dx = 1 if local.x() > rect.right() - SCROLL_MARGIN_PX else dx
        dy = -1 if local.y() < rect.top() + SCROLL_MARGIN_PX / 2 else 0
        dy = 1 if local.y() > rect.bottom() - SCROLL_MARGIN_PX / 2 else dy
        return dx, dy

    def _auto_scroll(self) -> None:
        """While the pointer is held at an edge: pan that way and re-preview under the pointer."""
        if not self.active or self._scene_pos is None:
            self.scroll_timer.stop()
            return
        dx, dy = self._edge_direction()
        if (dx, dy) == (0, 0):
            self.scroll_timer.stop()
            return
        view = self.widget.view
        if dx:
            left, right = view.viewRange()[0]
            view.translateBy(x=dx * (right - left) * SCROLL_STEP)
        if dy:
            view.scroll_rows(dy * 0.25)
        point = view.mapSceneToView(self._scene_pos)
        self._preview(point.x(), point.y(), self._free, self._ripple)

    def _drawing(self, ev: MouseDragEvent) -> bool:
        """Alt-drag on an empty part of a bioreactor row draws a maintenance window; True when
        the event belonged to such a drawing."""
        widget = self.widget
        if ev.isStart():
            self.draw_from = None
            down = ev.buttonDownPos()
            if not (ev.modifiers() & DRAW_KEY) or self._campaign_at(down) is not None:
                return False
            spot = widget.spot_at(down)
            if spot is None:
                return False
            self.draw_from = (spot[0], int(down.y()), spot[1])
        if self.draw_from is None:
            return False
        ev.accept()
        bioreactor, row, start = self.draw_from
        zone = widget.service.schedule.time_zone_of(bioreactor)
        end = nearest_local_midnight(from_epoch(ev.pos().x()), zone)
        widget.draw_band.show_span(row, to_epoch(start), to_epoch(end))
        if ev.isFinish():
            widget.draw_band.hide()
            self.draw_from = None
            first, last = sorted((start, end))
            if last > first:
                widget.maintenanceDrawn.emit(bioreactor, first, last)
        return True

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
        under = layout.row_at(y)
        if under is not None and under.kind is RowKind.UNIT:
            return self._refused(drag, under.code)
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
        first = hypothetical[0]
        tz_name = schedule.time_zone_of(first.bioreactor)
        more = f" (+{len(hypothetical) - 1} more)" if len(hypothetical) > 1 else ""
        first_end = add_local_days(first.start, first.duration_days, tz_name)
        span = span_text(first.start, first_end, tz_name)
        readout = f"{first.id} → {first.bioreactor} · {span}{more}"
        return Ghost(
            rects=rects, moves=moves if changed else [], conflicts=conflicts, readout=readout
        )

    def _refused(self, drag: _Drag, unit: str) -> Ghost | None:
        """Over a seed bioreactor or downstream train row: no move, as the service would refuse
        it; the status bar says why (once per row entered)."""
        key = ("refused", unit)
        if key == drag.key:
            return None
        drag.key = key
        role = self.widget.service.schedule.bioreactor(unit).role.value.lower()
        self.widget.statusMessage.emit(
            f"{unit} is a {role} unit; campaigns go on production bioreactors only"
        )
        return Ghost()

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
        noun = "batch" if batches == 1 else "batches"
        readout = f"{campaign.id}: {batches} {noun} · ends {local_text(new_end, tz_name)}"
        return Ghost(
            rects=[(row, to_epoch(campaign.start), to_epoch(new_end))],
            batches=batches,
            conflicts=conflicts,
            readout=readout,
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
        self.scroll_timer.stop()
        self._scene_pos = None
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
        self.scroll_timer.stop()
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
            window = None if campaign else widget.window_at(ev.pos())
            if campaign is not None:
                widget.campaignActivated.emit(campaign.id)
            elif window is not None:
                widget.maintenanceActivated.emit(window)
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
            window = self.widget.window_at(ev.pos())
            key = None if window is None else f"window {window.id}"
            if key != self._hovered:
                schedule = self.widget.service.schedule
                blocks.setToolTip("" if window is None else window_tooltip(schedule, window))
                blocks.unsetCursor()
            self._hovered = key
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
