"""Find (Ctrl+F) by campaign ID, product or client, and filter the timeline by site, product and
status. The bar finds and filters; the window decides what a hit means (select and scroll)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.schedule import Schedule
from ui.plain_text import plain_labels


def find_campaigns(schedule: Schedule, text: str) -> list[Campaign]:
    """Campaigns whose ID, product code or name, client or notes contain ``text`` (any case):
    exact ID matches first, then by start."""
    needle = text.strip().lower()
    if not needle:
        return []
    hits = []
    for campaign in schedule.campaigns.values():
        product = schedule.products.get(campaign.product)
        fields = [campaign.id, campaign.product, campaign.notes]
        if product is not None:
            fields += [product.name, product.client]
        if any(needle in field.lower() for field in fields):
            hits.append(campaign)
    return sorted(hits, key=lambda c: (c.id.lower() != needle, c.start, c.id))


class StayOpenMenu(QMenu):
    """Ticking a checkable entry toggles it and keeps the menu open, so several can be ticked in
    one go; other entries ("Show all") and a click outside close it as usual."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        action = self.activeAction()
        toggle = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if toggle and action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().keyPressEvent(event)


class FilterMenuButton(QToolButton):
    """A drop-down of checkable choices; all checked means no filter."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(StayOpenMenu(self))
        self._actions: list[QAction] = []
        self._update_text()

    def set_choices(self, choices: list[tuple[object, str]]) -> None:
        kept = self.selected()
        menu = self.menu()
        menu.clear()
        self._actions = []
        for value, text in choices:
            action = QAction(text, menu)
            action.setCheckable(True)
            action.setChecked(kept is None or value in kept)
            action.setData(value)
            action.toggled.connect(self._toggled)
            menu.addAction(action)
            self._actions.append(action)
        if choices:
            menu.addSeparator()
            menu.addAction("Show all", self.clear)
        self._update_text()

    def selected(self) -> set[object] | None:
        """The checked values, or ``None`` when all are checked (no filter)."""
        if not self._actions or all(action.isChecked() for action in self._actions):
            return None
        return {action.data() for action in self._actions if action.isChecked()}

    def set_selected(self, values: set[object] | None) -> None:
        for action in self._actions:
            action.blockSignals(True)
            action.setChecked(values is None or action.data() in values)
            action.blockSignals(False)
        self._toggled()

    def clear(self) -> None:
        self.set_selected(None)

    def _toggled(self, *_: object) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.selected()
        if chosen is None:
            shown = "all"
        elif len(chosen) == 1:
            shown = str(next(iter(chosen)))
        else:
            shown = f"{len(chosen)} of {len(self._actions)}"
        self.setText(f"{self.label}: {shown}")


class FindBar(QWidget):
    """Emits ``found(campaign_id)`` for each hit the planner steps to, and ``filterChanged`` with
    ``(sites, products, statuses, purposes)`` (sets, or ``None`` for all)."""

    found = Signal(str)
    filterChanged = Signal(object, object, object, object)

    def __init__(self, schedule: Schedule, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.schedule = schedule
        self.hits: list[Campaign] = []
        self.position = -1
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find campaign ID, product, client or notes (Ctrl+F)")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(160)
        self.edit.setMaximumWidth(380)
        self.result = QLabel()
        plain_labels(self.result)
        self.result.setObjectName("findResult")
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next match (Enter)")
        self.sites = FilterMenuButton("Sites")
        self.products = FilterMenuButton("Products")
        self.statuses = FilterMenuButton("Status")
        self.purposes = FilterMenuButton("Purpose")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.edit, 2)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(QLabel("Filter:"))
        layout.addWidget(self.sites)
        layout.addWidget(self.products)
        layout.addWidget(self.statuses)
        layout.addWidget(self.purposes)

        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(self.step)
        self.next_button.clicked.connect(self.step)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        for button in (self.sites, self.products, self.statuses, self.purposes):
            button.changed.connect(self._emit_filter)
        self.update_choices()

    def update_choices(self) -> None:
        """Refill the filter menus from the schedule's master data."""
        schedule = self.schedule
        self.sites.set_choices(
            [(code, f"{code} — {site.name}") for code, site in sorted(schedule.sites.items())]
        )
        self.products.set_choices(
            [
                (code, f"{code} — {product.name} ({product.client})")
                for code, product in sorted(schedule.products.items())
            ]
        )
        self.statuses.set_choices([(status, status.value) for status in Status])
        self.purposes.set_choices([(purpose, purpose.value) for purpose in Purpose])

    def focus_find(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def step(self, direction: int = 1) -> None:
        """Go to the next (or previous) hit and announce it."""
        if not self.hits:
            self._search(self.edit.text())
        if not self.hits:
            return
        self.position = (self.position + direction) % len(self.hits)
        self._show_position()
        self.found.emit(self.hits[self.position].id)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.step(-1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.edit.clear()
            return
        super().keyPressEvent(event)

    def _search(self, text: str) -> None:
        self.hits = find_campaigns(self.schedule, text)
        self.position = -1
        if not text.strip():
            self.result.clear()
        elif not self.hits:
            self.result.setText("no match")
        else:
            self.result.setText(f"{len(self.hits)} found")

    def _show_position(self) -> None:
        hit = self.hits[self.position]
        self.result.setText(f"{self.position + 1} of {len(self.hits)}: {hit.id}")

    def _emit_filter(self) -> None:
        self.filterChanged.emit(
            self.sites.selected(),
            self.products.selected(),
            self.statuses.selected(),
            self.purposes.selected(),
        )
