"""The capacity grid: per suite or per bioreactor, one row per unit and one column per month,
each cell its utilisation. Twenty curves on one chart cannot be told apart; a grid can."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from scheduler_app.capacity import Month, MonthCapacity

_NOTHING_AVAILABLE = QColor("#e4e4e4")
_OVER = QColor("#e8a39d")


def cell_colour(pct: float | None) -> QColor:
    """Grey when nothing is available, white to blue from 0 to 100 %, red above."""
    if pct is None:
        return _NOTHING_AVAILABLE
    if pct > 100.5:
        return _OVER
    share = max(0.0, min(pct, 100.0)) / 100.0
    low, high = (255, 255, 255), (112, 156, 204)
    return QColor(*(round(a + (b - a) * share) for a, b in zip(low, high, strict=True)))


class CapacityGrid(QTableWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("capacityGrid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setTabKeyNavigation(False)  # one Tab stop, as the conflicts table
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(44)
        self.verticalHeader().setDefaultSectionSize(22)

    def show_figures(
        self, figures: dict[str, list[MonthCapacity]], first: Month | None, last: Month | None
    ) -> None:
        """Rows: the units of ``figures``; columns: their months from ``first`` to ``last``
        (every month when either is ``None``)."""
        months = sorted(
            {
                row.month
                for rows in figures.values()
                for row in rows
                if (first is None or row.month >= first) and (last is None or row.month <= last)
            }
        )
        self.clear()
        self.setRowCount(len(figures))
        self.setColumnCount(len(months))
        self.setVerticalHeaderLabels(list(figures))
        self.setHorizontalHeaderLabels([f"{month:%b %y}" for month in months])
        column = {month: index for index, month in enumerate(months)}
        for row_index, rows in enumerate(figures.values()):
            for row in rows:
                if row.month not in column:
                    continue
                pct = row.utilisation_pct
                item = QTableWidgetItem("—" if pct is None else f"{pct:.0f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(cell_colour(pct)))
                item.setForeground(QBrush(QColor("#1d1d1d")))
                item.setToolTip(
                    f"{row.unit} {row.month:%B %Y}: {row.occupied_days:.1f} of "
                    f"{row.available_days:.1f} available days occupied"
                    + (f" ({row.down_days:.1f} days of maintenance taken off)"
                       if row.down_days else "")
                    + f"; {row.booked_litres:,} L booked"
                )  # fmt: skip
                self.setItem(row_index, column[row.month], item)
