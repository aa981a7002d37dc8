"""Compare a scenario with Live: one table of campaigns added, removed and changed (field,
Live → scenario, site-local times) and the conflicts the scenario gains and resolves, with a
Promote button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.cli.common import local_text
from scheduler_app.errors import NotFoundError
from scheduler_app.plan_diff import PlanDiff
from scheduler_app.scenarios import diff_scenario
from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store

HEADERS = ["Change", "Campaign", "Field", "Live", "Scenario"]
MAX_TEXT_PX = 300
MAX_CAMPAIGNS_PX = 230
COLOURS = {
    "added": "#2b8a3e",
    "removed": "#c92a2a",
    "changed": "#1c7ed6",
    "conflict gained": "#c92a2a",
    "conflict resolved": "#2b8a3e",
}


def diff_rows(diff: PlanDiff, schedule: Schedule) -> list[tuple[str, str, str, str, str]]:
    """The table's rows, in the order a planner reads them."""
    rows: list[tuple[str, str, str, str, str]] = []
    for campaign in diff.added:
        where = f"{campaign.bioreactor} from {_when(campaign.start, campaign.bioreactor, schedule)}"
        rows.append(("added", campaign.id, "", "", where))
    for campaign in diff.removed:
        where = f"{campaign.bioreactor} from {_when(campaign.start, campaign.bioreactor, schedule)}"
        rows.append(("removed", campaign.id, "", where, ""))
    for item in diff.changed:
        for name, (old, new) in item.fields.items():
            rows.append(
                (
                    "changed",
                    item.campaign_id,
                    name.replace("_", " "),
                    _shown(old, item.after.bioreactor, schedule),
                    _shown(new, item.after.bioreactor, schedule),
                )
            )
    for conflict in diff.gained:
        rows.append(
            ("conflict gained", ", ".join(conflict.campaigns), conflict.kind, "", conflict.message)
        )
    for conflict in diff.resolved:
        rows.append(
            (
                "conflict resolved",
                ", ".join(conflict.campaigns),
                conflict.kind,
                conflict.message,
                "",
            )
        )
    return rows


class CompareDialog(QDialog):
    """Non-modal, so the timeline (with Live's outlines) stays usable beside it."""

    promoteRequested = Signal()

    def __init__(self, store: Store, scenario: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Scenario “{scenario}” compared with Live")
        self.resize(900, 480)
        self.store, self.scenario = store, scenario
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)
        self.refresh()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.promote_button = QPushButton("Promote to Live…")
        buttons.addButton(self.promote_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.promote_button.clicked.connect(self.promoteRequested.emit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.NonModal)

    def refresh(self) -> None:
        """Compare again with Live and the scenario as the database holds them now (another
        planner changed one of them)."""
        self.diff = diff_scenario(self.store, self.scenario)
        self.rows = diff_rows(self.diff, self.store.load(self.scenario))
        self.summary.setText(self.diff.summary())
        self.table.setRowCount(len(self.rows))
        for row, values in enumerate(self.rows):
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if column == 0:
                    cell.setForeground(QColor(COLOURS.get(value, "#000000")))
                self.table.setItem(row, column, cell)
        # A conflict names many campaigns and its message is long: those columns are capped
        # (full text on hover) so Live and Scenario stay side by side in view.
        self.table.resizeColumnsToContents()
        for column, most in ((1, MAX_CAMPAIGNS_PX), (3, MAX_TEXT_PX), (4, MAX_TEXT_PX)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), most))


def _when(instant: object, bioreactor: str, schedule: Schedule) -> str:
    from datetime import datetime

    assert isinstance(instant, datetime)
    try:
        return local_text(instant, schedule.time_zone_of(bioreactor))
    except NotFoundError:
        return local_text(instant, "UTC")


def _shown(value: object, bioreactor: str, schedule: Schedule) -> str:
    from datetime import datetime

    if value is None or value == "":
        return "—"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return _when(value, bioreactor, schedule)
    return str(getattr(value, "value", value))
