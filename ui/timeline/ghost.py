"""The ghost a drag shows: where the campaigns would land, coloured by what that would break."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import local_days_between, to_epoch
from scheduler_app.planning.days import local_date
from scheduler_app.planning.ripple import RippleBlockedError, ripple_moves
from scheduler_app.rules.conflict import Conflict, Severity

if TYPE_CHECKING:
    from ui.timeline.widget import TimelineWidget

GHOST_COLOURS = {
    "error": (QColor(214, 39, 40, 90), QColor("#c00000")),
    "warning": (QColor(240, 160, 0, 90), QColor("#b07000")),
    None: (QColor(40, 90, 160, 70), QColor("#1f4f8f")),
}


@dataclass
class Ghost:
    """What a drag would do: one ``(row, start, end)`` rectangle per moving campaign (epoch
    seconds), the worst severity of the conflicts it would create and a short label."""

    rects: list[tuple[int, float, float]] = field(default_factory=list)
    moves: list[tuple[str, datetime, str]] = field(default_factory=list)
    batches: int | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    ripple: bool = False
    refusal: str = ""
    readout: str = ""  # where it would land: "SYR-BR501 · 2027-03-08 → 2027-04-04 (NY)"

    @property
    def severity(self) -> str | None:
        if self.refusal or any(c.severity is Severity.ERROR for c in self.conflicts):
            return "error"
        return "warning" if self.conflicts else None

    @property
    def label(self) -> str:
        """The first conflicts as ``kind: message``, or what the drop would do when clean."""
        head = [self.readout] if self.readout else []
        if self.refusal:
            return "\n".join([*head, _short(self.refusal, 120)])
        if not self.conflicts:
            if self.batches is not None and not self.readout:
                return f"{self.batches} batch{'es' if self.batches != 1 else ''}"
            return "\n".join(head)
        parts = [_labelled(c) for c in self.conflicts[:2]]
        more = len(self.conflicts) - 2
        return "\n".join(head + parts) + (f"\n… {more} more" if more > 0 else "")


def ripple_ghost(
    widget: TimelineWidget, campaign: Campaign, start: datetime, bioreactor: str
) -> Ghost:
    """What a ripple drop would do: the campaign and every following one it pushes, with the
    conflicts they would be in, and a readout ("CMP-0001 → SYR-BR501 · +12 d · pushes 6
    campaigns (last ends 2027-09-14)"); a lock in the way shows as the refusal it will be."""
    schedule = widget.service.schedule
    rows = widget.layout.bioreactor_row
    tz_name = schedule.time_zone_of(bioreactor)
    head = f"{campaign.id} → {bioreactor} · {_days_text(campaign.start, start, tz_name)}"
    try:
        moves = ripple_moves(schedule, campaign.id, start, bioreactor)
    except RippleBlockedError as error:
        row = rows.get(bioreactor)
        end = campaign.end_in(tz_name)
        rects = [] if row is None else [(row, to_epoch(start), to_epoch(end))]
        blocker = schedule.campaigns.get(CampaignId(error.campaign_id))
        status = f" ({blocker.status.value})" if blocker is not None else ""
        readout = f"{head} · refused: {error.campaign_id} is locked{status}"
        return Ghost(rects=rects, ripple=True, refusal=str(error), readout=readout)
    afters = [after for _, after in moves]
    rects = []
    for after in afters:
        row = rows.get(after.bioreactor)
        if row is not None:
            end = after.end_in(schedule.time_zone_of(after.bioreactor))
            rects.append((row, to_epoch(after.start), to_epoch(end)))
    ids = {after.id for after in afters}
    conflicts = [c for c in widget.service.engine.preview(afters) if ids.intersection(c.campaigns)]
    changed = afters[0].start != campaign.start or afters[0].bioreactor != campaign.bioreactor
    return Ghost(
        rects=rects,
        moves=[(str(a.id), a.start, str(a.bioreactor)) for a in afters] if changed else [],
        conflicts=conflicts if changed else [],
        ripple=True,
        readout=f"{head} · {_pushes_text(afters[1:], tz_name)}",
    )


def _days_text(before: datetime, after: datetime, tz_name: str) -> str:
    """``+12 d``, ``-3 d`` or ``+0 d``: how far the drop moves a campaign in the site's days."""
    days = round(local_days_between(before, after, tz_name), 2)
    return f"{days:+g} d"


def _pushes_text(pushed: list[Campaign], tz_name: str) -> str:
    """``pushes 6 campaigns (last ends 2027-09-14)`` or ``pushes nothing``."""
    if not pushed:
        return "pushes nothing"
    last = max(after.end_in(tz_name) for after in pushed)
    noun = "campaign" if len(pushed) == 1 else "campaigns"
    return f"pushes {len(pushed)} {noun} (last ends {local_date(last, tz_name)})"


def _labelled(conflict: Conflict) -> str:
    """``kind: reason`` (the engine's messages may already start with their kind)."""
    text = _short(conflict.message)
    return text if text.startswith(f"{conflict.kind}:") else f"{conflict.kind}: {text}"


def _short(message: str, limit: int = 90) -> str:
    """The reason without the advice: the engine's messages read "what — what to do"."""
    message = message.split(" — ")[0].strip().rstrip(".")
    return message if len(message) <= limit else message[: limit - 1] + "…"


def keep_inside(box: QRectF, anchor: QRectF, visible: QRectF) -> QRectF:
    """Move the label ``box`` (drawn under ``anchor``) so it stays inside ``visible``: left of
    the right edge, right of the left edge, and above the ghost when there is no room below."""
    box = QRectF(box)
    if box.right() > visible.right() - 4:
        box.moveRight(visible.right() - 4)
    if box.left() < visible.left() + 2:
        box.moveLeft(visible.left() + 2)
    if box.bottom() > visible.bottom() - 2:
        box.moveBottom(anchor.top() - 2)
    if box.top() < visible.top() + 2:
        box.moveTop(visible.top() + 2)
    return box


class GhostItem(pg.GraphicsObject):
    """Draws the current :class:`Ghost` above the blocks; invisible when there is no drag."""

    def __init__(self) -> None:
        super().__init__()
        self.ghost: Ghost | None = None
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self.font.setBold(True)
        self._bounds = QRectF()
        self.label_box = QRectF()
        self.setZValue(20)

    def set_ghost(self, ghost: Ghost | None) -> None:
        self.ghost = ghost
        self._fit_bounds()

    def viewTransformChanged(self) -> None:  # noqa: N802 (pyqtgraph hook)
        """The view panned or zoomed: the label keeps inside the view, so its place moves."""
        super().viewTransformChanged()
        if self.ghost and self.ghost.rects:
            self._fit_bounds()

    def _fit_bounds(self) -> None:
        """Bounds of what :meth:`paint` draws: the ghost rectangles and the label box, so a
        drag repaints only the band the ghost leaves and enters, not the whole view."""
        self.prepareGeometryChange()
        ghost = self.ghost
        if not ghost or not ghost.rects:
            self._bounds = QRectF()
            self.update()
            return
        left = min(r[1] for r in ghost.rects)
        right = max(r[2] for r in ghost.rects)
        top = min(r[0] for r in ghost.rects)
        bottom = max(r[0] for r in ghost.rects) + 1
        bounds = QRectF(left, top, right - left, bottom - top)
        transform = self._device_transform()
        inverse, invertible = (QTransform(), False) if transform is None else transform.inverted()
        if transform is None or not invertible:
            # Not on screen yet: the whole view, as the label may go anywhere in it.
            view = self.getViewBox()
            if view is not None:
                bounds = bounds.united(view.viewRect())
        else:
            device = transform.mapRect(bounds)
            box = self._label_box(transform, transform.mapRect(self._anchor(ghost)))
            if box is not None:
                device = device.united(box)
            # Pens reach 2 px outside the rectangles; a pixel more for rounding.
            bounds = inverse.mapRect(device.adjusted(-4.0, -4.0, 4.0, 4.0))
        self._bounds = bounds
        self.update()

    def _device_transform(self) -> QTransform | None:
        """Item to viewport pixels, or None while the view has not been shown."""
        view = self.getViewWidget()
        if view is None:
            return None
        transform: QTransform = QGraphicsItem.deviceTransform(self, view.viewportTransform())
        return None if transform.determinant() == 0 else transform

    @staticmethod
    def _anchor(ghost: Ghost) -> QRectF:
        row, start, end = ghost.rects[0]
        return QRectF(start, row + 0.1, end - start, 0.8)

    def _label_box(self, transform: QTransform, anchor: QRectF) -> QRectF | None:
        """Where the label goes in device pixels: under the first ghost rectangle, kept inside
        the visible view; None without a label."""
        label = self.ghost.label if self.ghost else ""
        if not label:
            return None
        metrics = QFontMetricsF(self.font)
        lines = label.split("\n")
        width = max(metrics.horizontalAdvance(text) for text in lines) + 10
        height = metrics.height() * len(lines) + 6
        box = QRectF(anchor.left(), anchor.bottom() + 2, width, height)
        visible = self._visible_device_rect(transform)
        if visible is not None:
            box = keep_inside(box, anchor, visible)
        return box

    def _visible_device_rect(self, transform: QTransform) -> QRectF | None:
        view = self.getViewBox()
        if view is None:
            return None
        visible: QRectF = transform.mapRect(QRectF(view.viewRect()))
        return visible

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        ghost = self.ghost
        if not ghost or not ghost.rects:
            return
        fill, line = GHOST_COLOURS[ghost.severity]
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(line, 2, Qt.PenStyle.DashLine))
        for row, start, end in ghost.rects:
            painter.drawRect(transform.mapRect(QRectF(start, row + 0.1, end - start, 0.8)))
        box = self._label_box(transform, transform.mapRect(self._anchor(ghost)))
        if box is not None:
            self.label_box = QRectF(box)  # where the label went (device pixels), for tests
            painter.setFont(self.font)
            painter.setPen(QPen(line, 1))
            painter.setBrush(QColor(255, 255, 255, 235))
            painter.drawRect(box)
            painter.setPen(line)
            painter.drawText(
                box.adjusted(5, 3, -5, -3),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                ghost.label,
            )
        painter.restore()
