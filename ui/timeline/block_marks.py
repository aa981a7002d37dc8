"""What goes on top of a block once it is wide enough: turnaround gaps between batches, a lock mark
for In progress/Complete campaigns and the label "PRODUCT ×N" (with the ID when there is room)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import to_epoch
from ui.timeline.blocks import BlockArrays
from ui.timeline.painting import RectBatch, text_colour_on

LABEL_MIN_PX = 34.0
DIVIDER_MIN_PX = 18.0
MAX_LABELS = 2500
SUB_LANE_POINTS = 7.0
"""The smallest label font (about 9 px tall at 96 dpi): a stacked block too low for the usual
label is named in this size, as long as its capitals fit the sub-lane."""


class BlockMarks:
    """Paints dividers, lock marks and labels in device pixels; caches batch boundaries."""

    def __init__(self) -> None:
        self.font = QFont()
        self.font.setPointSizeF(8.0)
        self.metrics = QFontMetricsF(self.font)
        self.tag_font = QFont()
        self.tag_font.setPointSizeF(6.5)
        self.tag_font.setBold(True)
        self.tag_metrics = QFontMetricsF(self.tag_font)
        self.small_font = QFont()
        self.small_font.setPointSizeF(SUB_LANE_POINTS)
        self.small_metrics = QFontMetricsF(self.small_font)
        self._batch = RectBatch()
        self._gaps: dict[str, tuple[Campaign, np.ndarray]] = {}

    def turnarounds(self, arrays: BlockArrays, campaign_id: str) -> np.ndarray:
        """``[(end of batch i, start of batch i+1)]`` in epoch seconds, cached per campaign."""
        campaign = arrays.schedule.campaigns.get(campaign_id)  # type: ignore[call-overload]
        if campaign is None:
            return np.zeros((0, 2))
        cached = self._gaps.get(campaign_id)
        if cached is not None and cached[0] is campaign:
            return cached[1]
        tz_name = arrays.schedule.time_zone_of(campaign.bioreactor)
        batches = campaign.batch_intervals(tz_name)
        gaps = np.array(
            [
                (to_epoch(batches[i][1]), to_epoch(batches[i + 1][0]))
                for i in range(len(batches) - 1)
            ],
            dtype=np.float64,
        ).reshape(-1, 2)
        self._gaps[campaign_id] = (campaign, gaps)
        return gaps

    def paint_dividers(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        sx: float,
        ox: float,
        y: np.ndarray,
        h: np.ndarray,
        lo: float,
        hi: float,
    ) -> None:
        """Turnaround gaps as pale bands with a bright line where each batch ends."""
        if slots.size == 0 or slots.size > 4000:
            return
        gaps = [self.turnarounds(arrays, arrays.ids[slot]) for slot in slots.tolist()]
        counts = np.array([len(gap) for gap in gaps])
        if not counts.any():
            return
        every = np.concatenate(gaps)
        a = np.clip(every[:, 0] * sx + ox, lo, hi)
        b = np.clip(every[:, 1] * sx + ox, lo, hi)
        top_arr, h_arr = np.repeat(y, counts), np.repeat(h, counts)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 150))
        self._batch.draw_rects(painter, a, top_arr, np.maximum(b - a, 1.0), h_arr)
        painter.setBrush(QColor(255, 255, 255, 230))
        self._batch.draw_rects(painter, a, top_arr, np.ones_like(a), h_arr)

    def paint_labels(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slots: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        w: np.ndarray,
        h: np.ndarray,
        locked: np.ndarray,
        fill_of: Callable[[int], QColor],
        faded: np.ndarray,
        view_left: float,
        stacked: np.ndarray | None = None,
    ) -> None:
        """Lock marks and labels on blocks wide enough; a label starts at the view's left edge
        when its block starts off-screen, so a long campaign stays named while panning.
        ``fill_of(i)`` is the fill colour of block ``i``. A ``stacked`` block (one of several
        overlapping campaigns in sub-lanes) is named by its ID first, elided to fit."""
        wide = np.flatnonzero(w >= LABEL_MIN_PX)
        if wide.size == 0 or wide.size > MAX_LABELS:
            return
        painter.setFont(self.font)
        text_h = self.metrics.height()
        align = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        for index in wide.tolist():
            slot = int(slots[index])
            bx, by, bw, bh = float(x[index]), float(y[index]), float(w[index]), float(h[index])
            text_x = max(bx, view_left) + 4.0
            room = bx + bw - text_x - 2.0
            if locked[index]:
                lock_mark(painter, bx + bw - 11.0, by + bh / 2)
                room -= 12.0
            if stacked is not None and stacked[index]:
                self._stacked_label(
                    painter, arrays, slot, text_x, by, room, bh, fill_of(index), faded[index]
                )
                continue
            if bh < text_h - 2:
                continue
            tag = self._purpose_tag(arrays, slot)
            if tag:
                badge = self.tag_metrics.horizontalAdvance(tag) + 6.0
                if badge + 4.0 <= room:
                    self._paint_tag(painter, tag, text_x, by + bh / 2, badge, faded[index])
                    text_x += badge + 4.0
                    room -= badge + 4.0
                    painter.setFont(self.font)
            product = arrays.product_codes[int(arrays.colour[slot])]
            label = f"{product} ×{int(arrays.batches[slot])}"
            full = f"{label}  {arrays.ids[slot]}"
            if self.metrics.horizontalAdvance(full) <= room:
                label = full
            elif self.metrics.horizontalAdvance(label) > room:
                continue
            fill = fill_of(index)
            if not faded[index]:
                # A backing in the block's own colour keeps the label readable where it crosses
                # a pale turnaround gap.
                backing = QColor(fill)
                backing.setAlpha(225)
                advance = self.metrics.horizontalAdvance(label)
                painter.fillRect(QRectF(text_x - 2, by + 1, advance + 4, bh - 2), backing)
            painter.setPen(QColor(90, 90, 90) if faded[index] else text_colour_on(fill))
            painter.drawText(QRectF(text_x, by, room, bh), align, label)

    def stacked_font(self, height: float) -> tuple[QFont, QFontMetricsF] | None:
        """The font a stacked block ``height`` pixels tall is labelled in: the usual one when it
        fits, else the small one while its capitals fit; None below that (illegible)."""
        if height >= self.metrics.height() - 2:
            return self.font, self.metrics
        if height >= self.small_metrics.capHeight():
            return self.small_font, self.small_metrics
        return None

    def stacked_text(
        self, arrays: BlockArrays, slot: int, metrics: QFontMetricsF, room: float
    ) -> str:
        """``CMP-0072 · ABX-201 ×2`` elided to ``room`` pixels; never less than the whole ID
        (blank when even that does not fit)."""
        campaign_id = arrays.ids[slot]
        if metrics.horizontalAdvance(campaign_id) > room:
            return ""
        product = arrays.product_codes[int(arrays.colour[slot])]
        tag = self._purpose_tag(arrays, slot)
        full = f"{campaign_id} · {f'{tag} ' if tag else ''}{product} ×{int(arrays.batches[slot])}"
        if metrics.horizontalAdvance(full) <= room:
            return full
        elided = metrics.elidedText(full, Qt.TextElideMode.ElideRight, room)
        return elided if elided.startswith(campaign_id) else campaign_id

    def _stacked_label(
        self,
        painter: QPainter,
        arrays: BlockArrays,
        slot: int,
        text_x: float,
        by: float,
        room: float,
        bh: float,
        fill: QColor,
        faded: bool,
    ) -> None:
        chosen = self.stacked_font(bh)
        if chosen is None:
            return
        font, metrics = chosen
        label = self.stacked_text(arrays, slot, metrics, room)
        if not label:
            return
        painter.setFont(font)
        if not faded:
            backing = QColor(fill)
            backing.setAlpha(225)
            advance = metrics.horizontalAdvance(label)
            painter.fillRect(QRectF(text_x - 2, by, advance + 4, bh), backing)
        painter.setPen(QColor(90, 90, 90) if faded else text_colour_on(fill))
        align = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        painter.drawText(QRectF(text_x, by, room, bh), align, label)
        painter.setFont(self.font)

    @staticmethod
    def _purpose_tag(arrays: BlockArrays, slot: int) -> str:
        """``ENG``, ``PPQ`` or ``CLN`` for a campaign run for that purpose; blank for Commercial."""
        campaign = arrays.schedule.campaigns.get(arrays.ids[slot])  # type: ignore[call-overload]
        return "" if campaign is None else str(campaign.purpose.tag)

    def _paint_tag(
        self, painter: QPainter, tag: str, x: float, cy: float, width: float, faded: bool
    ) -> None:
        """A small white badge with the purpose tag, left in the block before its label."""
        height = self.tag_metrics.height() + 1.0
        rect = QRectF(x, cy - height / 2, width, height)
        painter.setPen(QPen(QColor(40, 40, 40, 120 if faded else 200), 0.8))
        painter.setBrush(QColor(255, 255, 255, 150 if faded else 235))
        painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.setFont(self.tag_font)
        painter.setPen(QColor(110, 110, 110) if faded else QColor(30, 30, 30))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), tag)


def lock_mark(painter: QPainter, cx: float, cy: float) -> None:
    """A small padlock centred at ``(cx, cy)``: In progress and Complete campaigns are locked."""
    painter.setPen(QPen(QColor(20, 20, 20), 1.2))
    painter.setBrush(QColor(255, 255, 255, 220))
    painter.drawRect(QRectF(cx - 4, cy - 1, 8, 6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath(QPointF(cx - 2.5, cy - 1))
    path.arcTo(QRectF(cx - 2.5, cy - 5, 5, 7), 180, -180)
    painter.drawPath(path)
