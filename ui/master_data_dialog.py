"""Products, Equipment, Sites and the changeover matrix edited in the app: one table per kind,
every editable column of its Excel sheet. Each cell edit goes through the service (validated,
one transaction, audited, conflicts re-checked) as one undo step; a refused edit puts the cell
back and says why. New product/bioreactor/site open a checked form (``master_create_dialog``);
Delete removes the selected row's record, or says what still uses it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from scheduler_app.change_set import ChangeSet
from scheduler_app.errors import ValidationError
from scheduler_app.ids import SiteCode
from ui.commands import ChangeCommand

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.master_create_dialog import NewRecordDialog


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(f"{text!r} is not a whole number.") from None


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(",", ";").split(";") if part.strip())


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{text!r} is not a date (YYYY-MM-DD).") from None


def _dated_sites(text: str) -> tuple[tuple[SiteCode, date], ...]:
    out = []
    for part in _list(text):
        site, _, day = part.partition(":")
        parsed = _day(day)
        if parsed is None:
            raise ValidationError(f"{part!r}: write SITE:YYYY-MM-DD.")
        out.append((SiteCode(site.strip()), parsed))
    return tuple(out)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(
            f"{item[0]}:{item[1].isoformat()}" if isinstance(item, tuple) else str(item)
            for item in value
        )
    return str(getattr(value, "value", value))


Column = tuple[str, str, Callable[[str], Any]]

PRODUCT_COLUMNS: list[Column] = [
    ("name", "Name", str.strip),
    ("client", "Client", str.strip),
    ("modality", "Modality", str.strip),
    ("validated_scales_l", "Scales (L)", lambda t: tuple(_int(p) for p in _list(t))),
    ("batch_days", "Batch days", _int),
    ("turnaround_days", "Turnaround days", _int),
    ("changeover_days", "Changeover days", _int),
    ("qualified_sites", "Qualified sites", lambda t: tuple(SiteCode(p) for p in _list(t))),
    ("qualified_from", "Qualified from", _dated_sites),
    ("colour", "Colour", str.strip),
    ("seed_days", "Seed days", _int),
    ("harvest_days", "Harvest days", _int),
    ("max_batches", "Max batches", _int),
]
EQUIPMENT_COLUMNS: list[Column] = [
    ("working_volume_l", "Working volume (L)", _int),
    ("reactor_type", "Type", str.strip),
    ("available_from", "Available from", _day),
    ("role", "Role", str.strip),
    ("serves", "Serves", _list),
]
SITE_COLUMNS: list[Column] = [
    ("name", "Name", str.strip),
    ("time_zone", "Time zone", str.strip),
    ("available_from", "Available from", _day),
]


class MasterDataDialog(QDialog):
    """Non-modal; follows the service, so an undo in the window shows here at once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.service = window.service
        self.setWindowTitle("Master data — products, equipment, sites")
        self.resize(1100, 560)
        self.tabs = QTabWidget(self)
        self.products = self._table(PRODUCT_COLUMNS)
        self.equipment = self._table(EQUIPMENT_COLUMNS)
        self.sites = self._table(SITE_COLUMNS)
        self.changeovers = QTableWidget()
        self.changeovers.cellChanged.connect(self._matrix_edited)
        self.tabs.addTab(self.products, "Products")
        self.tabs.addTab(self.equipment, "Equipment")
        self.tabs.addTab(self.sites, "Sites")
        self.tabs.addTab(self.changeovers, "Changeovers (from row → to column, days)")
        layout = QVBoxLayout(self)
        actions = QHBoxLayout()
        self.new_buttons: dict[str, QPushButton] = {}
        for kind, label in (
            ("product", "New product…"),
            ("bioreactor", "New bioreactor…"),
            ("site", "New site…"),
        ):
            button = QPushButton(label)
            button.setObjectName(f"new_{kind}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=kind: self.open_new(k))
            actions.addWidget(button)
            self.new_buttons[kind] = button
        actions.addStretch(1)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteRecord")
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete_selected)
        actions.addWidget(self.delete_button)
        layout.addLayout(actions)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self.new_dialog: NewRecordDialog | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for closer in buttons.buttons():
            if isinstance(closer, QPushButton):
                # Return commits a cell edit; it must never close the dialog instead.
                closer.setAutoDefault(False)
                closer.setDefault(False)
        layout.addWidget(buttons)
        self._loading = False
        self.fill()
        self._tab_changed()
        self.service.add_observer(self._changed)
        self.finished.connect(lambda _code: self.service.remove_observer(self._changed))

    def _table(self, columns: list[Column]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels([header for _, header, _ in columns])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.cellChanged.connect(lambda row, col, t=table, c=columns: self._edited(t, c, row, col))
        return table

    def fill(self) -> None:
        """Every table from the schedule as the service holds it now."""
        self._loading = True
        schedule = self.service.schedule
        for table, columns, items in (
            (self.products, PRODUCT_COLUMNS, sorted(schedule.products.values(), key=_code)),
            (self.equipment, EQUIPMENT_COLUMNS, list(schedule.bioreactors_in_order())),
            (self.sites, SITE_COLUMNS, sorted(schedule.sites.values(), key=_code)),
        ):
            table.setRowCount(len(items))
            table.setVerticalHeaderLabels([item.code for item in items])
            for row, item in enumerate(items):
                for col, (name, _, _) in enumerate(columns):
                    table.setItem(row, col, QTableWidgetItem(_shown(getattr(item, name))))
        codes = sorted(schedule.products)
        grid = self.changeovers
        grid.setRowCount(len(codes))
        grid.setColumnCount(len(codes))
        grid.setVerticalHeaderLabels(codes)
        grid.setHorizontalHeaderLabels(codes)
        for row, source in enumerate(codes):
            for col, target in enumerate(codes):
                days = schedule.changeovers.get((source, target))
                grid.setItem(row, col, QTableWidgetItem("" if days is None else str(days)))
        self._loading = False

    def _edited(self, table: QTableWidget, columns: list[Column], row: int, col: int) -> None:
        if self._loading:
            return
        code = _header(table.verticalHeaderItem(row))
        name, header, parse = columns[col]
        text = _header(table.item(row, col))
        service = self.service
        edit: dict[QTableWidget, Callable[..., ChangeSet]] = {
            self.products: service.edit_product,
            self.equipment: service.edit_bioreactor,
            self.sites: service.edit_site,
        }
        try:
            value = parse(text)
        except ValidationError as error:
            self.window_.notifier.error(f"{header} of {code} not changed", str(error))
            self.fill()
            return
        self._push(lambda: edit[table](code, **{name: value}), f"Edit {code} ({header})")

    def _matrix_edited(self, row: int, col: int) -> None:
        if self._loading:
            return
        source = _header(self.changeovers.verticalHeaderItem(row))
        target = _header(self.changeovers.horizontalHeaderItem(col))
        text = _header(self.changeovers.item(row, col)).strip()
        try:
            days = None if not text else _int(text)
        except ValidationError as error:
            self.window_.notifier.error("Changeover not changed", str(error))
            self.fill()
            return
        self._push(
            lambda: self.service.set_changeover(source, target, days),
            f"Changeover {source} → {target}",
        )

    def _push(self, action: Callable[[], ChangeSet], text: str) -> None:
        command = ChangeCommand(self.service, action, text, self.window_.errors.collect)
        self.window_.undo_stack.push(command)
        self.window_.errors.flush()
        if command.failed is not None:
            self.fill()

    def _kinds(self) -> dict[QTableWidget, tuple[str, str]]:
        return {
            self.products: ("product", "product"),
            self.equipment: ("bioreactor", "bioreactor"),
            self.sites: ("site", "site"),
        }

    def _tab_changed(self) -> None:
        found = self._kinds().get(self.tabs.currentWidget())  # type: ignore[call-overload]
        self.delete_button.setEnabled(found is not None)
        self.delete_button.setText(f"Delete {found[1]}…" if found else "Delete…")

    def open_new(self, kind: str) -> NewRecordDialog:
        """The checked form for a new ``kind`` (product, bioreactor, site); Create makes it."""
        from ui.master_create_dialog import DIALOGS

        dialog = DIALOGS[kind](self.service.schedule, self)
        dialog.accepted.connect(lambda: self._create(kind, dialog))
        self.new_dialog = dialog
        dialog.open()
        return dialog

    def _create(self, kind: str, dialog: NewRecordDialog) -> None:
        code, fields = dialog.fields()
        service = self.service
        if kind == "product":
            self._push(lambda: service.create_product(code, **fields), f"New product {code}")
        elif kind == "site":
            self._push(lambda: service.create_site(code, **fields), f"New site {code}")
        else:
            values = dict(fields)
            suite, site = values.pop("suite"), values.pop("site")
            self._push(
                lambda: service.create_bioreactor(code, suite, site=site, **values),
                f"New bioreactor {code}",
            )
        table = {"product": self.products, "bioreactor": self.equipment, "site": self.sites}[kind]
        self.tabs.setCurrentWidget(table)
        for row in range(table.rowCount()):
            if _header(table.verticalHeaderItem(row)) == code.strip():
                table.selectRow(row)

    def delete_selected(self) -> None:
        """Delete the record of the selected row (asked first); a record still in use is
        refused by the service, naming what uses it."""
        table = self.tabs.currentWidget()
        found = self._kinds().get(table)  # type: ignore[call-overload]
        if found is None or not isinstance(table, QTableWidget) or table.currentRow() < 0:
            return
        kind, noun = found
        code = _header(table.verticalHeaderItem(table.currentRow()))
        if not self.window_.notifier.confirm(
            f"Delete {noun}", f"Delete {noun} {code}? Undo (Ctrl+Z) brings it back."
        ):
            return
        delete: dict[str, Callable[[str], ChangeSet]] = {
            "product": self.service.delete_product,
            "bioreactor": self.service.delete_bioreactor,
            "site": self.service.delete_site,
        }
        self._push(lambda: delete[kind](code), f"Delete {noun} {code}")

    def _changed(self, change_set: ChangeSet) -> None:
        if change_set.master_data_changed:
            self.fill()


def _code(item: Any) -> str:
    return str(item.code)


def _header(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()
