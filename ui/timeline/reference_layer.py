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
        self._starts = np.asarray(starts, dtype=float)
        self._ends = np.asarray(ends, dtype=float)
        self._rows = np.asarray(rows, dtype=float)
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
        view = self.viewRect()
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
        if self.style == "outline":
            pen = QPen(OUTLINE, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            top, height = 0.1, 0.8
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(BASELINE))
            top, height = 0.84, 0.12
        rects = [
            transform.mapRect(QRectF(start, row + top, end - start, height))
            for start, end, row in zip(
                self._starts[visible], self._ends[visible], self._rows[visible], strict=True
            )
        ]
        if self.style == "baseline":
            rects = [rect.adjusted(0, 0, 0, max(0.0, 4.0 - rect.height())) for rect in rects]
        painter.drawRects(rects)
        painter.restore()
