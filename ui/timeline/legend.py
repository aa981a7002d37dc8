"""Title and legend around a rendered chart (``ui.render``): what range, which site, which zone,
how many conflicts, and what the colours, outlines and hatching mean."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from scheduler_app.ids import SiteCode
from scheduler_app.localtime import to_epoch, zone
from ui.timeline.block_marks import lock_mark
from ui.timeline.blocks_item import ERROR_COLOUR, WARNING_COLOUR
from ui.timeline.overlays import MAINTENANCE_FILL, MAINTENANCE_HATCH, UNAVAILABLE
from ui.timeline.painting import lighter

if TYPE_CHECKING:
    from scheduler_app.rules.conflict import Conflict
    from ui.timeline.widget import TimelineWidget

LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def visible_conflicts(chart: TimelineWidget) -> list[Conflict]:
    """The engine's conflicts on shown bioreactors that overlap the shown time range."""
    left, right = chart.view.viewRange()[0]
    shown = chart.layout.bioreactor_row
    return [
        c
        for c in chart.service.engine.conflicts
        if c.bioreactor in shown and to_epoch(c.end) > left and to_epoch(c.start) < right
    ]


def title_counts(chart: TimelineWidget) -> str:
    """What the header counts, said: campaigns and conflicts in the printed range, then the
    whole schedule's conflicts at the shown sites (the app's status-bar figures)."""
    conflicts = visible_conflicts(chart)
    errors = sum(1 for c in conflicts if c.severity.value == "error")
    left, right = chart.view.viewRange()[0]
    arrays = chart.arrays
    in_range = arrays.in_time_range(left, right)
    shown = int((arrays.row[in_range] >= 0).sum())
    sites = chart.filters.sites
    everything = chart.service.engine.conflicts
    if sites:
        everything = [c for c in everything if c.site in sites]
    all_errors = sum(1 for c in everything if c.severity.value == "error")
    where_counts = "at these sites" if sites else "in the schedule"
    return (
        f"In this range: {shown} campaigns, {errors} errors, {len(conflicts) - errors} warnings "
        f"(all dates {where_counts}: {all_errors} errors, {len(everything) - all_errors} warnings)"
    )


def paint_title(painter: QPainter, chart: TimelineWidget, rect: QRectF, page: str = "") -> None:
    """What, where and when; the counts say what they count (this range vs the whole schedule,
    the same figures as the app's conflicts list and status bar)."""
    schedule = chart.service.schedule
    start, end = chart.visible_range()
    tz = zone(chart.display_zone)
    sites = chart.filters.sites
    if sites:
        where = ", ".join(f"{schedule.sites[SiteCode(s)].name} ({s})" for s in sorted(sites))
    else:
        where = " and ".join(f"{s.name} ({s.code})" for s in schedule.sites_in_order())
    painter.fillRect(rect, QColor("#1b2a41"))
    inner = rect.adjusted(16, 6, -16, -6)
    top = QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.55)
    bottom = QRectF(inner.left(), top.bottom(), inner.width(), inner.height() * 0.45)
    painter.setPen(QColor("white"))
    painter.setFont(_font(14, bold=True))
    painter.drawText(top, LEFT, f"Campaign schedule — {where}")
    painter.setFont(_font(10))
    painter.setPen(QColor("#d0d8e4"))
    span = (
        f"{start.astimezone(tz):%Y-%m-%d} to {end.astimezone(tz):%Y-%m-%d}, "
        f"dates in {chart.display_zone}"
    )
    painter.drawText(bottom, LEFT, span)
    summary = title_counts(chart)
    painter.drawText(bottom, RIGHT, summary)
    stamp = f"printed {datetime.now(UTC):%Y-%m-%d %H:%M} UTC" + (f" · {page}" if page else "")
    painter.drawText(top, RIGHT, stamp)


def paint_legend(painter: QPainter, chart: TimelineWidget, rect: QRectF) -> None:
    """Product swatches (those shown in the range) on the first line, marks on the second."""
    schedule = chart.service.schedule
    arrays = chart.arrays
    left, right = chart.view.viewRange()[0]
    slots = arrays.in_time_range(left, right)
    shown = slots[arrays.row[slots] >= 0]
    used = sorted({arrays.product_codes[int(c)] for c in arrays.colour[shown]})
    painter.fillRect(rect, QColor("#f4f6f9"))
    painter.setPen(QPen(QColor("#b8c2cf"), 1))
    painter.drawLine(rect.topLeft(), rect.topRight())
    font = _font(9)
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    line = rect.height() / 2
    x = rect.left() + 16
    y = rect.top() + line / 2
    for code in used:
        product = schedule.products[code]
        text = f"{code} {product.name} ({product.client})"
        width = 22 + metrics.horizontalAdvance(text) + 18
        if x + width > rect.right() - 16:
            break
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(product.colour))
        painter.drawRect(QRectF(x, y - 6, 16, 12))
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x + 22, y - 10, width, 20), LEFT, text)
        x += width
    x = rect.left() + 16
    y = rect.top() + line * 1.5
    for label, draw in _marks():
        painter.save()
        draw(painter, QRectF(x, y - 7, 26, 14))
        painter.restore()
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x + 32, y - 10, 400, 20), LEFT, label)
        x += 32 + metrics.horizontalAdvance(label) + 24


class LegendStrip(QWidget):
    """The marks' meanings on screen (View → Legend), the same key the printed plan carries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legendStrip")
        self.marks = _marks()
        self.label_font = _font(8.5)
        self.setFixedHeight(24)
        self.setToolTip("What the hatching, padlocks, outlines and borders mean")

    def paint_marks(self, painter: QPainter, rect: QRectF) -> None:
        metrics = QFontMetricsF(self.label_font)
        painter.setFont(self.label_font)
        x, y = rect.left() + 8, rect.center().y()
        for label, draw in self.marks:
            width = 26 + 6 + metrics.horizontalAdvance(label) + 16
            if x + width > rect.right():
                break
            painter.save()
            draw(painter, QRectF(x, y - 6, 24, 12))
            painter.restore()
            painter.setPen(QColor("#222222"))
            painter.drawText(QRectF(x + 30, y - 10, width, 20), LEFT, label)
            x += width

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#f4f6f9"))
        self.paint_marks(painter, QRectF(self.rect()))
        painter.end()


def _marks() -> list[tuple[str, Any]]:
    base = QColor("#4C78A8")

    def filled(painter: QPainter, box: QRectF) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRect(box)

    def tentative(painter: QPainter, box: QRectF) -> None:
        painter.setBrush(lighter(base, 0.55))
        painter.setPen(QPen(QColor(60, 60, 60), 1, Qt.PenStyle.DashLine))
        painter.drawRect(box)

    def locked(painter: QPainter, box: QRectF) -> None:
        filled(painter, box)
        painter.setBrush(QBrush(QColor(0, 0, 0, 80), Qt.BrushStyle.BDiagPattern))
        painter.drawRect(box)
        lock_mark(painter, box.right() - 7, box.center().y())

    def outlined(colour: QColor) -> Any:
        def draw(painter: QPainter, box: QRectF) -> None:
            filled(painter, box)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour, 2))
            painter.drawRect(box.adjusted(1, 1, -1, -1))

        return draw

    def cancelled(painter: QPainter, box: QRectF) -> None:
        faint = QColor(base)
        faint.setAlpha(60)
        painter.setBrush(faint)
        painter.setPen(QPen(QColor(120, 120, 120), 1, Qt.PenStyle.DotLine))
        painter.drawRect(box)

    def maintenance(painter: QPainter, box: QRectF) -> None:
        painter.setPen(QPen(MAINTENANCE_HATCH, 1))
        painter.setBrush(MAINTENANCE_FILL)
        painter.drawRect(box)
        painter.setBrush(QBrush(MAINTENANCE_HATCH, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(box)

    def unavailable(painter: QPainter, box: QRectF) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(UNAVAILABLE)
        painter.drawRect(box)

    def today(painter: QPainter, box: QRectF) -> None:
        painter.setPen(QPen(QColor("#e8590c"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(
            QPointF(box.center().x(), box.top()), QPointF(box.center().x(), box.bottom())
        )

    return [
        ("Planned / Confirmed", filled),
        ("Tentative", tentative),
        ("In progress / Complete (locked)", locked),
        ("Error conflict", outlined(ERROR_COLOUR)),
        ("Warning", outlined(WARNING_COLOUR)),
        ("Cancelled (View → Show cancelled)", cancelled),
        ("Maintenance", maintenance),
        ("Not yet available", unavailable),
        ("Today", today),
    ]
