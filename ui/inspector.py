"""The campaign inspector: every field of the selected campaign, edited in site-local terms.

Apply validates the form and emits ``editRequested`` with the edited campaign; the window turns it
into an undoable command. The inspector never changes the schedule itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.campaign_edits import validate_edit
from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from scheduler_app.versions import slip_days
from ui.conflicts_model import plain_message
from ui.date_field import DateField
from ui.plain_text import plain_labels

Confirm = Callable[[str, str], bool]


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def past_start_question(campaign_id: str, day: date, tz_name: str, now: datetime) -> str | None:
    """The question to ask before booking ``campaign_id`` to start on ``day`` (site-local) when
    that day is before today at the site; ``None`` when it is today or later."""
    today = utc_to_local_naive(now, tz_name).date()
    if day >= today:
        return None
    ago = (today - day).days
    return (
        f"{campaign_id} would start on {day:%Y-%m-%d}, {ago} day{'s' if ago != 1 else ''} "
        f"before today ({today:%Y-%m-%d} at the site). Book it in the past anyway?"
    )


class CampaignInspector(QWidget):
    editRequested = Signal(object)
    fixRequested = Signal(str)

    def __init__(
        self,
        service: ScheduleService,
        parent: QWidget | None = None,
        confirm: Confirm | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        # Asked before a start is moved into the past; the window passes its notifier's confirm.
        self.confirm: Confirm = confirm or (lambda _title, _text: True)
        self.campaign: Campaign | None = None

        self.title = QLabel("No campaign selected")
        self.title.setObjectName("inspectorTitle")
        self.subtitle = QLabel("Select a campaign on the timeline or in the conflicts list.")
        self.subtitle.setObjectName("inspectorSubtitle")
        self.subtitle.setWordWrap(True)
        self.selection_note = QLabel()
        self.selection_note.setObjectName("inspectorSelection")
        self.selection_note.setWordWrap(True)
        self.selection_note.hide()

        self.product = QComboBox()
        self.bioreactor = QComboBox()
        for box in (self.product, self.bioreactor):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(12)
        self.start = DateField()
        self.batches = QSpinBox()
        self.batches.setRange(1, 200)
        self.batch_days = QSpinBox()
        self.batch_days.setRange(1, 365)
        self.batch_days.setSuffix(" d")
        self.turnaround_days = QSpinBox()
        self.turnaround_days.setRange(0, 90)
        self.turnaround_days.setSuffix(" d")
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(status.value, status)
        self.has_due = QCheckBox("Due")
        self.due = DateField()
        self.purpose = QComboBox()
        for purpose in Purpose:
            self.purpose.addItem(purpose.value, purpose)
        self.needs = QLineEdit()
        self.needs.setPlaceholderText("Campaign ID it consumes (blank: none)")
        self.needs.setToolTip(
            "The campaign whose output this one consumes (e.g. the antibody an ADC conjugates); "
            "it may start once that one has ended plus the lag days"
        )
        self.lag_days = QSpinBox()
        self.lag_days.setRange(0, 365)
        self.lag_days.setSuffix(" d")
        self.lag_days.setToolTip("Release time (QC) after the needed campaign ends")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes for operations")
        self.notes.setFixedHeight(72)
        # Tab moves on instead of typing a tab character that Apply would save.
        self.notes.setTabChangesFocus(True)
        self.notes.setToolTip("Ctrl+Enter applies; Enter starts a new line")
        self.end_label = QLabel()
        self.end_label.setObjectName("inspectorEnd")
        self.slip_label = QLabel("no published plan shown")
        self.slip_label.setObjectName("inspectorSlip")
        self.baseline: tuple[int, Mapping[CampaignId, Campaign]] | None = None
        self.problems = QLabel()
        self.problems.setObjectName("inspectorProblems")
        self.problems.setWordWrap(True)
        self.conflicts = QLabel()
        self.conflicts.setObjectName("inspectorConflicts")
        self.conflicts.setWordWrap(True)
        plain_labels(
            self.title,
            self.subtitle,
            self.selection_note,
            self.end_label,
            self.problems,
            self.conflicts,
        )
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.revert_button = QPushButton("Revert")
        self.fix_button = QPushButton("Fix…")
        self.fix_button.setObjectName("inspectorFix")
        self.fix_button.setToolTip("Ranked ways to clear this campaign's conflicts, previewed")
        self.fix_button.setEnabled(False)

        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Product", self.product)
        form.addRow("Bioreactor", self.bioreactor)
        form.addRow("Start (site-local)", self.start)
        form.addRow("Batches", self.batches)
        form.addRow("Batch days", self.batch_days)
        form.addRow("Turnaround days", self.turnaround_days)
        form.addRow("Ends", self.end_label)
        form.addRow("Slip", self.slip_label)
        form.addRow("Status", self.status)
        form.addRow(due_row)
        form.addRow("Purpose", self.purpose)
        form.addRow("Needs", self.needs)
        form.addRow("Lag days", self.lag_days)
        form.addRow("Notes", self.notes)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.selection_note)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        body.addWidget(self.problems)
        body.addLayout(buttons)
        body.addWidget(self.conflicts)
        fix_row = QHBoxLayout()
        fix_row.addStretch(1)
        fix_row.addWidget(self.fix_button)
        body.addLayout(fix_row)
        layout.addWidget(self.body)
        layout.addStretch(1)

        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        self.fix_button.clicked.connect(self._ask_fix)
        self.has_due.toggled.connect(self.due.setEnabled)
        for box in (self.product, self.bioreactor, self.status, self.purpose):
            box.currentIndexChanged.connect(self._form_changed)
        self.needs.textChanged.connect(self._form_changed)
        for spin in (self.batches, self.batch_days, self.turnaround_days, self.lag_days):
            spin.valueChanged.connect(self._form_changed)
        self.start.edited.connect(self._form_changed)
        self.start.dateChanged.connect(self._form_changed)
        self.due.edited.connect(self._form_changed)
        self.due.dateChanged.connect(self._form_changed)
        self.has_due.toggled.connect(self._form_changed)
        self.notes.textChanged.connect(self._form_changed)
        for widget in self._inputs():
            widget.installEventFilter(self)
        self.start.line.installEventFilter(self)
        self.due.line.installEventFilter(self)
        self.product.currentIndexChanged.connect(self._product_changed)
        self._loading = False
        self.show_campaign(None)

    def show_campaign(self, campaign: Campaign | None) -> None:
        """Fill the form from ``campaign`` (``None`` clears and disables it)."""
        self.campaign = campaign
        self._loading = True
        self._fill_choices()
        enabled = campaign is not None
        # With nothing selected the form is hidden rather than greyed: stale values would mislead.
        self.body.setVisible(enabled)
        for widget in self._inputs():
            widget.setEnabled(enabled)
        if campaign is None:
            self.title.setText("No campaign selected")
            self.subtitle.setText("Select a campaign on the timeline or in the conflicts list.")
            self.end_label.clear()
            self.conflicts.clear()
            self.problems.clear()
            self._loading = False
            return
        schedule = self.service.schedule
        product = schedule.products.get(campaign.product)
        self.title.setText(campaign.id)
        site = schedule.site_of(campaign.bioreactor)
        client = f" · {product.client}" if product else ""
        name = product.name if product else campaign.product
        self.subtitle.setText(f"{name}{client} · {site.name} ({site.time_zone})")
        self.product.setCurrentIndex(self.product.findData(campaign.product))
        self.bioreactor.setCurrentIndex(self.bioreactor.findData(campaign.bioreactor))
        self.start.setDate(qdate(utc_to_local_naive(campaign.start, site.time_zone).date()))
        self._show_slip(campaign)
        self.batches.setValue(campaign.batches)
        self.batch_days.setValue(campaign.batch_days)
        self.turnaround_days.setValue(campaign.turnaround_days)
        self.status.setCurrentIndex(self.status.findData(campaign.status))
        self.has_due.setChecked(campaign.due is not None)
        self.due.setEnabled(campaign.due is not None)
        self.due.setDate(qdate(campaign.due or self.start.pydate()))
        self.purpose.setCurrentIndex(self.purpose.findData(campaign.purpose))
        self.needs.setText(campaign.needs or "")
        self.lag_days.setValue(campaign.lag_days)
        self.notes.setPlainText(campaign.notes)
        self.problems.clear()
        self._loading = False
        self._form_changed()

    def set_baseline(self, number: int | None, campaigns: Mapping[CampaignId, Campaign]) -> None:
        """Show each campaign's slip in days against published version ``number``."""
        self.baseline = None if number is None else (number, campaigns)
        if self.campaign is not None:
            self._show_slip(self.campaign)

    def _show_slip(self, campaign: Campaign) -> None:
        if self.baseline is None:
            self.slip_label.setText("no published plan shown")
            return
        number, campaigns = self.baseline
        days = slip_days({campaign.id: campaign}, campaigns, self.service.schedule).get(campaign.id)
        if days is None:
            self.slip_label.setText(f"new since v{number}")
        elif days == 0:
            self.slip_label.setText(f"on plan (v{number})")
        else:
            self.slip_label.setText(f"{days:+d} days vs v{number}")
            word = "later" if days > 0 else "earlier"
            self.slip_label.setToolTip(
                f"Starts {abs(days)} days {word} than in published v{number}"
            )

    def note_selection(self, count: int) -> None:
        """With several campaigns selected the form edits one; say so."""
        if self.campaign is not None and count > 1:
            self.selection_note.setText(
                f"{count} campaigns selected; this form edits {self.campaign.id}. "
                "Delete removes all of them."
            )
            self.selection_note.show()
        else:
            self.selection_note.hide()

    def refresh(self) -> None:
        """Re-read the shown campaign after a change (it may have moved, changed or gone).
        Unapplied edits survive a change that left this campaign as it was (another planner's
        change elsewhere): only what they would conflict with is worked out again."""
        if self.campaign is None:
            return
        current = self.service.schedule.campaigns.get(self.campaign.id)
        if current == self.campaign and self.revert_button.isEnabled():
            self._form_changed()
            return
        self.show_campaign(current)

    def edited(self) -> tuple[Campaign | None, list[str]]:
        """The campaign the form describes and the reasons it cannot be applied."""
        if self.campaign is None:
            return None, ["No campaign selected."]
        schedule = self.service.schedule
        problems = []
        reactor_code = self.bioreactor.currentData()
        product_code = self.product.currentData()
        if reactor_code not in schedule.bioreactors:
            problems.append("Choose a bioreactor.")
        if product_code not in schedule.products:
            problems.append("Choose a product.")
        if not self.start.is_valid():
            problems.append(f"Start: {self.start.problem()}.")
        if self.has_due.isChecked() and not self.due.is_valid():
            problems.append(f"Due: {self.due.problem()}.")
        needs = needed_campaign(schedule, self.needs.text(), self.campaign.id, problems)
        if problems:
            return None, problems
        tz_name = schedule.time_zone_of(reactor_code)
        start = start_of_local_date(pydate(self.start.date()), tz_name)
        due = pydate(self.due.date()) if self.has_due.isChecked() else None
        status = Status(self.status.currentData())
        after = dataclasses.replace(
            self.campaign,
            product=ProductCode(product_code),
            bioreactor=BioreactorCode(reactor_code),
            start=start,
            batches=self.batches.value(),
            batch_days=self.batch_days.value(),
            turnaround_days=self.turnaround_days.value(),
            status=status,
            due=due,
            notes=self.notes.toPlainText().strip(),
            purpose=Purpose(self.purpose.currentData()),
            needs=needs,
            lag_days=self.lag_days.value(),
        )
        problems += validate_edit(schedule, self.campaign, after)
        return after, problems

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter in any field applies (Ctrl+Enter in Notes, where Enter starts a new line)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not isinstance(watched, QPushButton)
        ):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if enter and (watched is not self.notes or ctrl):
                if self.apply_button.isEnabled():
                    self.apply()
                return watched is not self.notes or ctrl
        return super().eventFilter(watched, event)

    def apply(self) -> None:
        after, problems = self.edited()
        self.problems.setText("\n".join(problems))
        if after is None or problems or after == self.campaign:
            return
        if self.campaign is not None and after.start != self.campaign.start:
            tz_name = self.service.schedule.time_zone_of(after.bioreactor)
            question = past_start_question(
                after.id, self.start.pydate(), tz_name, datetime.now().astimezone()
            )
            if question and not self.confirm("Start in the past", question):
                return
        self.editRequested.emit(after)

    def revert(self) -> None:
        self.show_campaign(self.campaign)

    def _inputs(self) -> list[QWidget]:
        return [
            self.product, self.bioreactor, self.start, self.batches, self.batch_days,
            self.turnaround_days, self.status, self.has_due, self.due, self.purpose, self.needs,
            self.lag_days, self.notes, self.apply_button, self.revert_button,
        ]  # fmt: skip

    def master_data_changed(self) -> None:
        """Products or bioreactors were added, renamed or removed (an import): refill the lists."""
        self._loading = True
        self.product.clear()
        self.bioreactor.clear()
        self.show_campaign(self.campaign and self.service.schedule.campaigns.get(self.campaign.id))

    def _fill_choices(self) -> None:
        schedule = self.service.schedule
        if self.product.count() != len(schedule.products):
            self.product.clear()
            for code, product in sorted(schedule.products.items()):
                self.product.addItem(f"{code} — {product.name}", code)
        production = schedule.production_bioreactors()
        if self.bioreactor.count() != len(production):
            self.bioreactor.clear()
            for reactor in production:
                self.bioreactor.addItem(
                    f"{reactor.code} ({reactor.working_volume_l:,} L)", reactor.code
                )

    def _product_changed(self) -> None:
        """A new product brings its own batch and turnaround days, as a new campaign would."""
        if self._loading or self.campaign is None:
            return
        product = self.service.schedule.products.get(self.product.currentData())
        if product is not None and product.code != self.campaign.product:
            self.batch_days.setValue(product.batch_days)
            self.turnaround_days.setValue(product.turnaround_days)

    def _ask_fix(self) -> None:
        if self.campaign is not None:
            self.fixRequested.emit(self.campaign.id)

    def _form_changed(self, *_: object) -> None:
        if self._loading or self.campaign is None:
            return
        after, problems = self.edited()
        self.problems.setText("\n".join(problems))
        dirty = after is not None and after != self.campaign
        self.apply_button.setEnabled(dirty and not problems)
        self.revert_button.setEnabled(dirty)
        if after is None:
            return
        schedule = self.service.schedule
        tz_name = schedule.time_zone_of(after.bioreactor)
        end = utc_to_local_naive(after.end_in(tz_name), tz_name)
        shown = f"{end:%Y-%m-%d}" if (end.hour, end.minute) == (0, 0) else f"{end:%Y-%m-%d %H:%M}"
        self.end_label.setText(f"{shown} ({after.duration_days} days)")
        found = (
            self.service.engine.preview([after])
            if dirty
            else self.service.engine.conflicts_for(after.id)
        )
        lines = [f"• {plain_message(c)}" for c in found if after.id in c.campaigns]
        heading = "Would conflict:" if dirty else "Conflicts:"
        self.fix_button.setEnabled(bool(lines) and not dirty)
        self.conflicts.setText(f"{heading}\n" + "\n".join(lines) if lines else "No conflicts.")
        self.conflicts.setProperty("severity", "bad" if lines else "ok")
        self.conflicts.style().unpolish(self.conflicts)
        self.conflicts.style().polish(self.conflicts)
        self.conflicts.setAlignment(Qt.AlignmentFlag.AlignLeft)


def needed_campaign(
    schedule: Schedule, typed: str, campaign_id: str, problems: list[str]
) -> CampaignId | None:
    """The campaign typed in Needs, in the schedule's spelling; a problem when it is unknown or
    the campaign itself."""
    text = typed.strip()
    if not text:
        return None
    found = next((key for key in schedule.campaigns if key.casefold() == text.casefold()), None)
    if found is None:
        problems.append(f"Needs: {text} is not a campaign.")
        return None
    if found == campaign_id:
        problems.append(f"Needs: {campaign_id} cannot need its own output.")
        return None
    return found
