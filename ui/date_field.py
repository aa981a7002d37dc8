"""A date field that takes a typed or pasted date as typed.

``QDateEdit`` edits one section at a time: after select-all, typing "2027-04-05" kept the old
year (2026-04-05) without a word. This field is a line edit read as a whole by the same forgiving
parser the Excel import uses (``2027-04-05``, ``2027/04/05``, ``5 Apr 2027``, ``4/5/2027``
month-first, …), with a calendar button, Up/Down for a day and PgUp/PgDn for a month. Text that
is not a date leaves :meth:`date` at the last valid date and :meth:`problem` says why, so a form
can refuse to apply it instead of guessing.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from scheduler_app.excel.values import parse_day

DATE_FORMAT = "yyyy-MM-dd"
PyDate = date  # inside DateField the name ``date`` is its QDateEdit-style method


class DateField(QWidget):
    """``date()``/``setDate()``/``dateChanged`` like ``QDateEdit``; ``edited`` fires on every
    keystroke (valid or not) so a form can show :meth:`problem` at once."""

    dateChanged = Signal(QDate)
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = QDate.currentDate()
        self._problem = ""
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("YYYY-MM-DD")
        self.line.setToolTip(
            "Type or paste a date (2027-04-05, 5 Apr 2027, …); Up/Down: a day, PgUp/PgDn: a month"
        )
        self.line.setText(self._date.toString(DATE_FORMAT))
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Pick a date from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(lambda: self.calendar.setSelectedDate(self._date))
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.line.textEdited.connect(self._text_edited)
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def date(self) -> QDate:
        """The last valid date typed, picked or set."""
        return QDate(self._date)

    def pydate(self) -> PyDate:
        return date(self._date.year(), self._date.month(), self._date.day())

    def setDate(self, day: QDate) -> None:  # noqa: N802 - the QDateEdit name forms call
        """Set the date and show it; clears any problem with the typed text."""
        self.line.setText(day.toString(DATE_FORMAT))
        self._set(day, "")

    def text(self) -> str:
        return self.line.text()

    def is_valid(self) -> bool:
        return not self._problem

    def problem(self) -> str:
        """Why the typed text is not a date ("" when it is)."""
        return self._problem

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.line and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            steps = {
                Qt.Key.Key_Up: (1, 0),
                Qt.Key.Key_Down: (-1, 0),
                Qt.Key.Key_PageUp: (0, 1),
                Qt.Key.Key_PageDown: (0, -1),
            }.get(Qt.Key(event.key()))
            if steps is not None and self.isEnabled():
                days, months = steps
                self.setDate(self._date.addDays(days).addMonths(months))
                self.edited.emit()
                return True
        return super().eventFilter(watched, event)

    def _text_edited(self, text: str) -> None:
        try:
            day = parse_day(text.strip())
        except ValueError as error:
            self._set(self._date, f"“{text.strip()}” {error}" if text.strip() else "is empty")
        else:
            self._set(QDate(day.year, day.month, day.day), "")
        self.edited.emit()

    def _tidy(self) -> None:
        """A valid date is shown as YYYY-MM-DD once the planner leaves the field."""
        if not self._problem:
            self.line.setText(self._date.toString(DATE_FORMAT))

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.edited.emit()
        menu = self.button.menu()
        if menu is not None:
            menu.hide()

    def _set(self, day: QDate, problem: str) -> None:
        changed = day != self._date
        self._date = QDate(day)
        if problem != self._problem:
            self._problem = problem
            self.line.setProperty("invalid", bool(problem))
            self.line.style().unpolish(self.line)
            self.line.style().polish(self.line)
        if changed:
            self.dateChanged.emit(QDate(day))
