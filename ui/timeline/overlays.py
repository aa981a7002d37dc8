"""The layers under the blocks: row bands, site-local day lines, shading before a site or
bioreactor is available, and hatched maintenance windows. Each is one item painting its layer."""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QTransform

from scheduler_app.localtime import DAY_SECONDS, from_epoch, start_of_local_date, zone
from scheduler_app.localtime import to_epoch as epoch
from scheduler_app.schedule import Schedule
from ui.timeline.painting import exposed_view, paint_exposed
from ui.timeline.rows import RowKind, RowLayout

SITE_BAND = QColor("#dfe5ee")
SUITE_BAND = QColor("#eef1f5")
ODD_BAND = QColor("#fafbfc")
UNIT_BAND = QColor("#f4f1ea")
GRID = QColor(0, 0, 0, 28)
WEEK_GRID = QColor(0, 0, 0, 55)
UNAVAILABLE = QColor(120, 120, 120, 70)
MAINTENANCE_FILL = QColor(110, 110, 110, 60)
MAINTENANCE_HATCH = QColor(60, 60, 60, 150)
DAY_LINES_MIN_PX = 9.0
BANDS = [
    QColor(SITE_BAND),
    QColor(SUITE_BAND),
    QColor(ODD_BAND),
    QColor("#ffffff"),
    QColor(UNIT_BAND),  # seed bioreactor and downstream train rows: derived, not bookable
]
ROW_LINE = QColor(0, 0, 0, 40)


class _ViewLayer(pg.GraphicsObject):
    """A layer that paints whatever part of the view is visible; bounds follow the row count."""

    def __init__(self) -> None:
        super().__init__()
        self.layout: RowLayout | None = None
        self.schedule: Schedule | None = None
        self._bounds = QRectF()
        paint_exposed(self)

    def set_content(self, schedule: Schedule, layout: RowLayout) -> None:
        self.schedule, self.layout = schedule, layout
        self.prepareGeometryChange()
        # Wide enough for any date a planner scrolls to (1990 … 2100), in epoch seconds.
        self._bounds = QRectF(6.3e8, 0.0, 3.5e9, float(max(1, len(layout))))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._bounds)
        return path


class BackgroundItem(_ViewLayer):
    """Row bands (site header, suite summary, alternate bioreactors) and site-local day lines."""

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if self.layout is None:
            return
        view = exposed_view(self, option, painter)
        if view is None:
            return
        first = max(0, int(view.top()))
        last = min(len(self.layout), int(view.bottom()) + 1)
        by_colour: dict[int, list[QRectF]] = {}
        for index in range(first, last):
            kind = self.layout.rows[index].kind
            if kind is RowKind.SITE:
                colour = 0
            elif kind is RowKind.SUITE:
                colour = 1
            elif kind is RowKind.UNIT:
                colour = 4
            else:
                colour = 2 if index % 2 else 3
            by_colour.setdefault(colour, []).append(QRectF(view.left(), index, view.width(), 1.0))
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, rects in by_colour.items():
            painter.setBrush(BANDS[colour])
            painter.drawRects(rects)
        self._paint_day_lines(painter, view)
        # The row lines as one-pixel rectangles in device pixels: Qt strokes a cosmetic line
        # through its path stroker, about ten microseconds each.
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        transform = painter.transform() * QTransform.fromScale(ratio, ratio)
        left, right = sorted((view.left() * transform.m11(), view.right() * transform.m11()))
        left, right = math.floor(left + transform.dx()), math.ceil(right + transform.dx())
        rows = [index * transform.m22() + transform.dy() for index in range(first, last + 1)]
        painter.save()
        painter.resetTransform()
        painter.scale(1 / ratio, 1 / ratio)
        painter.setBrush(ROW_LINE)
        painter.drawRects([QRectF(left, math.floor(y), right - left + 1, 1.0) for y in rows])
        painter.restore()

    def _paint_day_lines(self, painter: QPainter, view: QRectF) -> None:
        """Each site's own local midnights, on that site's rows, when days are wide enough."""
        assert self.layout is not None
        px_per_day = DAY_SECONDS / max(self.pixelWidth(), 1e-9)
        if px_per_day < DAY_LINES_MIN_PX:
            return
        for begin, end in self.layout.site_rows.values():
            tz_name = self.layout.rows[begin].time_zone
            first = from_epoch(view.left()).astimezone(zone(tz_name)).date()
            last = from_epoch(view.right()).astimezone(zone(tz_name)).date()
            days, mondays = _midnights(tz_name, first, last)
            top, bottom = float(begin + 1), float(end)
            for values, colour in ((days, GRID), (mondays, WEEK_GRID)):
                painter.setPen(QPen(colour, 0))
                painter.drawLines([QLineF(x, top, x, bottom) for x in values])


@lru_cache(maxsize=32)
def _midnights(tz_name: str, first: date, last: date) -> tuple[list[float], list[float]]:
    """Local midnights from ``first`` to ``last`` (epoch seconds), other days and Mondays apart;
    cached, because a drag repaints the same days many times."""
    days: list[float] = []
    mondays: list[float] = []
    day = first
    while day <= last:
        (mondays if day.weekday() == 0 else days).append(epoch(start_of_local_date(day, tz_name)))
        day += timedelta(days=1)
    return days, mondays


class UnavailableItem(_ViewLayer):
    """Shades each bioreactor row before its (or its site's) available-from date."""

    def __init__(self) -> None:
        super().__init__()
        self._until: list[tuple[int, float]] = []

    def set_content(self, schedule: Schedule, layout: RowLayout) -> None:
        # Each row's first available instant, once per layout: paint runs on every drag move.
        self._until = [
            (index, epoch(start_of_local_date(row.available_from, row.time_zone)))
            for index, row in enumerate(layout.rows)
            if row.available_from is not None and row.kind is not RowKind.SITE
        ]
        super().set_content(schedule, layout)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if self.layout is None:
            return
        view = exposed_view(self, option, painter)
        if view is None:
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(UNAVAILABLE)
        for index, until in self._until:
            if until <= view.left() or index + 1 < view.top() or index > view.bottom():
                continue
            painter.drawRect(QRectF(view.left(), index, until - view.left(), 1.0))


class MaintenanceItem(_ViewLayer):
    """Hatched maintenance windows; a site or suite window spans every row it takes down."""

    def __init__(self) -> None:
        super().__init__()
        self.font = QFont()
        self.font.setPointSizeF(7.5)

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        if self.layout is None or self.schedule is None:
            return
        view = exposed_view(self, option, painter)
        if view is None:
            return
        transform = painter.transform()
        hatch = QBrush(MAINTENANCE_HATCH, Qt.BrushStyle.BDiagPattern)
        labels: list[tuple[QRectF, str]] = []
        for window in self.schedule.maintenance:
            start, end = epoch(window.start), epoch(window.end)
            if end <= view.left() or start >= view.right():
                continue
            rows = self.layout.rows_of_scope(window.site, window.suite, window.bioreactor)
            for first, last in _runs(rows):
                rect = QRectF(start, first, end - start, last - first + 1)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.fillRect(rect, MAINTENANCE_FILL)
                device = transform.mapRect(rect)
                labels.append((device, window.reason))
                painter.save()
                painter.resetTransform()
                painter.setBrush(hatch)
                painter.setPen(QPen(MAINTENANCE_HATCH, 1))
                painter.drawRect(device.adjusted(0.5, 0.5, -0.5, -0.5))
                painter.restore()
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        painter.setPen(QColor("#333333"))
        for device, reason in labels:
            if device.width() > painter.fontMetrics().horizontalAdvance(reason) + 8:
                band = QRectF(device.left(), device.top(), device.width(), 14)
                painter.fillRect(band, QColor(255, 255, 255, 200))
                painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), reason)
        painter.restore()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row indexes grouped into ``(first, last)`` runs."""
    out: list[tuple[int, int]] = []
    for index in sorted(rows):
        if out and index == out[-1][1] + 1:
            out[-1] = (out[-1][0], index)
        else:
            out.append((index, index))
    return out
