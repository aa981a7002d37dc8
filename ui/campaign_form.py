"""The New campaign dialog: product, bioreactor, site-local start date and batches, with the
product's defaults and a live preview of what the campaign would conflict with.

It opens on the first free start of the chosen bioreactor (from the clicked day, or today), so a
new campaign does not land on a running one; products validated for that bioreactor come first
and are chosen over one that does not fit.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.ids import BioreactorCode, ProductCode
from scheduler_app.localtime import (
    add_local_days,
    local_midnight,
    start_of_local_date,
    utc_to_local_naive,
)
from scheduler_app.service import ScheduleService
from ui.conflicts_model import plain_message
from ui.date_field import DateField
from ui.inspector import Confirm, needed_campaign, past_start_question, qdate
from ui.plain_text import plain_labels

SLOT_SEARCH_STEPS = 400


def first_free_start(service: ScheduleService, campaign: Campaign) -> datetime | None:
    """The first site-local midnight at or after ``campaign.start`` where the campaign, on its
    bioreactor, is in no error-severity conflict (the engine says how far each rule needs it to
    move); ``None`` when no later start can be free (e.g. the scale is not validated)."""
    tz_name = service.schedule.time_zone_of(campaign.bioreactor)
    trial = campaign
    for _ in range(SLOT_SEARCH_STEPS):
        later = service.engine.next_start_after(trial)
        if later is None:
            return None
        if later == trial.start:
            return trial.start
        midnight = local_midnight(later, tz_name)
        if midnight < later:
            midnight = local_midnight(add_local_days(midnight, 1, tz_name), tz_name)
        trial = dataclasses.replace(trial, start=max(midnight, trial.start))
    return None


class NewCampaignDialog(QDialog):
    def __init__(
        self,
        service: ScheduleService,
        bioreactor: str | None = None,
        start: datetime | None = None,
        parent: QWidget | None = None,
        confirm: Confirm | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New campaign")
        self.service = service
        self.confirm: Confirm = confirm or (lambda _title, _text: True)
        schedule = service.schedule
        self.campaign_id = schedule.next_campaign_id()
        self.bioreactor = QComboBox()
        for reactor in schedule.production_bioreactors():
            self.bioreactor.addItem(
                f"{reactor.code} ({reactor.working_volume_l:,} L)", reactor.code
            )
        if bioreactor:
            self.bioreactor.setCurrentIndex(max(self.bioreactor.findData(bioreactor), 0))
        self.product = QComboBox()
        self.start = DateField()
        reactor_code = self.bioreactor.currentData()
        if start is not None and reactor_code:
            local_day = utc_to_local_naive(start, schedule.time_zone_of(reactor_code)).date()
        else:
            local_day = date.today()
        self.start.setDate(qdate(local_day))
        self.batches = QSpinBox()
        self.batches.setRange(1, 200)
        self.batches.setValue(3)
        self.status = QComboBox()
        for status in (Status.PLANNED, Status.TENTATIVE, Status.CONFIRMED):
            self.status.addItem(status.value, status)
        self.purpose = QComboBox()
        for purpose in Purpose:
            self.purpose.addItem(purpose.value, purpose)
        self.purpose.setCurrentIndex(self.purpose.findData(Purpose.COMMERCIAL))
        self.needs = QLineEdit()
        self.needs.setPlaceholderText("Campaign ID it consumes (blank: none)")
        self.lag_days = QSpinBox()
        self.lag_days.setRange(0, 365)
        self.lag_days.setSuffix(" d")
        self.notes = QLineEdit()
        self.preview = QLabel()
        plain_labels(self.preview)
        self.preview.setWordWrap(True)
        self.preview.setObjectName("inspectorConflicts")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The preview scrolls inside a bounded area: however long, it never pushes into the form.
        self.preview_area = QScrollArea()
        self.preview_area.setWidget(self.preview)
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.preview_area.setMinimumHeight(90)
        self.preview_area.setMaximumHeight(180)
        self.use_free = QPushButton("Use first free start")
        self.use_free.setToolTip("Move this new campaign to the first start without errors")
        self.use_free.clicked.connect(self._use_free_start)
        self.use_free.hide()
        self.free_start: datetime | None = None
        self._start_typed = False
        self.setMinimumWidth(460)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")

        form = QFormLayout()
        id_label = QLabel(self.campaign_id)
        plain_labels(id_label)
        form.addRow("Campaign ID", id_label)
        form.addRow("Bioreactor", self.bioreactor)
        form.addRow("Product", self.product)
        form.addRow("Start (site-local)", self.start)
        form.addRow("Batches", self.batches)
        form.addRow("Status", self.status)
        form.addRow("Purpose", self.purpose)
        form.addRow("Needs", self.needs)
        form.addRow("Lag days", self.lag_days)
        form.addRow("Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_area, 1)
        layout.addWidget(self.use_free, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.from_day = local_day

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.bioreactor.currentIndexChanged.connect(self._bioreactor_changed)
        self.start.edited.connect(self._typed_start)
        for signal in (
            self.product.currentIndexChanged,
            self.start.dateChanged,
            self.start.edited,
            self.batches.valueChanged,
            self.purpose.currentIndexChanged,
            self.needs.textChanged,
            self.lag_days.valueChanged,
        ):
            signal.connect(self._update_preview)
        self._fill_products()
        self._move_to_free_start()

    def _typed_start(self) -> None:
        self._start_typed = True

    def _bioreactor_changed(self) -> None:
        self._fill_products()
        if not self._start_typed:
            self._move_to_free_start()

    def _move_to_free_start(self) -> None:
        """Put the start on the first free slot from the day the dialog opened for."""
        made = self.campaign()
        if made is None:
            return
        tz_name = self.service.schedule.time_zone_of(made.bioreactor)
        probe = dataclasses.replace(made, start=start_of_local_date(self.from_day, tz_name))
        free = first_free_start(self.service, probe)
        if free is not None:
            self.start.setDate(qdate(utc_to_local_naive(free, tz_name).date()))
        self._update_preview()

    def _use_free_start(self) -> None:
        if self.free_start is None:
            return
        made = self.campaign()
        if made is None:
            return
        tz_name = self.service.schedule.time_zone_of(made.bioreactor)
        self.start.setDate(qdate(utc_to_local_naive(self.free_start, tz_name).date()))
        self._start_typed = True
        self._update_preview()

    def _fill_products(self) -> None:
        """Products validated for the bioreactor's volume first; the others stay choosable (the
        conflict check will say why they do not fit)."""
        schedule = self.service.schedule
        reactor = schedule.bioreactors.get(self.bioreactor.currentData())
        current = self.product.currentData()
        self.product.blockSignals(True)
        self.product.clear()
        products = sorted(schedule.products.values(), key=lambda p: p.code)
        if reactor is not None:
            fits = [p for p in products if reactor.working_volume_l in p.validated_scales_l]
            products = fits + [p for p in products if p not in fits]
        for product in products:
            scale_ok = reactor is None or reactor.working_volume_l in product.validated_scales_l
            suffix = "" if scale_ok else "  (scale not validated)"
            self.product.addItem(f"{product.code} — {product.name}{suffix}", product.code)
        # Keep the chosen product only where its scale is validated; else the first that fits.
        keep = self.product.findData(current)
        fits_here = reactor is None or any(
            p.code == current and reactor.working_volume_l in p.validated_scales_l for p in products
        )
        self.product.setCurrentIndex(keep if keep >= 0 and fits_here else 0)
        self.product.blockSignals(False)
        self._update_preview()

    def campaign(self) -> Campaign | None:
        schedule = self.service.schedule
        product = schedule.products.get(self.product.currentData())
        reactor_code = self.bioreactor.currentData()
        if product is None or reactor_code not in schedule.bioreactors:
            return None
        if not self.start.is_valid():
            return None
        problems: list[str] = []
        needs = needed_campaign(schedule, self.needs.text(), self.campaign_id, problems)
        if problems:
            return None
        tz_name = schedule.time_zone_of(reactor_code)
        return Campaign(
            self.campaign_id,
            ProductCode(product.code),
            BioreactorCode(reactor_code),
            start_of_local_date(self.start.pydate(), tz_name),
            self.batches.value(),
            product.batch_days,
            product.turnaround_days,
            Status(self.status.currentData()),
            notes=self.notes.text().strip(),
            purpose=Purpose(self.purpose.currentData()),
            needs=needs,
            lag_days=self.lag_days.value(),
        )

    def accept(self) -> None:
        """Create, after asking when the start is before today at the bioreactor's site."""
        made = self.campaign()
        if made is None:
            return
        tz_name = self.service.schedule.time_zone_of(made.bioreactor)
        question = past_start_question(
            made.id, self.start.pydate(), tz_name, datetime.now().astimezone()
        )
        if question and not self.confirm("Start in the past", question):
            self.start.setFocus()
            return
        super().accept()

    def _update_preview(self) -> None:
        made = self.campaign()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(made is not None)
        self.use_free.hide()
        self.free_start = None
        if not self.start.is_valid():
            self.preview.setText(f"Start: {self.start.problem()}.")
            return
        if made is None:
            problems: list[str] = []
            needed_campaign(self.service.schedule, self.needs.text(), self.campaign_id, problems)
            self.preview.setText(problems[0] if problems else "Choose a product and a bioreactor.")
            return
        tz_name = self.service.schedule.time_zone_of(made.bioreactor)
        end = utc_to_local_naive(made.end_in(tz_name), tz_name)
        found = [c for c in self.service.engine.preview([made]) if made.id in c.campaigns]
        lines = [f"Ends {end:%Y-%m-%d} ({made.duration_days} days)."]
        # The engine's advice may say to move the other campaign; this dialog places the new one.
        lines += [f"• {plain_message(c).split(' — ')[0]}" for c in found] or ["No conflicts."]
        if any(c.severity.value == "error" for c in found):
            free = first_free_start(self.service, made)
            if free is None:
                lines.append(
                    f"No later start on {made.bioreactor} is free of errors: choose another "
                    "bioreactor or product."
                )
            else:
                day = utc_to_local_naive(free, tz_name).date()
                lines.append(f"Move {made.id} to start on or after {day:%Y-%m-%d} to avoid them.")
                self.free_start = free
                self.use_free.setText(f"Use first free start ({day:%Y-%m-%d})")
                self.use_free.show()
        self.preview.setText("\n".join(lines))
