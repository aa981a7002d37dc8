"""A stand-in with the TimelineWidget contract, used only while ``ui.timeline`` is not importable,
so the window and its tests can be built in parallel with the real timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PRESETS = [
    ("2w", "2 weeks"),
    ("quarter", "Quarter"),
    ("year", "Year"),
    ("3y", "3 years"),
    ("fit", "Fit all"),
]


class StubTimeline(QWidget):
    moveRequested = Signal(list)
    resizeRequested = Signal(str, int)
    selectionChanged = Signal(list)
    createRequested = Signal(str, object)
    campaignActivated = Signal(str)
    contextMenuRequested = Signal(object, object, object)
    statusMessage = Signal(str)

    def __init__(self, service: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._selected: list[str] = []
        self.scrolled_to: str | None = None
        self.zoom = "quarter"
        self.zone: str | None = None
        self.filter: tuple[Any, Any, Any] = (None, None, None)
        self.refreshes = 0
        self._range = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Timeline"))

    def refresh(self, change_set: Any = None) -> None:
        self.refreshes += 1

    def select(self, ids: list[str], emit: bool = False) -> None:
        self._selected = list(ids)
        if emit:
            self.selectionChanged.emit(list(ids))

    def selected_ids(self) -> list[str]:
        return list(self._selected)

    def scroll_to(self, campaign_id: str) -> None:
        self.scrolled_to = campaign_id

    def set_zoom(self, preset: str) -> None:
        self.zoom = preset

    def zoom_preset_names(self) -> list[tuple[str, str]]:
        return list(PRESETS)

    def visible_range(self) -> tuple[datetime, datetime]:
        return self._range

    def set_visible_range(self, start: datetime, end: datetime) -> None:
        self._range = (start, end)

    def set_display_zone(self, tz_name: str | None) -> None:
        self.zone = tz_name

    def set_show_cancelled(self, show: bool) -> None:
        self.show_cancelled = show

    def set_filter(self, sites: Any = None, products: Any = None, statuses: Any = None) -> None:
        self.filter = (sites, products, statuses)

    def set_suite_collapsed(self, suite_code: str, collapsed: bool) -> None:
        pass

    def span(self) -> timedelta:
        return self._range[1] - self._range[0]
