"""``HistoryModel``: a table model over audit lines (``scheduler_app.audit_query.AuditLine``).

The model adapts, it does not own: the panel hands it the lines a query returned. Entries arrive
newest first, so a change committed since the last look is inserted at the top
(``beginInsertRows``) and the rows a planner is reading stay where they are; any other change of
the list (new filters, another campaign) is a reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from scheduler_app.audit_query import AuditLine
from ui.plain_text import plain_tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = [
    "When (site)",
    "When (UTC)",
    "Who",
    "Action",
    "Campaign",
    "Field",
    "Old → new",
    "Source",
    "Change set",
    "Reason",
]
WHEN_LOCAL, WHEN_UTC, WHO, ACTION, WHAT, FIELD, CHANGE, SOURCE, CHANGE_SET, REASON = range(10)
_VALUE_CHARS = 60
LineRole = Qt.ItemDataRole.UserRole + 1


def _short(text: str | None) -> str:
    if text is None:
        return "—"
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def change_text(line: AuditLine) -> str:
    """``old → new`` for a field; the whole record for a creation or deletion."""
    entry = line.entry
    if entry.field is None and entry.old is None:
        return _short(line.new)
    if entry.field is None and entry.new is None:
        return _short(line.old)
    return f"{_short(line.old)} → {_short(line.new)}"


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[AuditLine] = []

    def set_lines(self, lines: Sequence[AuditLine]) -> None:
        """Show ``lines`` (newest first); lines added on top of the current ones are inserted."""
        lines = list(lines)
        old = self.lines
        added = len(lines) - len(old)
        if old and added > 0 and _same(lines[added:], old):
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self.lines = lines
            self.endInsertRows()
            return
        if _same(lines, old):
            return
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def prepend(self, lines: Sequence[AuditLine], limit: int | None = None) -> None:
        """Put newer ``lines`` on top, keeping at most ``limit`` rows (the oldest go)."""
        if lines:
            self.beginInsertRows(QModelIndex(), 0, len(lines) - 1)
            self.lines = [*lines, *self.lines]
            self.endInsertRows()
        if limit is not None and len(self.lines) > limit:
            self.beginRemoveRows(QModelIndex(), limit, len(self.lines) - 1)
            del self.lines[limit:]
            self.endRemoveRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltip(line, column))
        if role == LineRole:
            return line
        return None

    @staticmethod
    def _display(line: AuditLine, column: int) -> str | None:
        entry = line.entry
        if column == WHEN_LOCAL:
            if line.local is None or line.site is None:
                return "—"
            return f"{line.local:%Y-%m-%d %H:%M} {line.site}"
        if column == WHEN_UTC:
            return f"{line.utc:%Y-%m-%d %H:%M}"
        values = {
            WHO: entry.user,
            ACTION: entry.action,
            WHAT: line.what,
            FIELD: line.field,
            CHANGE: change_text(line),
            SOURCE: entry.source,
            REASON: entry.reason or "",
            CHANGE_SET: entry.change_set[:8],
        }
        return values.get(column)

    @staticmethod
    def _tooltip(line: AuditLine, column: int) -> str | None:
        entry = line.entry
        if column == CHANGE:
            where = f" (times at {line.site})" if line.site else ""
            return (
                f"Old{where}: {line.old if line.old is not None else '—'}\n"
                f"New{where}: {line.new if line.new is not None else '—'}\n"
                f"As recorded: {entry.old or '—'} → {entry.new or '—'}"
            )
        if column == CHANGE_SET:
            return f"Change set {entry.change_set} (rows written by one action share it)"
        if column == WHEN_LOCAL and line.site is not None:
            return f"Site-local wall clock at {line.site}"
        if column == REASON and entry.reason:
            return entry.reason
        return None


def _same(a: Sequence[AuditLine], b: Sequence[AuditLine]) -> bool:
    return len(a) == len(b) and all(x == y for x, y in zip(a, b, strict=True))
