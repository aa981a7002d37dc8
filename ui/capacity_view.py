"""The capacity dock: monthly bioreactor utilisation (%) per site and booked litres, following the
schedule as it changes. The numbers come from :mod:`scheduler_app.capacity`; this only draws.

The figures are first computed when the dock is first shown, so a window that never opens it
never pays for them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from scheduler_app.capacity import CapacityTracker, MonthCapacity
from scheduler_app.change_set import ChangeSet
from scheduler_app.schedule import Schedule

SITE_COLOURS = ["#3b6ea5", "#2e9b8f", "#9b6a2e", "#7a5ba6"]
_MONTH_SECONDS = 30.44 * 86_400


def _month_epoch(row: MonthCapacity) -> float:
    """Middle of the month, in epoch seconds (what the date axis plots)."""
    first = datetime(row.month.year, row.month.month, 1, tzinfo=UTC).timestamp()
    return first + _MONTH_SECONDS / 2


class CapacityView(QWidget):
    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schedule = schedule
        self._tracker: CapacityTracker | None = None
        self._dirty = True
        self.figures: dict[str, list[MonthCapacity]] = {}

        self.graphics: pg.GraphicsLayoutWidget | None = None
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._bars: dict[str, pg.BarGraphItem] = {}
        self._ranged = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        self.range_label = QLabel("Months of the timeline's range")
        self.export_button = QPushButton("Export table to Excel…")
        self.export_button.setToolTip("Site, month, available and booked days, utilisation, litres")
        bar.addWidget(self.range_label, 1)
        bar.addWidget(self.export_button)
        self._layout.addLayout(bar)

    def _build_plots(self) -> None:
        """The plots themselves, made on first show (they cost ~0.1 s of window start-up)."""
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("#fbfbfa")
        self.utilisation = self.graphics.addPlot(
            row=0, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)}
        )
        self.litres = self.graphics.addPlot(
            row=0, col=1, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)}
        )
        self.litres.setXLink(self.utilisation)
        for plot, unit in ((self.utilisation, "%"), (self.litres, "L")):
            plot.setLabel("left", units=unit)
            plot.showGrid(x=False, y=True, alpha=0.25)
            plot.setMouseEnabled(x=True, y=False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(52)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen("#444")
                plot.getAxis(axis).setPen("#999")
        self.full_line = pg.InfiniteLine(
            pos=100, angle=0, pen=pg.mkPen("#b3261e", width=1, style=Qt.PenStyle.DashLine)
        )
        self._layout.addWidget(self.graphics)

    @property
    def tracker(self) -> CapacityTracker:
        if self._tracker is None:
            self._tracker = CapacityTracker(self.schedule)
        return self._tracker

    def follow(self, change_set: ChangeSet) -> None:
        """Observer callback: recompute the touched bioreactors; redraw now if shown."""
        self._dirty = True
        if self._tracker is not None:
            touched = change_set.touched_bioreactors
            master = change_set.master_data_changed
            self._tracker.update(touched if touched and not master else None)
        if self.isVisible():
            self.redraw()

    def reload(self) -> None:
        self._dirty = True
        if self._tracker is not None:
            self._tracker.update()
        if self.isVisible():
            self.redraw()

    def showEvent(self, event: Any) -> None:
        """Redraw after the show, never inside it: a grab or paint may be running, and changing
        the scene under a painting view crashes."""
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self._redraw_if_dirty)

    def _redraw_if_dirty(self) -> None:
        if self._dirty and self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        """Draw the current figures. The curves and bars are reused while the sites stay the
        same, so following an edit only swaps their data (and keeps the planner's zoom)."""
        if self.graphics is None:
            self._build_plots()
        self._dirty = False
        self.figures = {str(site): rows for site, rows in self.tracker.by_site().items()}
        sites = [site for site, rows in self.figures.items() if rows]
        if sites != list(self._curves):
            self._rebuild_items(sites)
        width = _MONTH_SECONDS * 0.8 / max(len(sites), 1)
        for index, site in enumerate(sites):
            rows = self.figures[site]
            x = np.array([_month_epoch(row) for row in rows])
            pct = np.array(
                [np.nan if row.utilisation_pct is None else row.utilisation_pct for row in rows]
            )
            self._curves[site].setData(x, pct, connect="finite")
            offset = (index - (len(sites) - 1) / 2) * width
            litres = np.array([row.booked_litres for row in rows], dtype=float)
            self._bars[site].setOpts(x=x + offset, height=litres, width=width)
        if sites and not self._ranged:
            self._ranged = True
            first = min(_month_epoch(self.figures[s][0]) for s in sites)
            last = max(_month_epoch(self.figures[s][-1]) for s in sites)
            self.utilisation.setXRange(first - _MONTH_SECONDS, last + _MONTH_SECONDS, padding=0)

    def _rebuild_items(self, sites: list[str]) -> None:
        self.utilisation.clear()
        self.litres.clear()
        self.utilisation.addItem(self.full_line)
        self._curves.clear()
        self._bars.clear()
        keys = []
        for index, site in enumerate(sites):
            colour = SITE_COLOURS[index % len(SITE_COLOURS)]
            keys.append(f"<span style='color:{colour}'>&#9632; {site}</span>")
            self._curves[site] = self.utilisation.plot(pen=pg.mkPen(colour, width=2))
            bars = pg.BarGraphItem(
                x=[0.0], height=[0.0], width=1.0, brush=colour, pen=pg.mkPen(None)
            )
            self.litres.addItem(bars)
            self._bars[site] = bars
        legend = "&nbsp;&nbsp;".join(keys)
        for plot, title in (
            (self.utilisation, "Bioreactor utilisation per month"),
            (self.litres, "Booked litres per month"),
        ):
            plot.setTitle(
                f"<span style='color:#333'>{title}</span>&nbsp;&nbsp;{legend}", size="9pt"
            )
        self.utilisation.setYRange(0, 115, padding=0)
        self._ranged = False

    def set_range(self, start: datetime, end: datetime) -> None:
        """Show the months between ``start`` and ``end`` (e.g. the timeline's visible range)."""
        if self.graphics is None:
            self._build_plots()
        self._ranged = True
        self.utilisation.setXRange(start.timestamp(), end.timestamp(), padding=0)
        self.range_label.setText(f"Months from {start:%Y-%m} to {end:%Y-%m} (the timeline's range)")

    def table_rows(self) -> list[tuple[str, str, float, float, float | None, int]]:
        """The figures as a table: site, month, available days, occupied days, utilisation %,
        booked litres (every month the tracker knows, sites in order)."""
        rows = []
        for site, months in self.tracker.by_site().items():
            for row in months:
                pct = None if row.utilisation_pct is None else round(row.utilisation_pct, 1)
                rows.append(
                    (str(site), f"{row.month:%Y-%m}", round(row.available_days, 1),
                     round(row.occupied_days, 1), pct, row.booked_litres)
                )  # fmt: skip
        return rows


def export_capacity(view: CapacityView, path: str) -> None:
    """Write the capacity table to an .xlsx file (beside it first, then renamed into place)."""
    import os
    import tempfile

    import xlsxwriter

    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(temporary)
        sheet = book.add_worksheet("Capacity")
        bold = book.add_format({"bold": True})
        headers = ["Site", "Month", "Available days", "Occupied days", "Utilisation %",
                   "Booked litres"]  # fmt: skip
        sheet.write_row(0, 0, headers, bold)
        for number, row in enumerate(view.table_rows(), start=1):
            sheet.write_row(number, 0, row)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(1, len(view.table_rows())), len(headers) - 1)
        sheet.set_column(0, 1, 10)
        sheet.set_column(2, 5, 15)
        book.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
