"""The two axes around the timeline: dates along the top in the chosen display zone, and the fixed
column of row labels on the left (site with its time zone, collapsible suites, bioreactors)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPaintEngine, QPainter, QPen
from PySide6.QtWidgets import QGraphicsSceneWheelEvent

from scheduler_app.localtime import DAY_SECONDS, from_epoch, start_of_local_date, zone
from ui.timeline.overlays import SITE_BAND, SUITE_BAND, UNIT_BAND
from ui.timeline.rows import Row, RowKind, RowLayout
from ui.timeline.view import TimelineViewBox

# Level identifiers double as the "spacing" pyqtgraph hands back to tickStrings.
YEAR, QUARTER, MONTH, WEEK, DAY = 5.0, 4.0, 3.0, 2.0, 1.0
_FORMATS = {YEAR: "%Y", QUARTER: "Q", MONTH: "%b", WEEK: "%d %b", DAY: "%d"}

COLUMNS_KEPT = 4  # row-label columns kept (one per row layout, size and scroll position)
LABEL_CLEARANCE_PX = 44  # about the width of a "29 Mar" tick label
LABEL_GAP_PX = 6.0  # the least room between two date labels
_NOMINAL_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


def workstation_zone() -> str:
    """The IANA name of this computer's zone, falling back to UTC."""
    local = datetime.now().astimezone().tzinfo
    key = getattr(local, "key", None)
    if key:
        return str(key)
    try:
        from pathlib import Path

        link = Path("/etc/localtime").resolve()
        if "zoneinfo" in link.parts:
            return "/".join(link.parts[link.parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    return "UTC"


class DateAxis(pg.AxisItem):
    """Calendar ticks (days, weeks, months, quarters, years) on the wall clock of one zone."""

    def __init__(self, orientation: str = "top") -> None:
        super().__init__(orientation)
        self.zone_name = "UTC"
        self.title = "Dates in UTC"
        self._years = ""
        self._top_spacing: float | None = None  # the coarsest tick level shown, once ticked
        self._strings: dict[tuple[object, ...], list[str]] = {}
        self.enableAutoSIPrefix(False)
        self.setStyle(tickTextOffset=4, autoExpandTextSpace=False)
        self.setHeight(48)
        self.setTextPen(QColor("#222222"))

    def set_zone(self, tz_name: str, title: str | None = None) -> None:
        self.zone_name = tz_name
        self.title = title or f"Dates in {tz_name}"
        self._years = ""
        self.picture = None
        self.update()

    def _show_years(self, start: datetime, end: datetime) -> None:
        """The axis title names the year(s) on screen, so a two-week view still says which year
        it is; it is only touched when the span of years changes."""
        tz = zone(self.zone_name)
        first, last = start.astimezone(tz).year, end.astimezone(tz).year
        years = str(first) if first == last else f"{first}–{last}"
        if years != self._years:
            self._years = years
            self.setLabel(f"{self.title} · {years}")
            self.resizeEvent()  # pyqtgraph centres the title only on a resize

    def tickValues(  # noqa: N802
        self,
        minVal: float,  # noqa: N803
        maxVal: float,  # noqa: N803
        size: float,
    ) -> list[tuple[float, list[float]]]:
        if size <= 0 or maxVal <= minVal:
            return []
        px_per_day = size * DAY_SECONDS / (maxVal - minVal)
        if px_per_day >= 60:
            levels = [(DAY, "day")]
        elif px_per_day >= 16:
            levels = [(WEEK, "week"), (DAY, "day")]
        elif px_per_day >= 2.6:
            levels = [(MONTH, "month"), (WEEK, "week")]
        elif px_per_day >= 0.55:
            levels = [(YEAR, "year"), (MONTH, "month")]
        elif px_per_day >= 0.3:
            levels = [(YEAR, "year"), (QUARTER, "quarter")]
        else:
            levels = [(YEAR, "year")]
        start, end = from_epoch(minVal), from_epoch(maxVal)
        self._show_years(start, end)
        out = []
        taken: list[float] = []
        for spacing, unit in levels:
            # A finer tick whose label would touch a coarser one ("29 Mar" beside "Apr") is
            # dropped; never more than half the finer level's own spacing around each.
            spacing_px = _NOMINAL_DAYS[unit] * px_per_day
            clearance = min(LABEL_CLEARANCE_PX, spacing_px / 2) * DAY_SECONDS / px_per_day
            values = [
                v
                for v in self._boundaries(start, end, unit)
                if not any(abs(v - t) < clearance for t in taken)
            ]
            taken.extend(values)
            out.append((spacing, values))
        return out

    def _boundaries(self, start: datetime, end: datetime, unit: str) -> list[float]:
        tz = zone(self.zone_name)
        first = start.astimezone(tz).date()
        last = end.astimezone(tz).date()
        days: list[date] = []
        if unit in ("day", "week"):
            day = first
            while day <= last:
                if unit == "day" or day.weekday() == 0:
                    days.append(day)
                day += timedelta(days=1)
        else:
            step = {"month": 1, "quarter": 3, "year": 12}[unit]
            month = (first.month - 1) // step * step + 1
            cursor = date(first.year, month, 1)
            while cursor <= last:
                days.append(cursor)
                total = cursor.month - 1 + step
                cursor = date(cursor.year + total // 12, total % 12 + 1, 1)
        return [start_of_local_date(day, self.zone_name).timestamp() for day in days]

    def generateDrawSpecs(self, p: QPainter) -> Any:  # noqa: N802 (pyqtgraph hook)
        """pyqtgraph's ticks and labels, less every label whose text would touch one already
        placed: the levels come coarsest first, so a major label ("Jan 2027") keeps its place
        and the minor one beside it ("28 Dec") is dropped, at any zoom and scale factor."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, tick_specs, kept_labels(text_specs, QFontMetricsF(p.font()))

    def tickStrings(  # noqa: N802
        self, values: list[float], scale: float, spacing: float
    ) -> list[str]:
        # A pan keeps the same ticks: their labels are remembered (strftime is slow).
        long_days = spacing == DAY and len(values) <= 40 and self._px_per_day() >= 60
        key = (self.zone_name, spacing, long_days, tuple(values))
        cached = self._strings.get(key)
        if cached is None:
            if len(self._strings) > 64:
                self._strings.clear()
            cached = self._strings[key] = self._tick_strings(values, spacing, long_days)
        return list(cached)

    def _tick_strings(self, values: list[float], spacing: float, long_days: bool) -> list[str]:
        tz = zone(self.zone_name)
        out = []
        for value in values:
            local = from_epoch(value).astimezone(tz)
            if spacing == QUARTER:
                out.append(f"Q{(local.month - 1) // 3 + 1}")
            elif long_days:
                out.append(local.strftime("%a %d %b"))
            elif spacing == MONTH and local.month == 1:
                out.append(local.strftime("%b %Y"))
            else:
                out.append(local.strftime(_FORMATS.get(spacing, "%Y-%m-%d")))
        if out and spacing == self._top_spacing and spacing != YEAR:
            first = from_epoch(values[0]).astimezone(tz)
            if str(first.year) not in out[0]:
                out[0] = f"{out[0]} {first.year}"  # the year is always on screen
        return out

    def _px_per_day(self) -> float:
        view = self.linkedView()
        if view is None:
            return 0.0
        left, right = view.viewRange()[0]
        return float(self.width() * DAY_SECONDS / max(right - left, 1.0))


def label_rect(rect: QRectF, text: str, metrics: QFontMetricsF) -> QRectF:
    """Where the text of a tick label really goes: pyqtgraph centres it on ``rect`` without
    clipping, and ``rect`` is only an estimate of its size."""
    width = metrics.horizontalAdvance(text)
    height = metrics.height()
    centre = rect.center()
    return QRectF(centre.x() - width / 2, rect.bottom() - height, width, height)


def kept_labels(
    text_specs: list[tuple[QRectF, Any, str]], metrics: QFontMetricsF
) -> list[tuple[QRectF, Any, str]]:
    """The labels, in order, that keep at least ``LABEL_GAP_PX`` from every label kept before."""
    kept: list[tuple[QRectF, Any, str]] = []
    placed: list[QRectF] = []
    for spec in text_specs:
        rect = label_rect(spec[0], spec[2], metrics)
        padded = rect.adjusted(-LABEL_GAP_PX / 2, 0, LABEL_GAP_PX / 2, 0)
        if any(padded.intersects(other) for other in placed):
            continue
        placed.append(padded)
        kept.append(spec)
    return kept


class RowAxis(pg.AxisItem):
    """The fixed left column of row labels, linked to the view's Y range. Clicking a suite row
    toggles its collapse; the wheel over the column scrolls the rows."""

    def __init__(self, on_toggle_suite: Callable[[str], None]) -> None:
        super().__init__("left")
        self.enableAutoSIPrefix(False)  # no title to prefix: else rewritten on every row scroll
        self.layout: RowLayout | None = None
        self.collapsed: set[str] = set()
        self.on_toggle_suite = on_toggle_suite
        self.setWidth(250)
        self.bold = QFont()
        self.bold.setPointSizeF(8.5)
        self.bold.setBold(True)
        self.normal = QFont()
        self.normal.setPointSizeF(8.5)
        self.small = QFont()
        self.small.setPointSizeF(7.5)
        self._metrics = {id(f): QFontMetricsF(f) for f in (self.bold, self.normal, self.small)}
        # The column of the last few row layouts, keyed by what it shows: switching a filter or
        # a suite back draws no label again.
        self._cache: dict[tuple[object, ...], QImage] = {}

    def set_layout(self, layout: RowLayout, collapsed: set[str]) -> None:
        self.layout, self.collapsed = layout, set(collapsed)
        self.update()

    def _row_y(self, index: float) -> float:
        view = self.linkedView()
        return float(self.mapFromScene(view.mapViewToScene(QPointF(0.0, index))).y())

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        """Labels only change with the rows, not with time: on screen (and in PNG renders) the
        column is drawn once per row range and size and then reused while the planner pans in
        time. A PDF gets vector text, drawn directly."""
        view = self.linkedView()
        if self.layout is None or view is None:
            return
        top, bottom = view.viewRange()[1]
        y0, y1 = self._row_y(top), self._row_y(bottom)
        area = QRectF(0.0, min(y0, y1), self.width(), abs(y1 - y0))
        engine = painter.paintEngine()
        if engine is not None and engine.type() == QPaintEngine.Type.Pdf:
            self._paint_rows(painter, area, top, bottom)
            return
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (
            self.layout.rows,
            frozenset(self.collapsed),
            top,
            bottom,
            area.width(),
            area.height(),
            ratio,
        )
        image = self._cache.pop(key, None)
        if image is None:
            image = QImage(
                max(1, math.ceil(area.width() * ratio)),
                max(1, math.ceil(area.height() * ratio)),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(ratio)
            image.fill(0)
            cached = QPainter(image)
            cached.setRenderHints(painter.renderHints())
            cached.translate(-area.left(), -area.top())
            self._paint_rows(cached, area, top, bottom)
            cached.end()
        self._cache[key] = image
        while len(self._cache) > COLUMNS_KEPT:
            del self._cache[next(iter(self._cache))]
        painter.drawImage(area.topLeft(), image)

    def _paint_rows(self, painter: QPainter, area: QRectF, top: float, bottom: float) -> None:
        assert self.layout is not None
        width = area.width()
        painter.setClipRect(area)
        first, last = max(0, int(top)), min(len(self.layout), int(bottom) + 1)
        for index in range(first, last):
            row = self.layout.rows[index]
            y0, y1 = self._row_y(index), self._row_y(index + 1)
            self._paint_row(painter, row, QRectF(0.0, min(y0, y1), width, abs(y1 - y0)))
        painter.setPen(QPen(QColor(0, 0, 0, 90), 1))
        painter.drawLine(QPointF(width - 0.5, area.top()), QPointF(width - 0.5, area.bottom()))

    def _paint_row(self, painter: QPainter, row: Row, rect: QRectF) -> None:
        if row.kind is RowKind.SITE:
            painter.fillRect(rect, SITE_BAND)
            self._label(
                painter,
                rect,
                row.label,
                self.bold,
                QColor("#1b2a41"),
                row.time_zone,
                QColor("#44546a"),
            )
        elif row.kind is RowKind.SUITE:
            painter.fillRect(rect, SUITE_BAND)
            marker = "▸" if row.code in self.collapsed else "▾"
            self._label(
                painter,
                rect,
                f"{marker} {row.label}",
                self.normal,
                QColor("#2b2b2b"),
                row.detail,
                QColor("#666666"),
            )
        elif row.kind is RowKind.UNIT:
            painter.fillRect(rect, UNIT_BAND)
            self._label(
                painter,
                rect.adjusted(22, 0, 0, 0),
                f"◦ {row.label}",
                self.normal,
                QColor("#4a5568"),
                row.detail,
                QColor("#7a8494"),
            )
        else:
            self._label(
                painter,
                rect.adjusted(14, 0, 0, 0),
                row.label,
                self.normal,
                QColor("#111111"),
                row.detail,
                QColor("#666666"),
            )
        painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

    def _label(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        font: QFont,
        colour: QColor,
        detail: str,
        detail_colour: QColor,
    ) -> None:
        """``text`` on the left, ``detail`` right-aligned only if both fit; ``text`` elided."""
        inner = rect.adjusted(6, 0, -6, 0)
        left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        right = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        metrics = self._metrics[id(font)]
        text_width = metrics.horizontalAdvance(text)
        detail_width = self._metrics[id(self.small)].horizontalAdvance(detail) if detail else 0.0
        if detail and text_width + detail_width + 10 <= inner.width():
            painter.setFont(self.small)
            painter.setPen(detail_colour)
            painter.drawText(inner, right, detail)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(inner, left, elided)

    def row_index_at(self, y: float) -> int | None:
        view = self.linkedView()
        if view is None or self.layout is None:
            return None
        scene = self.mapToScene(QPointF(0.0, y))
        index = int(view.mapSceneToView(scene).y() // 1)
        return index if 0 <= index < len(self.layout) else None

    def mouseClickEvent(self, event: MouseClickEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self.layout is None:
            return
        index = self.row_index_at(event.pos().y())
        if index is not None and self.layout.rows[index].kind is RowKind.SUITE:
            event.accept()
            self.on_toggle_suite(self.layout.rows[index].code)

    def wheelEvent(self, event: QGraphicsSceneWheelEvent) -> None:  # noqa: N802
        view = self.linkedView()
        if isinstance(view, TimelineViewBox):
            view.scroll_rows(-event.delta() / 120.0 * 3)
        event.accept()
