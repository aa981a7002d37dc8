"""The capacity dock: monthly bioreactor utilisation (%) and booked litres per site, suite or
bioreactor (the planner's choice), following the schedule as it changes. The numbers come from
:mod:`scheduler_app.capacity`; this only draws.

The figures are first computed when the dock is first shown, so a window that never opens it
never pays for them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from scheduler_app.capacity import CapacityTracker, Level, MonthCapacity, month_of
from scheduler_app.change_set import ChangeSet
from scheduler_app.schedule import Schedule
from ui.capacity_grid import CapacityGrid

SITE_COLOURS = ["#3b6ea5", "#2e9b8f", "#9b6a2e", "#7a5ba6"]
UNIT_COLOURS = SITE_COLOURS + [
    "#c0504d", "#4f8f2f", "#d08b00", "#1f9bcf", "#a3467f", "#6b6b6b", "#8c564b", "#17becf",
]  # fmt: skip
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
        self.level = Level.SITE
        self._range: tuple[datetime, datetime] | None = None

        self.graphics: pg.GraphicsLayoutWidget | None = None
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._bars: dict[str, pg.BarGraphItem] = {}
        self._ranged = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        self.level_box = QComboBox()
        self.level_box.setObjectName("capacityLevel")
        for level in Level:
            self.level_box.addItem(f"Per {level.value.lower()}", level)
        self.level_box.setToolTip(
            "Add up the production bioreactors per site, per suite or show each bioreactor"
        )
        self.level_box.currentIndexChanged.connect(
            lambda _index: self.set_level(Level(self.level_box.currentData()))
        )
        self.range_label = QLabel("Months of the timeline's range")
        self.export_button = QPushButton("Export table to Excel…")
        self.export_button.setToolTip(
            "Per site, suite or bioreactor as chosen: month, available, maintenance and occupied"
            " days, utilisation, litres"
        )
        bar.addWidget(self.level_box)
        bar.addWidget(self.range_label, 1)
        bar.addWidget(self.export_button)
        self._layout.addLayout(bar)
        self.key_label = QLabel()
        self.key_label.setObjectName("capacityKey")
        self.key_label.setWordWrap(True)
        self.key_label.setContentsMargins(6, 0, 6, 0)
        self._layout.addWidget(self.key_label)
        self.grid = CapacityGrid()
        self.grid.hide()
        self._layout.addWidget(self.grid, 1)

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
            whole = change_set.master_data_changed or change_set.maintenance_changed
            self._tracker.update(touched if touched and not whole else None)
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
        self.figures = self.tracker.by_level(self.level)
        on_chart = self.level is Level.SITE
        if self.graphics is not None:
            self.graphics.setVisible(on_chart)
        self.key_label.setVisible(on_chart)
        self.grid.setVisible(not on_chart)
        if not on_chart:
            self._fill_grid()
            return
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
        if sites and self._range is not None and not self._ranged:
            self._ranged = True
            self.utilisation.setXRange(*(when.timestamp() for when in self._range), padding=0)
        elif sites and not self._ranged:
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
            colour = UNIT_COLOURS[index % len(UNIT_COLOURS)]
            keys.append(f"<span style='color:{colour}'>&#9632; {site}</span>")
            self._curves[site] = self.utilisation.plot(pen=pg.mkPen(colour, width=2))
            bars = pg.BarGraphItem(
                x=[0.0], height=[0.0], width=1.0, brush=colour, pen=pg.mkPen(None)
            )
            self.litres.addItem(bars)
            self._bars[site] = bars
        self.key_label.setText(" &nbsp; ".join(keys))
        for plot, title in (
            (self.utilisation, "Utilisation of available bioreactor-days per month"),
            (self.litres, "Booked litres per month"),
        ):
            plot.setTitle(f"<span style='color:#333'>{title}</span>", size="9pt")
        self.utilisation.setYRange(0, 115, padding=0)
        self._ranged = False

    def _fill_grid(self) -> None:
        """Suite and bioreactor levels: the months of the timeline's range, one row per unit."""
        if self._range is None:
            self.grid.show_figures(self.figures, None, None)
            return
        first, last = (month_of(when) for when in self._range)
        self.grid.show_figures(self.tracker.by_level(self.level, first, last), first, last)

    def set_level(self, level: Level) -> None:
        """Add up per site, per suite or show each production bioreactor; the table and its
        export follow."""
        if level is self.level:
            return
        self.level = level
        self.level_box.setCurrentIndex(list(Level).index(level))
        self._dirty = True
        if self.isVisible():
            self.redraw()

    def set_range(self, start: datetime, end: datetime) -> None:
        """Show the months between ``start`` and ``end`` (e.g. the timeline's visible range)."""
        if self.graphics is None:
            self._build_plots()
        self._ranged = True
        self._range = (start, end)
        self.utilisation.setXRange(start.timestamp(), end.timestamp(), padding=0)
        if self.level is not Level.SITE and not self._dirty:
            self._fill_grid()
        self.range_label.setText(f"Months from {start:%Y-%m} to {end:%Y-%m} (the timeline's range)")

    def table_headers(self) -> list[str]:
        """The columns of :meth:`table_rows` (the first names the chosen level)."""
        site = [] if self.level is Level.SITE else ["Site"]
        return [self.level.value, *site, "Month", "Available days", "Maintenance days",
                "Occupied days", "Utilisation %", "Booked litres"]  # fmt: skip

    def table_rows(self) -> list[tuple[str | float | int | None, ...]]:
        """The figures as a table at the chosen level: unit (and its site below site level),
        month, available days (maintenance taken off), maintenance days, occupied days,
        utilisation %, booked litres (every month the tracker knows, units in display order)."""
        rows: list[tuple[str | float | int | None, ...]] = []
        for unit, months in self.tracker.by_level(self.level).items():
            for row in months:
                pct = None if row.utilisation_pct is None else round(row.utilisation_pct, 1)
                site = () if self.level is Level.SITE else (str(row.site),)
                rows.append(
                    (unit, *site, f"{row.month:%Y-%m}", round(row.available_days, 1),
                     round(row.down_days, 1), round(row.occupied_days, 1), pct,
                     row.booked_litres)
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
        headers = view.table_headers()
        rows = view.table_rows()
        sheet.write_row(0, 0, headers, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(1, len(rows)), len(headers) - 1)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, len(headers) - 1, 15)
        book.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
