"""Run work the first paint does not need right after it: ``after_first_paint(widget, work)``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

FALLBACK_MS = 1000
"""Run the work anyway this long after it was asked for, if ``widget`` has not painted by then
(a window opened minimised)."""


class _FirstPaint(QObject):
    def __init__(self, widget: QObject, work: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(widget)
        self.widget = widget
        self.work: Callable[[], None] | None = work
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            self.widget.removeEventFilter(self)
            # Once the paint (and the rest of its pass) is done: the next turn of the event loop.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        work, self.work = self.work, None
        if work is not None:
            self.widget.removeEventFilter(self)
            work()


def after_first_paint(
    widget: QObject, work: Callable[[], None], fallback_ms: int = FALLBACK_MS
) -> None:
    """Call ``work`` once, in the event loop's turn after ``widget``'s first paint (or after
    ``fallback_ms`` at the latest). Nothing is called if ``widget`` is deleted first."""
    _FirstPaint(widget, work, fallback_ms)
