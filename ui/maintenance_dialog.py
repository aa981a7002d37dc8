"""New / edit maintenance window: scope (a bioreactor, a suite or a whole site), first and last
day down in the site's local calendar, and the reason. The core validates (``master_edits``);
the dialog shows its refusal in place."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from scheduler_app.errors import SchedulerError
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.master_edits import checked_window
from scheduler_app.schedule import Schedule
from ui.date_field import DateField


class MaintenanceDialog(QDialog):
    """``window`` is the window being edited, or a draft (id None) for a new one."""

    def __init__(
        self, schedule: Schedule, window: MaintenanceWindow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.schedule = schedule
        self.original = window
        self.result_window: MaintenanceWindow | None = None
        self.setWindowTitle("Edit maintenance window" if window.id else "New maintenance window")
        form = QFormLayout(self)
        self.scope = QComboBox()
        self.scope.setObjectName("maintenanceScope")
        for reactor in schedule.bioreactors_in_order():
            self.scope.addItem(f"Bioreactor {reactor.code}", f"bioreactor:{reactor.code}")
        for suite in schedule.suites.values():
            self.scope.addItem(f"Suite {suite.code} (all its equipment)", f"suite:{suite.code}")
        for site in schedule.sites.values():
            self.scope.addItem(f"Site {site.code} (whole site)", f"site:{site.code}")
        current = (
            f"bioreactor:{window.bioreactor}"
            if window.bioreactor
            else f"suite:{window.suite}"
            if window.suite
            else f"site:{window.site}"
        )
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        zone = schedule.site(window.site).time_zone
        self.first = DateField()
        self.first.setDate(_qdate(utc_to_local_naive(window.start, zone).date()))
        last = utc_to_local_naive(window.end, zone)
        last_day = (
            last.date() - timedelta(days=1) if last.time() == datetime.min.time() else last.date()
        )
        self.last = DateField()
        self.last.setDate(_qdate(last_day))
        self.reason = QLineEdit(window.reason)
        self.reason.setPlaceholderText("e.g. PM, HVAC requalification, annual shutdown")
        self.problem = QLabel()
        self.problem.setObjectName("maintenanceProblem")
        self.problem.setStyleSheet("color: #c92a2a;")
        self.problem.setWordWrap(True)
        form.addRow("Down", self.scope)
        form.addRow("First day (site-local)", self.first)
        form.addRow("Last day (site-local)", self.last)
        form.addRow("Reason", self.reason)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def edited(self) -> MaintenanceWindow:
        """The window as the form describes it (whole local days, first to last inclusive)."""
        kind, code = str(self.scope.currentData()).split(":", 1)
        reactor: BioreactorCode | None = None
        suite: SuiteCode | None = None
        if kind == "bioreactor":
            reactor = BioreactorCode(code)
            suite = self.schedule.bioreactor(code).suite
            site = self.schedule.suites[suite].site
        elif kind == "suite":
            suite = SuiteCode(code)
            site = self.schedule.suites[suite].site
        else:
            site = SiteCode(code)
        zone = self.schedule.site(site).time_zone
        first: date = self.first.pydate()
        last: date = self.last.pydate()
        return dataclasses.replace(
            self.original,
            site=site,
            suite=suite,
            bioreactor=reactor,
            start=start_of_local_date(first, zone),
            end=start_of_local_date(last + timedelta(days=1), zone),
            reason=self.reason.text().strip(),
        )

    def accept(self) -> None:
        for field in (self.first, self.last):
            if not field.is_valid():
                self.problem.setText(field.problem())
                return
        try:
            self.result_window = checked_window(self.schedule, self.edited())
        except SchedulerError as error:
            self.problem.setText(str(error))
            return
        super().accept()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
