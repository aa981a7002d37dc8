"""The History dock: the selected campaign's audit trail, or the whole log, filterable by user,
period (UTC days) and action, exportable to Excel.

The panel reads through ``scheduler_app.audit_query``; after each change (the planner's own or
one picked up from another window) it asks only for rows newer than the newest it shows and puts
them on top, so the table does not jump. While hidden it only remembers that it is behind.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scheduler_app import audit_query
from scheduler_app.audit_query import DEFAULT_LIMIT, AuditQuery
from scheduler_app.change_set import ChangeSet
from scheduler_app.service import ScheduleService
from ui.date_field import DateField
from ui.first_paint import after_first_paint
from ui.history_model import (
    ACTION,
    CHANGE,
    CHANGE_SET,
    FIELD,
    HEADERS,
    SOURCE,
    WHAT,
    WHEN_LOCAL,
    WHEN_UTC,
    WHO,
    HistoryModel,
)
from ui.notify import Notifier
from ui.plain_text import plain_labels

ALL = ""
# Each column as wide as a typical value (measured in the table's font), plus padding.
_SAMPLES = {
    WHEN_LOCAL: "2027-12-31 23:59 SYR",
    WHEN_UTC: "2027-12-31 23:59",
    WHO: "planner.name",
    ACTION: "undo import",
    WHAT: "product ABX-201",
    FIELD: "turnaround days",
    CHANGE: "2027-07-05 00:00 → 2027-07-12 00:00",
    SOURCE: "import",
    CHANGE_SET: "d17d6118",
}


class HistoryPanel(QWidget):
    """``campaignPicked(campaign_id)`` when a row of a campaign is double-clicked."""

    campaignPicked = Signal(str)
    title = "History"
    object_name = "historyDock"
    area = Qt.DockWidgetArea.BottomDockWidgetArea

    def __init__(self, service: ScheduleService, notifier: Notifier) -> None:
        super().__init__()
        self.setObjectName("historyPanel")
        self.service = service
        self.notifier = notifier
        self.campaign: str | None = None
        self.whole_log = False
        self._behind = True
        self.model = HistoryModel(self)

        self.selected_button = self._scope_button("Selected campaign")
        self.all_button = self._scope_button("Whole log")
        self.selected_button.setChecked(True)
        scope = QButtonGroup(self)
        scope.setExclusive(True)
        scope.addButton(self.selected_button)
        scope.addButton(self.all_button)
        self.all_button.toggled.connect(self._scope_changed)
        self.user = QComboBox()
        self.user.setToolTip("Only changes by this user")
        self.action = QComboBox()
        self.action.setToolTip("Only this kind of action")
        self.use_since, self.since = self._day_filter("From", "First UTC day shown")
        self.use_until, self.until = self._day_filter("To", "Last UTC day shown")
        self.export_button = QPushButton("Export to Excel…")
        self.export_button.setToolTip("Write the rows shown (all of them, not just the newest)")
        self.count = QLabel()
        plain_labels(self.count)
        self.count.setObjectName("historyCount")

        # A tool bar, so that a narrow dock folds the last controls into its » menu instead of
        # widening the whole window.
        bar = QToolBar("History filters")
        bar.setObjectName("historyBar")
        bar.setMovable(False)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        parts: tuple[QWidget, ...] = (
            self.selected_button,
            self.all_button,
            self.user,
            self.action,
            self.use_since,
            self.since,
            self.use_until,
            self.until,
            spacer,
            self.count,
            self.export_button,
        )
        for widget in parts:
            bar.addWidget(widget)
            if widget is self.all_button:
                bar.addSeparator()

        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the reason, free text of any length
        header.setMinimumSectionSize(40)
        self._fit_columns()
        self.placeholder = QLabel()
        plain_labels(self.placeholder)
        self.placeholder.setObjectName("historyPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.placeholder)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(bar)
        layout.addWidget(self.stack, 1)

        self.user.activated.connect(lambda _index: self.reload())
        self.action.activated.connect(lambda _index: self.reload())
        for check, field in ((self.use_since, self.since), (self.use_until, self.until)):
            check.toggled.connect(field.setEnabled)
            check.toggled.connect(lambda _on: self.reload())
            field.dateChanged.connect(self._day_changed)
        self.export_button.clicked.connect(self.export)
        self.table.doubleClicked.connect(self._picked)
        self._choices_seen: int | None = None
        self._fitted = False
        self.user.addItem("All users", ALL)
        self.action.addItem("All actions", ALL)

    # -- what is shown --------------------------------------------------------------------------

    def query(self, limit: int | None = DEFAULT_LIMIT) -> AuditQuery:
        """The audit query for the scope and filters as they are set."""
        return AuditQuery(
            campaign=None if self.whole_log else self.campaign,
            user=self.user.currentData() or None,
            action=self.action.currentData() or None,
            since=self._start_of(self.since.date()) if self.use_since.isChecked() else None,
            until=(
                self._start_of(self.until.date().addDays(1)) if self.use_until.isChecked() else None
            ),
            limit=limit,
        )

    def content(self) -> QWidget:
        return self

    def set_campaign(self, campaign_id: str | None) -> None:
        """The selection changed; the campaign scope follows it."""
        if campaign_id == self.campaign:
            return
        self.campaign = campaign_id
        if not self.whole_log:
            self.reload()

    def show_whole_log(self, whole: bool) -> None:
        (self.all_button if whole else self.selected_button).setChecked(True)

    def follow(self, change_set: ChangeSet) -> None:
        """Observer callback: fetch what was written since the newest row shown."""
        if not self.isVisible():
            self._behind = True
            return
        self._add_choices()
        if self._behind or self._empty_scope():
            self.reload()
            return
        newest = self.model.lines[0].entry.id if self.model.lines else 0
        found = audit_query.entries(self.service.store, self.query(), after_id=newest)
        schedule = self.service.schedule
        self.model.prepend([audit_query.line(schedule, e) for e in found], DEFAULT_LIMIT)
        self._update_count()

    def reload(self) -> None:
        """Query again from scratch (new scope or filters, or catching up after being hidden)."""
        self._behind = not self.isVisible()
        if self._behind:
            return
        self._add_choices()
        if self._empty_scope():
            self.model.set_lines([])
            self.placeholder.setText("Select a campaign to see its history.")
            self.stack.setCurrentWidget(self.placeholder)
            self.count.setText("")
            return
        found = audit_query.entries(self.service.store, self.query())
        schedule = self.service.schedule
        self.model.set_lines([audit_query.line(schedule, e) for e in found])
        if self.model.lines:
            self.stack.setCurrentWidget(self.table)
        else:
            scope = "this campaign" if not self.whole_log else "the log"
            self.placeholder.setText(f"No changes in {scope} match the filters.")
            self.stack.setCurrentWidget(self.placeholder)
        self._update_count()

    def export(self) -> Path | None:
        """Every row the filters select (not only the newest shown) to a workbook."""
        scope = "all" if self.whole_log or not self.campaign else self.campaign
        suggested = f"history-{scope}-{date.today():%Y-%m-%d}.xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export history", suggested, "Excel workbook (*.xlsx)"
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        # The Excel stack is imported when first used, not at start-up.
        from scheduler_app.excel.audit_export import write_audit_workbook
        from scheduler_app.excel.errors import ExcelError

        schedule = self.service.schedule
        found = audit_query.entries(self.service.store, self.query(limit=None))
        try:
            written = write_audit_workbook([audit_query.line(schedule, e) for e in found], path)
        except ExcelError as error:
            self.notifier.error("Export failed", str(error))
            return None
        self.notifier.info("History exported", f"Wrote {len(found)} audit rows to {written}.")
        return written

    # -- pieces ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self._fit_columns()
        if not self._behind:
            return
        handle = self.window().windowHandle()
        if handle is None or not handle.isExposed():
            # Shown with a window that has not painted yet (it opens with History showing): the
            # window paints first, then the panel reads the log (0.2 s at 100,000 campaigns).
            after_first_paint(self, self._catch_up)
        else:
            self.reload()

    def _catch_up(self) -> None:
        if self._behind:
            self.reload()

    def _fit_columns(self) -> None:
        """Each column as wide as its sample value or its title, in the fonts the style sheet
        gives the table and its header (hence after polishing)."""
        self.table.ensurePolished()
        header = self.table.horizontalHeader()
        header.ensurePolished()
        cell, title = self.table.fontMetrics(), header.fontMetrics()
        for column, sample in _SAMPLES.items():
            width = max(
                cell.horizontalAdvance(sample), title.horizontalAdvance(HEADERS[column]) + 8
            )
            self.table.setColumnWidth(column, width + 20)

    def _empty_scope(self) -> bool:
        return not self.whole_log and self.campaign is None

    def _scope_button(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setAutoRaise(False)
        return button

    def _day_filter(self, text: str, tip: str) -> tuple[QCheckBox, DateField]:
        check = QCheckBox(text)
        check.setToolTip(tip)
        field = DateField()
        field.setToolTip(tip)
        field.setEnabled(False)
        field.setMaximumWidth(130)
        return check, field

    def _scope_changed(self, whole: bool) -> None:
        self.whole_log = whole
        self.reload()

    def _day_changed(self, _day: QDate) -> None:
        if self.use_since.isChecked() or self.use_until.isChecked():
            self.reload()

    def _add_choices(self) -> None:
        """Users and actions for the filter lists: all of them at first, then only those in rows
        written since (a cheap look at the newest rows)."""
        found = audit_query.choices(self.service.store, self._choices_seen)
        self._choices_seen = found.last_id
        for box, values in ((self.user, found.users), (self.action, found.actions)):
            known = {box.itemData(i) for i in range(box.count())}
            fresh = [value for value in values if value not in known]
            if not fresh:
                continue
            current = box.currentData()
            merged = sorted([*(v for v in known if v != ALL), *fresh])
            box.clear()
            box.addItem("All users" if box is self.user else "All actions", ALL)
            for value in merged:
                box.addItem(value, value)
            box.setCurrentIndex(max(0, box.findData(current)))

    def _update_count(self) -> None:
        shown = len(self.model.lines)
        more = " (newest)" if shown >= DEFAULT_LIMIT else ""
        self.count.setText(f"{shown:,} row{'s' if shown != 1 else ''}{more}")

    def _picked(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self.model.lines):
            entry = self.model.lines[row].entry
            if entry.entity == "campaign":
                self.campaignPicked.emit(entry.key)

    @staticmethod
    def _start_of(day: QDate) -> datetime:
        return datetime.combine(date(day.year(), day.month(), day.day()), time(), UTC)
