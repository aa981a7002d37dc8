"""Another plan drawn under the blocks: dashed outlines where Live has each campaign (while a
scenario is shown) and thin baseline bars where a published version had it. One item paints
every mark of its layer, culled to the visible rows and time with numpy."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import to_epoch
from scheduler_app.schedule import Schedule
from ui.timeline.painting import exposed_view, paint_exposed
from ui.timeline.rows import RowLayout

OUTLINE = QColor("#6741d9")
BASELINE = QColor(40, 40, 40, 170)


class ReferenceLayer(pg.GraphicsObject):
    """``style`` is ``"outline"`` (a dashed box at the other plan's position, on its row) or
    ``"baseline"`` (a thin bar at the foot of the row). Set it with :meth:`set_plan`; an empty
    plan draws nothing."""

    def __init__(self, style: str) -> None:
        super().__init__()
        self.style = style
        self._starts = np.empty(0)
        self._ends = np.empty(0)
        self._rows = np.empty(0)
        self._bounds = QRectF()
        paint_exposed(self)
        self.plan: Mapping[CampaignId, Campaign] = {}

    def set_plan(
        self,
        plan: Mapping[CampaignId, Campaign],
        reference: Schedule,
        layout: RowLayout,
        only: set[CampaignId] | None = None,
    ) -> None:
        """``plan``'s campaigns placed with ``reference``'s calendars on ``layout``'s rows;
        ``only`` limits the marks to those campaigns (e.g. the ones that differ)."""
        self.plan = plan
        starts, ends, rows = [], [], []
        for key, campaign in plan.items():
            if only is not None and key not in only:
                continue
            row = layout.bioreactor_row.get(campaign.bioreactor)
            if row is None or campaign.bioreactor not in reference.bioreactors:
                continue
            starts.append(to_epoch(campaign.start))
            ends.append(to_epoch(reference.campaign_end(campaign)))
            rows.append(row)
        order = np.lexsort((np.asarray(starts, dtype=float), np.asarray(rows, dtype=float)))
        self._starts = np.asarray(starts, dtype=float)[order]
        self._ends = np.asarray(ends, dtype=float)[order]
        self._rows = np.asarray(rows, dtype=float)[order]
        self.prepareGeometryChange()
        self._bounds = QRectF(6.3e8, 0.0, 3.5e9, float(max(1, len(layout))))
        self.update()

    def clear(self) -> None:
        self.plan = {}
        self._starts = self._ends = self._rows = np.empty(0)
        self.update()

    @property
    def count(self) -> int:
        return int(self._starts.size)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        view = exposed_view(self, option, painter)
        if view is None or not self._starts.size:
            return
        visible = (
            (self._ends > view.left())
            & (self._starts < view.right())
            & (self._rows + 1 > view.top())
            & (self._rows < view.bottom())
        )
        if not visible.any():
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        starts = self._starts[visible] * transform.m11() + transform.dx()
        ends = self._ends[visible] * transform.m11() + transform.dx()
        rows = self._rows[visible]
        if self.style == "outline":
            pen = QPen(OUTLINE, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            top, height = 0.1, 0.8
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(BASELINE))
            top, height = 0.84, 0.12
            # Bars that touch on screen are one run: at a fit-all zoom thousands of bars become
            # a few hundred rectangles (sorted by row then start when the plan was set).
            starts, ends, rows = _merged_runs(starts, ends, rows)
        scale, shift = transform.m22(), transform.dy()
        pixel_height = abs(height * scale)
        if self.style == "baseline":
            pixel_height = max(pixel_height, 4.0)
        # The view may run rows downwards (a negative scale): take the upper edge either way.
        edge = top if scale >= 0 else top + height
        tops = (rows + edge) * scale + shift
        if self.style == "baseline":
            # One path of flat, thick horizontal strokes built in C from the arrays: no Python
            # object per bar (10,000 QRectF cost more than the rest of the paint).
            xs = np.empty(starts.size * 2)
            xs[0::2], xs[1::2] = starts, np.maximum(ends, starts + 1.0)
            ys = np.repeat(tops + pixel_height / 2, 2)
            connect = np.zeros(xs.size, dtype=np.int32)
            connect[0::2] = 1
            pen = QPen(BASELINE, pixel_height)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.strokePath(pg.arrayToQPath(xs, ys, connect=connect), pen)
        else:
            rects = [
                QRectF(x0, y, max(x1 - x0, 1.0), pixel_height)
                for x0, x1, y in zip(starts.tolist(), ends.tolist(), tops.tolist(), strict=True)
            ]
            painter.drawRects(rects)
        painter.restore()


def _merged_runs(
    starts: np.ndarray, ends: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel intervals sorted by (row, start) merged where they touch (within half a pixel)."""
    if starts.size < 2:
        return starts, ends, rows
    span = float(max(ends.max(), starts.max()) - min(starts.min(), ends.min())) + 10.0
    offset = rows * span
    reach = np.maximum.accumulate(ends + offset)
    new_run = np.empty(starts.size, dtype=bool)
    new_run[0] = True
    new_run[1:] = (starts[1:] + offset[1:] > reach[:-1] + 0.5) | (rows[1:] != rows[:-1])
    first = np.flatnonzero(new_run)
    run_ends = np.maximum.reduceat(ends, first)
    return starts[first], run_ends, rows[first]


def differing_campaigns(
    plan: Mapping[CampaignId, Campaign], shown: Mapping[CampaignId, Campaign]
) -> set[CampaignId]:
    """Campaigns whose place in ``plan`` differs from the one shown (or are not shown)."""
    out = set()
    for key, campaign in plan.items():
        now = shown.get(key)
        if now is None or (
            now.start,
            now.bioreactor,
            now.batches,
            now.batch_days,
            now.turnaround_days,
        ) != (
            campaign.start,
            campaign.bioreactor,
            campaign.batches,
            campaign.batch_days,
            campaign.turnaround_days,
        ):
            out.add(key)
    return out
