"""What File → Print preview prints: the timeline's visible range, the whole plan, or typed dates.

The choice sits above the preview's pages; changing it repaints the preview, so the page count and
the dates in each page's header follow at once. Dates are whole days in the zone the printed pages
state in their header (the site's when one site is shown, else UTC).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from scheduler_app.campaigns import Status
from scheduler_app.ids import SiteCode
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.schedule import Schedule
from ui.date_field import DateField

if TYPE_CHECKING:
    from ui.main_window import MainWindow

VISIBLE, WHOLE, DATES = "visible", "whole", "dates"
MAX_DAYS = 3660
"""Ten years: a longer typed range is a typing slip (year 202 for 2027), not 40+ pages."""


def print_zone(schedule: Schedule, site: str | None) -> str:
    """The zone the printed pages give their dates in (as ``ui.render`` lays them out)."""
    return schedule.sites[SiteCode(site)].time_zone if site else "UTC"


def whole_plan_range(schedule: Schedule, site: str | None) -> tuple[datetime, datetime] | None:
    """From the start of the day the first campaign starts to the end of the day the last one
    ends (cancelled campaigns left out, one site's only when ``site``), in the print zone;
    ``None`` when there is nothing to print."""
    tz_name = print_zone(schedule, site)
    spans = [
        (campaign.start, schedule.campaign_end(campaign))
        for campaign in schedule.campaigns.values()
        if campaign.status is not Status.CANCELLED
        and (site is None or schedule.site_of(campaign.bioreactor).code == site)
    ]
    if not spans:
        return None
    first = utc_to_local_naive(min(start for start, _ in spans), tz_name).date()
    last = utc_to_local_naive(max(end for _, end in spans), tz_name)
    last_day = last.date() if last.time() == datetime.min.time() else last.date() + timedelta(1)
    return start_of_local_date(first, tz_name), start_of_local_date(last_day, tz_name)


class PrintRange(QWidget):
    """Radio buttons for the three ranges and the two typed dates. ``changed`` fires when the
    range to print is different (never while a typed date is not a date, or ends before it
    starts: :meth:`problem` says so instead)."""

    changed = Signal()

    def __init__(
        self,
        visible: tuple[datetime, datetime],
        whole: tuple[datetime, datetime] | None,
        tz_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printRange")
        self.visible = visible
        self.whole = whole
        self.tz_name = tz_name
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Print:"))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, text in (
            (VISIBLE, f"&Visible range ({self._days(*visible)})"),
            (WHOLE, "&Whole plan" + (f" ({self._days(*whole)})" if whole else " (empty)")),
            (DATES, "&Dates:"),
        ):
            button = QRadioButton(text)
            button.setObjectName(f"printRange_{key}")
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        self.buttons[WHOLE].setEnabled(whole is not None)
        self.first = DateField()
        self.last = DateField()
        self.first.setObjectName("printFrom")
        self.last.setObjectName("printTo")
        days = self._local_days(*(whole or visible))
        self.first.setDate(QDate(days[0].year, days[0].month, days[0].day))
        self.last.setDate(QDate(days[1].year, days[1].month, days[1].day))
        layout.addWidget(self.first)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.last)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("printRangeProblem")
        self.problem_label.setStyleSheet("color: #a61e1e;")
        layout.addWidget(self.problem_label, 1)
        self.buttons[VISIBLE].setChecked(True)
        self._shown = self.span()
        self.group.buttonToggled.connect(self._toggled)
        # Typed dates repaint once the typing pauses or the field is left, not per keystroke.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(500)
        self._typing.timeout.connect(self._typed)
        for field in (self.first, self.last):
            field.dateChanged.connect(lambda _day: self._typing.start())
            field.edited.connect(self._show_problem)
            field.line.editingFinished.connect(self._typed)
        self._enable_dates()

    def _days(self, start: datetime, end: datetime) -> str:
        first, last = self._local_days(start, end)
        return f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"

    def _local_days(self, start: datetime, end: datetime) -> tuple[date, date]:
        """The first and last day ``[start, end)`` touches, in the print zone."""
        last = utc_to_local_naive(end, self.tz_name)
        last_day = last.date() - timedelta(1) if last.time() == datetime.min.time() else last.date()
        return utc_to_local_naive(start, self.tz_name).date(), max(last_day, start.date())

    def choice(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())

    def choose(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def problem(self) -> str:
        """Why the typed dates cannot be printed ("" when they can, or are not chosen)."""
        for field, name in ((self.first, "From"), (self.last, "To")):
            if field.problem():
                return f"{name}: {field.problem()}"
        if self.last.pydate() < self.first.pydate():
            return f"To {self.last.pydate()} is before From {self.first.pydate()}"
        if (self.last.pydate() - self.first.pydate()).days > MAX_DAYS:
            return "More than ten years: check the years typed"
        return ""

    def span(self) -> tuple[datetime, datetime]:
        """``[start, end)`` to print: the chosen range, or the last printable one while the typed
        dates have a problem."""
        choice = self.choice()
        if choice == WHOLE and self.whole is not None:
            return self.whole
        if choice == DATES and not self.problem():
            start = start_of_local_date(self.first.pydate(), self.tz_name)
            end = start_of_local_date(self.last.pydate() + timedelta(1), self.tz_name)
            return start, end
        if choice == DATES:
            return self._shown
        return self.visible

    def _enable_dates(self) -> None:
        on = self.choice() == DATES
        self.first.setEnabled(on)
        self.last.setEnabled(on)
        self._show_problem()

    def _show_problem(self) -> None:
        self.problem_label.setText(self.problem() if self.choice() == DATES else "")

    def _toggled(self, _button: QRadioButton, on: bool) -> None:
        if on:
            self._maybe_changed()

    def _typed(self) -> None:
        self._typing.stop()
        self._show_problem()
        if self.choice() == DATES:
            self._maybe_changed()

    def _maybe_changed(self) -> None:
        self._enable_dates()
        span = self.span()
        if span != self._shown:
            self._shown = span
            self.changed.emit()


class PlanPreview(QPrintPreviewDialog):
    """The preview with the range choice above it. It keeps its printer alive (Qt does
    not own it, and a collected printer crashes the next repaint) and repaints after a change of
    range from the event loop, never inside a paint: laying the pages out processes events, and a
    second paint started there on the same printer crashes."""

    def __init__(self, printer: QPrinter, chooser: PrintRange, parent: QWidget) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewWidget

        super().__init__(printer, parent)
        self.kept_printer = printer
        self.print_range = chooser
        self.painting = False
        self.setWindowTitle("Print preview — campaign schedule")
        layout = self.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, chooser)  # the layout holds the preview (toolbar and pages)
        self._preview = self.findChild(QPrintPreviewWidget)
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(0)
        self._repaint.timeout.connect(self._update)
        chooser.changed.connect(self._repaint.start)

    def preview_widget(self) -> QWidget | None:
        return self._preview

    def _update(self) -> None:
        if self.painting:
            self._repaint.start(50)
        elif self._preview is not None:
            self._preview.updatePreview()


def open_print_preview(window: MainWindow) -> PlanPreview:
    """File → Print preview: the range choice above the pages (visible range first, a quarter
    per page, a shorter visible range on one page), page setup in the preview; printing to a
    PDF file gives the multi-page PDF."""
    from ui.print_plan import DAYS_PER_PAGE, SCREEN_DPI, print_plan

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    # The pages are laid out in screen pixels with fonts in points (as ``render --pages`` does at
    # 96 dpi): at the printer's 1200 dpi every label came out twelve times too large, spilling
    # off the page. Text and vectors stay vectors; only the page's coordinates change.
    printer.setResolution(int(SCREEN_DPI))
    # A3 landscape, as ``render --pages``: the header and legend are laid out for it (on A4 the
    # page number overlaps a long title); page setup in the preview changes it.
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName("Campaign schedule")
    sites = window.site_filter
    one_site = next(iter(sites)) if sites is not None and len(sites) == 1 else None
    schedule = window.service.schedule
    chooser = PrintRange(
        window.timeline.visible_range(),
        whole_plan_range(schedule, one_site),
        print_zone(schedule, one_site),
    )
    dialog = PlanPreview(printer, chooser, window)

    def paint(device: QPrinter) -> None:
        start, end = chooser.span()
        days: float = DAYS_PER_PAGE
        if chooser.choice() == VISIBLE:
            days = min(DAYS_PER_PAGE, max(1.0, (end - start).total_seconds() / 86400))
        dialog.painting = True
        # While the pages are laid out (which processes events) the preview's old page items
        # still point at the pictures this paint has just discarded: a repaint of the preview
        # then would draw freed memory. It repaints once the new pages are in place.
        # (The whole dialog: the top-level repaint paints a child whose own updates are off.)
        dialog.setUpdatesEnabled(False)
        try:
            print_plan(window.service, device, start, end, one_site, days)
        finally:
            dialog.painting = False
            dialog.setUpdatesEnabled(True)

    dialog.paintRequested.connect(paint)
    return dialog
