"""A table model over the conflict engine's current list.

The model adapts, it does not own: after each change it compares the engine's new list with the
rows it shows and removes and inserts only the rows that differ, so a selection or a scroll
position in the panel survives an edit elsewhere in the schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.wording import campaign_list
from scheduler_app.schedule import Schedule
from ui.plain_text import plain_tooltip

COLUMNS = ("Severity", "Kind", "Campaigns", "Bioreactor", "Site", "Start", "End", "Message")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 2
_SEVERITY_COLOURS = {Severity.ERROR: QColor("#b3261e"), Severity.WARNING: QColor("#9a6700")}

AnyIndex = QModelIndex | QPersistentModelIndex


def plain_message(conflict: Conflict) -> str:
    """The message without a leading ``kind:`` (the table shows the kind in its own column)."""
    prefix = f"{conflict.kind}: "
    return (
        conflict.message[len(prefix) :] if conflict.message.startswith(prefix) else conflict.message
    )


class ConflictsModel(QAbstractTableModel):
    def __init__(
        self,
        schedule: Schedule,
        conflicts: Sequence[Conflict] = (),
        icons: dict[Severity, QIcon] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.schedule = schedule
        self.icons = icons or {}
        self._rows: list[Conflict] = list(conflicts)
        self._texts: dict[int, tuple[str, ...]] = {}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def conflict(self, row: int) -> Conflict:
        return self._rows[row]

    def conflicts(self) -> list[Conflict]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row_texts(row)[column]
        if role == SORT_ROLE:
            conflict = self._rows[row]
            if column == 0:
                return 0 if conflict.severity is Severity.ERROR else 1
            if column in (5, 6):
                return (conflict.start if column == 5 else conflict.end).timestamp()
            return self._row_texts(row)[column]
        if role == CONFLICT_ROLE:
            return self._rows[row]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons.get(self._rows[row].severity)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return _SEVERITY_COLOURS[self._rows[row].severity]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._rows[row].message)
        return None

    def _row_texts(self, row: int) -> tuple[str, ...]:
        """The shown texts of a row, made once per conflict (sorting asks for them often)."""
        conflict = self._rows[row]
        key = id(conflict)
        texts = self._texts.get(key)
        if texts is None:
            texts = tuple(self._text(conflict, column) for column in range(len(COLUMNS)))
            self._texts[key] = texts
        return texts

    def _text(self, conflict: Conflict, column: int) -> str:
        if column == 0:
            return "Error" if conflict.severity is Severity.ERROR else "Warning"
        if column == 1:
            return conflict.kind
        if column == 2:
            return campaign_list(conflict.campaigns)
        if column == 3:
            return conflict.bioreactor
        if column == 4:
            return conflict.site
        if column in (5, 6):
            return self._local(conflict, conflict.start if column == 5 else conflict.end)
        return plain_message(conflict)

    def _local(self, conflict: Conflict, instant: datetime) -> str:
        site = self.schedule.sites.get(conflict.site)
        if site is None:
            return instant.strftime("%Y-%m-%d %H:%M UTC")
        wall = utc_to_local_naive(instant, site.time_zone)
        return (
            wall.strftime("%Y-%m-%d") if wall.hour == wall.minute == 0 else f"{wall:%Y-%m-%d %H:%M}"
        )

    def set_conflicts(self, conflicts: Sequence[Conflict]) -> None:
        """Show ``conflicts`` (sorted as the engine sorts them), touching only rows that differ.

        Rows are matched by identity: the engine keeps the conflict objects of bioreactors a
        change did not touch, so this is a linear pass even over thousands of rows; a conflict
        recomputed on a touched bioreactor is replaced (removed and inserted), which is correct.
        """
        new = list(conflicts)
        if len(new) == len(self._rows) and all(
            a is b for a, b in zip(new, self._rows, strict=True)
        ):
            return
        wanted = {id(c) for c in new}
        if len(wanted) != len(new):
            self._reset(new)
            return
        self._remove_rows_not_in(wanted)
        if not self._insert_missing(new):
            self._reset(new)

    def _reset(self, rows: list[Conflict]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._texts.clear()
        self.endResetModel()

    def _remove_rows_not_in(self, wanted: set[int]) -> None:
        row = len(self._rows) - 1
        while row >= 0:
            if id(self._rows[row]) in wanted:
                row -= 1
                continue
            last = row
            while row >= 0 and id(self._rows[row]) not in wanted:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row + 1, last)
            for gone in self._rows[row + 1 : last + 1]:
                self._texts.pop(id(gone), None)
            del self._rows[row + 1 : last + 1]
            self.endRemoveRows()

    def _insert_missing(self, new: list[Conflict]) -> bool:
        """Insert the rows of ``new`` that are not shown yet; ``False`` if the kept rows are not
        in ``new``'s order (then the caller resets)."""
        kept = {id(c) for c in self._rows}
        in_order = [c for c in new if id(c) in kept]
        if len(in_order) != len(self._rows) or any(
            a is not b for a, b in zip(in_order, self._rows, strict=True)
        ):
            return False
        row = 0
        position = 0
        while position < len(new):
            if row < len(self._rows) and self._rows[row] is new[position]:
                row += 1
                position += 1
                continue
            end = position
            while end < len(new) and id(new[end]) not in kept:
                end += 1
            self.beginInsertRows(QModelIndex(), row, row + (end - position) - 1)
            self._rows[row:row] = new[position:end]
            self.endInsertRows()
            row += end - position
            position = end
        return True
