"""New product, bioreactor and site dialogs (from the Products, Equipment and Sites editors).

Each form checks what is typed as it is typed, with the core's own rules
(``scheduler_app.master_records``): the problem is shown in one line under the form and Create
stays disabled until there is none, so what the planner confirms is what the service will accept
(the service checks again in its transaction). The dialog only collects; the editor makes the
change through the service as one undo step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scheduler_app import master_records
from scheduler_app.equipment import EquipmentRole, ReactorType
from scheduler_app.errors import SchedulerError
from scheduler_app.ids import SiteCode
from scheduler_app.schedule import Schedule
from ui.master_data_dialog import _day, _int, _list

MODALITIES = ("mAb", "Bispecific", "Fusion protein", "ADC", "Enzyme")
DEFAULT_COLOUR = "#4C78A8"
Fields = tuple[str, dict[str, Any]]
"""What a form holds: the new code and the keyword fields for the service action."""


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    return box


class NewRecordDialog(QDialog):
    """A form whose Create button is enabled only while ``check`` accepts what it holds."""

    def __init__(self, title: str, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newRecordDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.schedule = schedule
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.code = QLineEdit()
        self.code.setObjectName("codeField")
        self.problem = QLabel()
        self.problem.setObjectName("problemLabel")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a61e1e;")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.note = QLabel()
        self.note.setObjectName("noteLabel")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def add(self, label: str, widget: QWidget, name: str = "") -> QWidget:
        """A row of the form; any change re-checks the whole form."""
        if name:
            widget.setObjectName(name)
        if isinstance(widget, QComboBox):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.form.addRow(label, widget)
        for signal in ("textChanged", "valueChanged", "currentTextChanged", "itemChanged"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(lambda *_: self.recheck())
        return widget

    def fields(self) -> Fields:
        raise NotImplementedError

    def check(self, code: str, fields: dict[str, Any]) -> object:
        raise NotImplementedError

    def recheck(self) -> bool:
        try:
            code, fields = self.fields()
            self.check(code, fields)
        except (SchedulerError, LookupError, ValueError) as error:
            message = error.args[0] if error.args else str(error)
            self.problem.setText(str(message))
            self.create_button.setEnabled(False)
            return False
        self.problem.setText("")
        self.create_button.setEnabled(True)
        return True

    def accept(self) -> None:
        if self.recheck():
            super().accept()


class NewProductDialog(NewRecordDialog):
    """Code, name, client, modality, validated scales, days and the qualified sites; the rest
    of the Products columns are edited in the table afterwards."""

    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__("New product", schedule, parent)
        self.add("Code", self.code)
        self.code.setPlaceholderText("e.g. ZNT-300")
        self.name = QLineEdit()
        self.add("Name", self.name, "nameField")
        self.client = QLineEdit()
        self.add("Client (alias)", self.client)
        self.modality = QComboBox()
        self.modality.setEditable(True)
        self.modality.addItems(
            list(dict.fromkeys([*MODALITIES, *(p.modality for p in schedule.products.values())]))
        )
        self.add("Modality", self.modality)
        self.scales = QLineEdit()
        self.scales.setPlaceholderText("litres, e.g. 5000; 15000")
        self.add("Validated scales (L)", self.scales, "scalesField")
        self.batch_days = _spin(1, 365, 14, " days")
        self.add("Batch days", self.batch_days)
        self.turnaround = _spin(0, 120, 3, " days")
        self.add("Turnaround", self.turnaround)
        self.changeover = _spin(0, 180, 10, " days")
        self.add("Changeover", self.changeover)
        self.sites = QListWidget()
        self.sites.setObjectName("sitesField")
        for code, site in sorted(schedule.sites.items()):
            item = QListWidgetItem(f"{code} — {site.name}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sites.addItem(item)
        self.sites.setMaximumHeight(22 * max(2, min(5, len(schedule.sites))) + 6)
        self.add("Qualified at", self.sites)
        self.colour = QLineEdit(DEFAULT_COLOUR)
        self.add("Colour", self.colour)
        self.recheck()

    def fields(self) -> Fields:
        sites = tuple(
            SiteCode(str(self.sites.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.sites.count())
            if self.sites.item(row).checkState() == Qt.CheckState.Checked
        )
        return self.code.text(), {
            "name": self.name.text().strip(),
            "client": self.client.text().strip(),
            "modality": self.modality.currentText().strip(),
            "validated_scales_l": tuple(_int(part) for part in _list(self.scales.text())),
            "batch_days": self.batch_days.value(),
            "turnaround_days": self.turnaround.value(),
            "changeover_days": self.changeover.value(),
            "qualified_sites": sites,
            "colour": self.colour.text().strip(),
        }

    def check(self, code: str, fields: dict[str, Any]) -> object:
        return master_records.new_product(self.schedule, code, fields)


class NewBioreactorDialog(NewRecordDialog):
    """Code, site, suite (an existing one, or a new code made at that site), working volume,
    type, role and available-from."""

    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__("New bioreactor", schedule, parent)
        self.add("Code", self.code)
        self.code.setPlaceholderText("e.g. SYR-BR506")
        self.site = QComboBox()
        for code, site in sorted(schedule.sites.items()):
            self.site.addItem(f"{code} — {site.name}", code)
        self.suite = QComboBox()
        self.suite.setEditable(True)
        self.suite.setToolTip("Choose a suite of the site, or type a new suite code")
        self.add("Site", self.site, "siteField")
        self.add("Suite", self.suite, "suiteField")
        self.site.currentIndexChanged.connect(lambda _i: self._fill_suites())
        self.volume = _spin(1, 100_000, 2000, " L")
        self.volume.setSingleStep(500)
        self.add("Working volume", self.volume, "volumeField")
        self.kind = QComboBox()
        self.kind.addItems([kind.value for kind in ReactorType])
        self.add("Type", self.kind)
        self.role = QComboBox()
        self.role.addItems([role.value for role in EquipmentRole])
        self.add("Role", self.role)
        self.available = QLineEdit()
        self.available.setPlaceholderText("YYYY-MM-DD, empty: available now")
        self.add("Available from", self.available)
        self._fill_suites()
        self.recheck()

    def _fill_suites(self) -> None:
        site = self.site.currentData()
        suites = sorted(code for code, suite in self.schedule.suites.items() if suite.site == site)
        self.suite.clear()
        self.suite.addItems(suites)

    def fields(self) -> Fields:
        available = _day(self.available.text())
        return self.code.text(), {
            "suite": self.suite.currentText(),
            "site": self.site.currentData(),
            "working_volume_l": self.volume.value(),
            "reactor_type": self.kind.currentText(),
            "role": self.role.currentText(),
            "available_from": available,
        }

    def check(self, code: str, fields: dict[str, Any]) -> object:
        values = dict(fields)
        suite, site = values.pop("suite"), values.pop("site")
        made, reactor = master_records.new_bioreactor(self.schedule, code, suite, values, site)
        self.note.setText(
            f"A new suite {made.code} is made at {made.site} with it." if made is not None else ""
        )
        return reactor


class NewSiteDialog(NewRecordDialog):
    """Code, name, IANA time zone (typed with completion) and available-from."""

    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__("New site", schedule, parent)
        self.add("Code", self.code)
        self.code.setPlaceholderText("e.g. BOS")
        self.name = QLineEdit()
        self.add("Name", self.name, "nameField")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(sorted(available_timezones()))
        self.zone.setCurrentText("")
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.zone.lineEdit()
        assert line is not None
        line.setPlaceholderText("e.g. America/New_York")
        self.add("Time zone", self.zone, "zoneField")
        self.available = QLineEdit()
        self.available.setPlaceholderText("YYYY-MM-DD, empty: available now")
        self.add("Available from", self.available)
        self.recheck()

    def fields(self) -> Fields:
        return self.code.text(), {
            "name": self.name.text().strip(),
            "time_zone": self.zone.currentText().strip(),
            "available_from": _day(self.available.text()),
        }

    def check(self, code: str, fields: dict[str, Any]) -> object:
        return master_records.new_site(self.schedule, code, fields)


DIALOGS: dict[str, Callable[[Schedule, QWidget | None], NewRecordDialog]] = {
    "product": NewProductDialog,
    "bioreactor": NewBioreactorDialog,
    "site": NewSiteDialog,
}
