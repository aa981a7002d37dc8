"""Headless rendering of the timeline to PNG or PDF: ``python main.py render`` and File → Export
chart. The chart is the same :class:`TimelineWidget` the app shows, drawn offscreen under a title
(range, site, display zone) and above a legend (products, conflict marks, status styles)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler_app.errors import SchedulerError
from scheduler_app.ids import SiteCode

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from ui.timeline import TimelineWidget
    from ui.timeline.source import ScheduleSource

TITLE_PX = 64
SCREEN_DPI = 96
LEGEND_PX = 76
FORMATS = (".png", ".pdf")


def _application() -> QApplication:
    """The running QApplication, or a new one; without a display Qt renders offscreen."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    running = QApplication.instance()
    return running if isinstance(running, QApplication) else QApplication([])


def _quiet_offscreen_noise() -> None:
    """The offscreen platform warns "does not support propagateSizeHints" whenever a widget is
    shown; on the command line that is noise, every other Qt message still reaches stderr."""
    import sys

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        return  # inside the app or a test run: leave its message handling alone

    def handler(mode: Any, context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def render_timeline(
    service: ScheduleSource,
    path: str | os.PathLike[str],
    start: datetime | None = None,
    end: datetime | None = None,
    site: str | None = None,
    size: tuple[int, int] = (2400, 1400),
) -> Path:
    """Draw the timeline of ``service`` from ``start`` to ``end`` (default: all campaigns) for one
    ``site`` or both, into ``path`` (``.png`` or ``.pdf``); returns the path written."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise SchedulerError(f"Cannot render to {target.name}: use a .png or .pdf file name.")
    if site is not None and site not in service.schedule.sites:
        known = ", ".join(sorted(service.schedule.sites))
        raise SchedulerError(f"Unknown site {site!r} (use one of: {known}).")
    _application()
    with _chart(service, start, end, site, size) as chart:
        if suffix == ".png":
            _write_png(chart, target, size)
        else:
            _write_pdf(chart, target, size)
    return target


def render_pages(
    service: ScheduleSource,
    path: str | os.PathLike[str],
    start: datetime | None = None,
    end: datetime | None = None,
    site: str | None = None,
) -> Path:
    """The printed plan as a multi-page A3 landscape PDF (see :mod:`ui.print_plan`): a quarter
    per page across the range (default: every campaign), row labels and legend on every page."""
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise SchedulerError(f"--pages writes a PDF: use a .pdf file name, not {target.name}.")
    _application()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    from ui.print_plan import print_plan

    if start is None or end is None:
        with _chart(service, None, None, site, (2400, 1400)) as chart:
            fitted = chart.visible_range()
        start, end = start or fitted[0], end or fitted[1]
    writer = QPdfWriter(str(target))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A3),
            QPageLayout.Orientation.Landscape,
            QMarginsF(8, 8, 8, 8),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(SCREEN_DPI)
    writer.setTitle("Campaign schedule")
    print_plan(service, writer, start, end, site)
    return target


@contextmanager
def _chart(
    service: ScheduleSource,
    start: datetime | None,
    end: datetime | None,
    site: str | None,
    size: tuple[int, int],
) -> Iterator[TimelineWidget]:
    from PySide6.QtCore import Qt

    from ui.timeline import TimelineWidget

    widget = TimelineWidget(service)
    try:
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.row_px_range = (12.0, 44.0)  # a page has room: taller rows read better
        zone = service.schedule.sites[SiteCode(site)].time_zone if site else "UTC"
        widget.set_display_zone(zone)
        if site:
            widget.set_filter(sites={site})
        widget.resize(size[0], size[1] - TITLE_PX - LEGEND_PX)
        widget.show()
        _application().processEvents()
        if start is None or end is None:
            widget.set_zoom("fit")
            fitted = widget.visible_range()
            start, end = start or fitted[0], end or fitted[1]
        widget.set_visible_range(start, end)
        widget.view.scroll_rows(-len(widget.layout))
        _application().processEvents()
        yield widget
    finally:
        widget.detach()
        widget.close()
        widget.deleteLater()


def _write_png(chart: TimelineWidget, target: Path, size: tuple[int, int]) -> None:
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        _compose(painter, chart, size)
    finally:
        painter.end()
    if not image.save(str(target)):
        raise SchedulerError(f"Cannot write {target}: check the folder exists and is writable.")


def _write_pdf(chart: TimelineWidget, target: Path, size: tuple[int, int]) -> None:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(target))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A3),
            QPageLayout.Orientation.Landscape,
            QMarginsF(8, 8, 8, 8),
            QPageLayout.Unit.Millimeter,
        )
    )
    # The chart is laid out in screen pixels with fonts in points: at the screen's 96 dpi the two
    # keep their proportions (at 200 dpi every label came out twice too large). Vectors and text
    # stay vectors; only the scale of the page coordinates changes.
    writer.setResolution(96)
    writer.setTitle("Campaign schedule")
    painter = QPainter()
    if not painter.begin(writer):
        raise SchedulerError(f"Cannot write {target}: check the folder exists and is writable.")
    try:
        scale = min(writer.width() / size[0], writer.height() / size[1])
        painter.scale(scale, scale)
        _compose(painter, chart, size)
    finally:
        painter.end()


def _compose(painter: QPainter, chart: TimelineWidget, size: tuple[int, int]) -> None:
    from PySide6.QtCore import QRectF

    from ui.timeline.legend import paint_legend, paint_title

    width, height = size
    paint_title(painter, chart, QRectF(0, 0, width, TITLE_PX))
    chart_rect = QRectF(0, TITLE_PX, width, height - TITLE_PX - LEGEND_PX)
    chart.plot.render(painter, chart_rect)
    paint_legend(painter, chart, QRectF(0, height - LEGEND_PX, width, LEGEND_PX))


def _day(text: str | None, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SchedulerError(f"{label} {text!r} is not a date: use YYYY-MM-DD.") from None


def run(args: argparse.Namespace) -> int:
    """``render FILE.png|FILE.pdf [--db …] [--from DATE] [--to DATE] [--site SYR|SDO]``."""
    from scheduler_app.bootstrap import open_store
    from scheduler_app.localtime import start_of_local_date
    from scheduler_app.service import ScheduleService

    output: str | None = args.output
    if not output:
        raise SchedulerError("render needs an output file: FILE.png or FILE.pdf.")
    if Path(output).suffix.lower() not in FORMATS:
        raise SchedulerError(f"Cannot render to {output}: use a .png or .pdf file name.")
    first = _day(args.date_from, "--from")
    last = _day(args.date_to, "--to")
    if first and last and last < first:
        raise SchedulerError(f"--to {last} is before --from {first}.")
    target: str | None = args.db or os.environ.get("SCHEDULER_DB") or None
    site: str | None = args.site
    _quiet_offscreen_noise()
    store = open_store(target)
    try:
        service = ScheduleService(store, scenario=args.scenario or None)
        sites = service.schedule.sites
        zone = sites[SiteCode(site)].time_zone if site and SiteCode(site) in sites else "UTC"
        start = start_of_local_date(first, zone) if first else None
        end = start_of_local_date(last + timedelta(days=1), zone) if last else None
        if start and not end:
            end = start + timedelta(days=365)
        if end and not start:
            start = end - timedelta(days=365)
        if getattr(args, "pages", False):
            written = render_pages(service, output, start, end, site)
        else:
            written = render_timeline(service, output, start, end, site)
    finally:
        store.close()
    print(f"Rendered {written} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    return 0
