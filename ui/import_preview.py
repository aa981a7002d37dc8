"""The import preview: what the workbook would change, and the conflicts the result would have.

Tables are read-only adapters over the core's ``ChangeSetPreview``; toggling "Delete campaigns
missing from the workbook" recomputes the preview (the conflicts depend on it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.campaigns import Campaign
from scheduler_app.excel import ChangeSetPreview, ImportIssue, compute_changes
from scheduler_app.excel.changes import merged_schedule
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule
from ui.conflicts_model import ConflictsModel
from ui.plain_text import plain_labels, plain_tooltip

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex
CAMPAIGN_COLUMNS = ["Campaign", "Product", "Bioreactor", "Start (site-local)", "Batches", "Status"]


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of core objects; ``cells`` turns one into its texts."""

    def __init__(
        self,
        headers: Sequence[str],
        items: Sequence[T],
        cells: Callable[[T], Sequence[str]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.items = list(items)
        self._texts = [list(cells(item)) for item in self.items]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._texts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        text = self._texts[index.row()][index.column()]
        return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1


def campaign_cells(schedule: Schedule) -> Callable[[Campaign], list[str]]:
    def cells(campaign: Campaign) -> list[str]:
        start = campaign.start.strftime("%Y-%m-%d %H:%M UTC")
        if campaign.bioreactor in schedule.bioreactors:
            site = schedule.site_of(campaign.bioreactor)
            local = utc_to_local_naive(campaign.start, site.time_zone)
            start = f"{local:%Y-%m-%d %H:%M} ({site.code})"
        return [
            campaign.id,
            campaign.product,
            campaign.bioreactor,
            start,
            str(campaign.batches),
            campaign.status.value,
        ]

    return cells


def issue_cells(issue: ImportIssue) -> list[str]:
    value = "" if issue.value is None else str(issue.value)
    return [issue.sheet, str(issue.row or ""), issue.column, value, issue.message]


def change_rows(preview: ChangeSetPreview) -> list[tuple[str, str, str, str]]:
    """One row per changed field: campaign, field, old, new."""
    return [
        (diff.campaign_id, change.field, change.old, change.new)
        for diff in preview.changed
        for change in diff.fields
    ]


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.resizeColumnsToContents()
    return view


class ImportPreviewDialog(QDialog):
    """Shows the change set; ``delete_missing`` is the planner's choice when accepted."""

    def __init__(
        self,
        file_name: str,
        current: Schedule,
        incoming: Schedule,
        warnings: Sequence[ImportIssue],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.current, self.incoming = current, incoming
        self.warnings = list(warnings)
        self.setWindowTitle(f"Import {file_name}")
        self.resize(980, 560)
        self.summary = QLabel()
        plain_labels(self.summary)
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.delete_missing = QCheckBox()
        self.delete_missing.toggled.connect(self._recompute)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.delete_missing)
        layout.addWidget(buttons)
        self.preview = compute_changes(current, incoming)
        self._show()

    def _recompute(self, delete_missing: bool) -> None:
        self.preview = compute_changes(self.current, self.incoming, delete_missing)
        self._show()

    def _show(self) -> None:
        preview = self.preview
        counts = preview.counts()
        new = len(preview.new_conflicts)
        self.summary.setText(
            f"{counts['changed']} changed, {counts['added']} added, {counts['unchanged']} "
            f"unchanged, {counts['missing']} in the database but missing from the workbook. "
            f"After the import the schedule would have {counts['conflict_errors']} conflict "
            f"errors and {counts['conflict_warnings']} warnings ({new} new). Times are "
            "site-local."
        )
        self.delete_missing.setText(
            f"Delete campaigns missing from the workbook ({len(preview.missing)})"
        )
        self.delete_missing.setEnabled(bool(preview.missing))
        self.apply_button.setEnabled(not preview.is_empty)
        current_tab = self.tabs.currentIndex()
        self.tabs.clear()
        self.models: dict[str, QAbstractTableModel] = {}
        merged = merged_schedule(self.current, self.incoming, preview.delete_missing)
        self._add_tab(
            "changed",
            f"Changed ({len(preview.changed)})",
            RowsModel(["Campaign", "Field", "Old", "New"], change_rows(preview), list),
        )
        cells = campaign_cells(self.incoming)
        self._add_tab(
            "added",
            f"Added ({len(preview.added)})",
            RowsModel(CAMPAIGN_COLUMNS, preview.added, cells),
        )
        self._add_tab(
            "missing",
            f"Missing from the workbook ({len(preview.missing)})",
            RowsModel(CAMPAIGN_COLUMNS, preview.missing, campaign_cells(self.current)),
        )
        self._add_tab(
            "conflicts",
            f"New conflicts ({new} of {len(preview.conflicts)} after import)",
            ConflictsModel(merged, preview.new_conflicts),
        )
        if self.warnings:
            self._add_tab(
                "warnings",
                f"Warnings ({len(self.warnings)})",
                RowsModel(
                    ["Sheet", "Row", "Column", "Value", "Message"], self.warnings, issue_cells
                ),
            )
        if preview.master_data:
            self._add_tab(
                "master",
                f"Master data ({len(preview.master_data)})",
                RowsModel(["Change"], preview.master_data, lambda line: [line]),
            )
        self.tabs.setCurrentIndex(max(current_tab, 0))

    def _add_tab(self, key: str, title: str, model: QAbstractTableModel) -> None:
        model.setParent(self)
        self.models[key] = model
        self.tabs.addTab(_table(model), title)
