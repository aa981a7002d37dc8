"""The New campaign dialog: product, bioreactor, site-local start date and batches, with the
product's defaults and a live preview of what the campaign would conflict with."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, ProductCode
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.service import ScheduleService
from ui.conflicts_model import plain_message
from ui.date_field import DateField
from ui.inspector import Confirm, past_start_question, qdate


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
        for reactor in schedule.bioreactors_in_order():
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
        self.notes = QLineEdit()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setObjectName("inspectorConflicts")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")

        form = QFormLayout()
        form.addRow("Campaign ID", QLabel(self.campaign_id))
        form.addRow("Bioreactor", self.bioreactor)
        form.addRow("Product", self.product)
        form.addRow("Start (site-local)", self.start)
        form.addRow("Batches", self.batches)
        form.addRow("Status", self.status)
        form.addRow("Notes", self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.bioreactor.currentIndexChanged.connect(self._fill_products)
        for signal in (
            self.product.currentIndexChanged,
            self.start.dateChanged,
            self.start.edited,
            self.batches.valueChanged,
        ):
            signal.connect(self._update_preview)
        self._fill_products()

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
        self.product.setCurrentIndex(max(self.product.findData(current), 0))
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
        if not self.start.is_valid():
            self.preview.setText(f"Start: {self.start.problem()}.")
            return
        if made is None:
            self.preview.setText("Choose a product and a bioreactor.")
            return
        tz_name = self.service.schedule.time_zone_of(made.bioreactor)
        end = utc_to_local_naive(made.end_in(tz_name), tz_name)
        found = [c for c in self.service.engine.preview([made]) if made.id in c.campaigns]
        lines = [f"Ends {end:%Y-%m-%d} ({made.duration_days} days)."]
        lines += [f"• {plain_message(c)}" for c in found] or ["No conflicts."]
        self.preview.setText("\n".join(lines))
