"""Plan → Optimise…: the window to re-plan, the solver run in a worker thread with progress and
Cancel, then the plan shown as a change set (the import preview) and applied as one undo step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDate, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.planning.optimiser import (
    INFEASIBLE,
    UNKNOWN,
    Optimiser,
    PlanResult,
    Progress,
)
from scheduler_app.planning.window import PlanWindow
from scheduler_app.schedule import Schedule
from ui.date_field import DateField

DEFAULT_DAYS = 91


class OptimiserThread(QThread):
    """Runs one :class:`Optimiser` off the GUI thread; ``progressed`` and ``done`` arrive in the
    GUI thread (queued)."""

    progressed = Signal(object)
    done = Signal(object)

    def __init__(self, optimiser: Optimiser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optimiser = optimiser
        optimiser.progress = self.progressed.emit

    def run(self) -> None:
        self.done.emit(self.optimiser.run())


class OptimiseDialog(QDialog):
    """Choose the window, run, watch, cancel. After ``exec()``, :attr:`plan_result` holds the plan
    (None when cancelled or nothing was run)."""

    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schedule = schedule
        self.plan_result: PlanResult | None = None
        self.worker: OptimiserThread | None = None
        self.setWindowTitle("Optimise the plan")
        today = datetime.now(UTC).date()
        self.first = DateField()
        self.first.setDate(QDate(today.year, today.month, today.day))
        last = today + timedelta(days=DEFAULT_DAYS)
        self.last = DateField()
        self.last.setDate(QDate(last.year, last.month, last.day))
        self.site = QComboBox()
        self.site.addItem("Both sites", None)
        for code in sorted(schedule.sites):
            self.site.addItem(code, code)
        self.include_confirmed = QCheckBox("Confirmed campaigns may move too")
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(1.0, 600.0)
        self.time_limit.setValue(10.0)
        self.time_limit.setSuffix(" s")
        form = QFormLayout()
        form.addRow("From (site-local)", self.first)
        form.addRow("To (site-local)", self.last)
        form.addRow("Site", self.site)
        form.addRow("", self.include_confirmed)
        form.addRow("Time limit", self.time_limit)
        explain = QLabel(
            "Unlocked campaigns starting in the window may move in time and to any bioreactor "
            "where their scale is validated. Goal, in order: no error conflict, fewest days "
            "late, fewest campaigns moved, fewest days moved. Locked campaigns and those outside "
            "the window stay put."
        )
        explain.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setObjectName("optimiseStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.run_button = QPushButton("Optimise")
        self.run_button.setDefault(True)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def window_asked(self) -> PlanWindow:
        return PlanWindow(
            self.first.pydate(),
            self.last.pydate(),
            self.site.currentData(),
            self.include_confirmed.isChecked(),
        )

    def start(self) -> None:
        problems = [f.problem() for f in (self.first, self.last) if f.problem()]
        window = self.window_asked()
        if not problems and window.last < window.first:
            problems.append("The last day is before the first.")
        if problems:
            self.status.setText(" ".join(problems))
            return
        optimiser = Optimiser(self.schedule, window, time_limit_s=self.time_limit.value())
        self.worker = OptimiserThread(optimiser, self)
        self.worker.progressed.connect(self._progressed)
        self.worker.done.connect(self._done)
        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.status.setText("Searching…")
        self.worker.start()

    def cancel(self) -> None:
        """Stop a running search (nothing is applied), or close the dialog."""
        if self.worker is not None and self.worker.isRunning():
            self.status.setText("Cancelling…")
            self.worker.optimiser.cancel()
            self.worker.wait()
            self.plan_result = None
        self.reject()

    def _progressed(self, progress: Progress) -> None:
        self.status.setText(
            f"{progress.solutions} plan{'s' if progress.solutions != 1 else ''} found in "
            f"{progress.elapsed_s:.1f} s; still improving…"
        )

    def _done(self, result: PlanResult) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if self.worker is not None:
            self.worker.wait()
        if result.cancelled:
            return
        self.plan_result = result
        self.run_button.setEnabled(True)
        if result.status in (INFEASIBLE, UNKNOWN) and not result.moves:
            self.status.setText(f"No plan: {result.reason}")
            return
        if not result.moves:
            self.status.setText(f"{result.status}: nothing to change.")
            return
        self.accept()
