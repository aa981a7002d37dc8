"""Row heights and the row scroll bar of the timeline (a mixin of ``TimelineWidget``).

Rows keep a constant, legible pixel height (``ROW_DENSITIES``); when they do not all fit, the view
scrolls and a scroll bar beside the chart mirrors the rows in view.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QScrollBar

from ui.timeline.rows import RowLayout
from ui.timeline.view import TimelineViewBox

# Row heights in pixels (least, most): rows never squash below a legible height; when they do
# not all fit, the view scrolls (scroll bar, Shift+wheel, dragging the background).
ROW_DENSITIES: dict[str, tuple[float, float]] = {
    "comfortable": (26.0, 34.0),
    "compact": (19.0, 24.0),
}
ROW_PX_MIN, ROW_PX_MAX = ROW_DENSITIES["comfortable"]
SCROLL_STEPS_PER_ROW = 100


class RowFitting:
    """Row height and row scrolling; ``TimelineWidget`` provides the attributes below."""

    view: TimelineViewBox
    layout: RowLayout
    row_density: str
    row_px_range: tuple[float, float]
    row_scroll: QScrollBar

    def row_px(self) -> float:
        height = max(1.0, float(self.view.height()))
        low, high = self.row_px_range
        return min(max(height / max(1, len(self.layout)), low), high)

    def _fit_rows(self, *_: object) -> None:
        """Keep a constant row height: the visible row span follows the view's pixel height."""
        height = self.view.height()
        if height <= 0:
            return
        count = len(self.layout)
        span = height / self.row_px()
        top = self.view.viewRange()[1][0]
        top = min(max(0.0, top), max(0.0, count - span))
        self.view.setLimits(yMin=0.0, yMax=max(float(count), span), minYRange=span, maxYRange=span)
        self.view.setYRange(top, top + span, padding=0)
        self._sync_row_scroll()

    def set_row_density(self, density: str) -> None:
        """``"comfortable"`` or ``"compact"`` row heights (see ``ROW_DENSITIES``)."""
        if density not in ROW_DENSITIES:
            raise ValueError(f"unknown row density {density!r}")
        self.row_density = density
        self.row_px_range = ROW_DENSITIES[density]
        self._fit_rows()

    def _sync_row_scroll(self, *_: object) -> None:
        """The scroll bar mirrors the rows in view; hidden when every row fits."""
        if not hasattr(self, "layout"):
            return
        top, bottom = self.view.viewRange()[1]
        span = max(bottom - top, 1e-6)
        hidden_rows = max(0.0, len(self.layout) - span)
        bar = self.row_scroll
        bar.blockSignals(True)
        bar.setRange(0, int(round(hidden_rows * SCROLL_STEPS_PER_ROW)))
        bar.setPageStep(max(1, int(span * SCROLL_STEPS_PER_ROW)))
        bar.setSingleStep(SCROLL_STEPS_PER_ROW)
        bar.setValue(int(round(top * SCROLL_STEPS_PER_ROW)))
        bar.blockSignals(False)
        if bar.isHidden() == (hidden_rows > 0.01):
            # Not from inside a resize: the layout would give the bar no width until the next one.
            QTimer.singleShot(0, self._show_row_scroll_if_needed)

    def _show_row_scroll_if_needed(self) -> None:
        top, bottom = self.view.viewRange()[1]
        self.row_scroll.setVisible(len(self.layout) - (bottom - top) > 0.01)

    def _row_scrolled(self, value: int) -> None:
        top = self.view.viewRange()[1][0]
        self.view.scroll_rows(value / SCROLL_STEPS_PER_ROW - top)
