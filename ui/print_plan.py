"""The plan on paper for the production meeting: time runs across pages (a quarter per page by
default), each page repeats the row labels, a header (what, where, which dates, page k of n, and
what its counts count) and the legend; rows that do not fit one page continue on the next.

The same painter serves File → Print preview (a ``QPrinter``, page setup in the preview) and
``main.py render FILE.pdf --pages`` (a ``QPdfWriter``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPainter

from scheduler_app.errors import SchedulerError
from ui.timeline.source import ScheduleSource

DAYS_PER_PAGE = 91
SCREEN_DPI = 96.0


def page_spans(start: datetime, end: datetime, days: float) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut into consecutive spans of ``days`` (the last one may be shorter)."""
    if end <= start:
        raise SchedulerError("The print range is empty: its end is not after its start.")
    # Equal pages, about ``days`` each: a year is four quarters, not four and a one-day page.
    total = end - start
    pages = max(1, math.ceil(total / timedelta(days=days) - 0.1))
    step = total / pages
    bounds = [start + step * index for index in range(pages)] + [end]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def print_plan(
    service: ScheduleSource,
    device: QPagedPaintDevice,
    start: datetime,
    end: datetime,
    site: str | None = None,
    days_per_page: float = DAYS_PER_PAGE,
) -> int:
    """Paint the plan from ``start`` to ``end`` on ``device`` (a printer or PDF writer, already
    set up with its page layout) and return the number of pages."""
    from ui.render import LEGEND_PX, TITLE_PX, _chart
    from ui.timeline.legend import paint_legend, paint_title

    paint = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    # Laid out in screen pixels (fonts in points keep their proportions), scaled to the device.
    width = int(paint.width() * SCREEN_DPI / 72.0)
    height = int(paint.height() * SCREEN_DPI / 72.0)
    spans = page_spans(start, end, days_per_page)
    painter = QPainter()
    if not painter.begin(device):
        raise SchedulerError("The printer or PDF file could not be opened for writing.")
    try:
        scale = device.width() / width
        with _chart(service, start, end, site, (width, height)) as chart:
            top, bottom = chart.view.viewRange()[1]
            rows_per_page = max(1.0, math.floor(bottom - top))
            row_pages = max(1, math.ceil(len(chart.layout) / rows_per_page))
            total = row_pages * len(spans)
            number = 0
            for row_page in range(row_pages):
                first_row = row_page * rows_per_page
                for left, right in spans:
                    number += 1
                    if number > 1:
                        device.newPage()
                    chart.set_visible_range(left, right)
                    top = chart.view.viewRange()[1][0]
                    chart.view.scroll_rows(first_row - top)
                    painter.save()
                    painter.scale(scale, scale)
                    page = f"page {number} of {total}"
                    paint_title(painter, chart, QRectF(0, 0, width, TITLE_PX), page)
                    chart_rect = QRectF(0, TITLE_PX, width, height - TITLE_PX - LEGEND_PX)
                    chart.plot.render(painter, chart_rect)
                    paint_legend(painter, chart, QRectF(0, height - LEGEND_PX, width, LEGEND_PX))
                    painter.restore()
            return int(total)
    finally:
        painter.end()
