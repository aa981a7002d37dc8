"""Products, Equipment, Sites and the changeover matrix edited in the app: one table per kind,
every editable column of its Excel sheet. Each cell edit goes through the service (validated,
one transaction, audited, conflicts re-checked) as one undo step; a refused edit puts the cell
back and says why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                # Return commits a cell edit; it must never close the dialog instead.
                button.setAutoDefault(False)
                button.setDefault(False)
        layout.addWidget(buttons)
        self._loading = False
        self.fill()
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

    def _changed(self, change_set: ChangeSet) -> None:
        if change_set.master_data_changed:
            self.fill()


def _code(item: Any) -> str:
    return str(item.code)


def _header(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()
