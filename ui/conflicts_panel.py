"""The conflicts dock: a sortable, filterable table; picking a row shows the campaign."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.rules.conflict import Conflict, Severity
from ui.conflicts_model import CONFLICT_ROLE, SORT_ROLE, ConflictsModel

ALL = ""


class ConflictFilter(QSortFilterProxyModel):
    """Severity, kind and free text (any column) together."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.severity: Severity | None = None
        self.kind: str | None = None
        self.text = ""
        self.sites: frozenset[str] | None = None  # the timeline's site filter (None = all)
        self.active = False
        self.setSortRole(SORT_ROLE)

    def set_filter(self, severity: Severity | None, kind: str | None, text: str) -> None:
        self.beginFilterChange()
        self.severity, self.kind, self.text = severity, kind, text.strip().lower()
        self.active = bool(severity or kind or self.text or self.sites is not None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.active:  # called once per row; thousands of rows at start-up
            return True
        model = self.sourceModel()
        assert isinstance(model, ConflictsModel)
        conflict = model.conflict(source_row)
        if self.sites is not None and conflict.site not in self.sites:
            return False
        if self.severity is not None and conflict.severity is not self.severity:
            return False
        if self.kind and conflict.kind != self.kind:
            return False
        if not self.text:
            return True
        haystack = " ".join(
            str(model.index(source_row, column).data() or "") for column in range(8)
        ).lower()
        return self.text in haystack


class ConflictsPanel(QWidget):
    """Emits ``campaignsPicked`` with the IDs of the conflict the planner selected, and
    ``fixRequested`` with a conflict the planner wants fixed (Fix… button or row menu)."""

    campaignsPicked = Signal(list)
    fixRequested = Signal(object)

    def __init__(self, model: ConflictsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ConflictFilter(self)
        self.proxy.setSourceModel(model)

        self.severity_box = QComboBox()
        self.severity_box.addItem("All severities", ALL)
        self.severity_box.addItem("Errors", Severity.ERROR.value)
        self.severity_box.addItem("Warnings", Severity.WARNING.value)
        self.kind_box = QComboBox()
        self.kind_box.setMinimumContentsLength(14)
        self.text_box = QLineEdit()
        self.text_box.setPlaceholderText("Filter by campaign, bioreactor, message…")
        self.text_box.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("conflictCount")
        self.fix_button = QPushButton("Fix…")
        self.fix_button.setObjectName("conflictFix")
        self.fix_button.setToolTip("Ranked ways to clear the selected conflict, previewed")
        self.fix_button.setEnabled(False)
        self.fix_button.clicked.connect(self._ask_fix)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.severity_box)
        bar.addWidget(self.kind_box)
        bar.addWidget(self.text_box, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.fix_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # The engine already lists conflicts by start; sorting thousands of rows through Python
        # data() calls costs a second, so the table starts in the engine's order, unsorted.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # One Tab stop: the arrows move between rows, Tab leaves the table (not cell by cell).
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((84, 110, 170, 110, 50, 96, 96)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self.severity_box.currentIndexChanged.connect(self._apply_filter)
        self.kind_box.currentIndexChanged.connect(self._apply_filter)
        self.text_box.textChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._pending_update = False
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._schedule_update)
        self._model_changed()

    def selected_conflict(self) -> Conflict | None:
        index = self.table.currentIndex()
        return index.data(CONFLICT_ROLE) if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Select the ``row``-th visible row (what a click does)."""
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.proxy.index(row, 0))

    def set_sites(self, sites: frozenset[str] | None) -> None:
        """Show only the conflicts at these sites (the find bar's site filter)."""
        self.proxy.sites = sites
        self._apply_filter()

    def _apply_filter(self) -> None:
        severity = self.severity_box.currentData()
        kind = self.kind_box.currentData()
        self.proxy.set_filter(
            Severity(severity) if severity else None, kind or None, self.text_box.text()
        )
        self._update_count()

    def _schedule_update(self, *_: object) -> None:
        """One change arrives as several row signals; refresh the kind list and count once."""
        if not self._pending_update:
            self._pending_update = True
            QTimer.singleShot(0, self._model_changed)

    def _model_changed(self, *_: object) -> None:
        self._pending_update = False
        kinds = sorted({conflict.kind for conflict in self.model.conflicts()})
        current = self.kind_box.currentData()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        self.kind_box.addItem("All kinds", ALL)
        for kind in kinds:
            self.kind_box.addItem(kind, kind)
        found = self.kind_box.findData(current)
        self.kind_box.setCurrentIndex(max(found, 0))
        self.kind_box.blockSignals(False)
        if found < 0 and current:
            self._apply_filter()
        self._update_count()

    def show_checking(self) -> None:
        """Say the conflicts are not known yet (the plan is still loading); the next change of
        the model counts them again."""
        self.count_label.setText("Checking…")

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} conflicts")

    def _ask_fix(self) -> None:
        conflict = self.selected_conflict()
        if conflict is not None:
            self.fixRequested.emit(conflict)

    def _row_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.select_row(index.row())
        conflict = index.data(CONFLICT_ROLE)
        menu = QMenu(self)
        menu.addAction("Fix…", lambda: self.fixRequested.emit(conflict))
        menu.addAction(
            "Show on the timeline", lambda: self.campaignsPicked.emit(list(conflict.campaigns))
        )
        menu.popup(self.table.viewport().mapToGlobal(position))
        self.menu = menu

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        conflict = current.data(CONFLICT_ROLE) if current.isValid() else None
        self.fix_button.setEnabled(conflict is not None)
        if conflict is not None:
            self.campaignsPicked.emit(list(conflict.campaigns))
