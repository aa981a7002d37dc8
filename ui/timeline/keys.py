"""Keys on the timeline (the base of ``TimelineWidget``): Esc cancels a drag; Left/Right and
Alt+Up/Down on a selection ask for a nudge. It also notes whether a mouse button is held on the
chart, so live updates wait until the planner lets go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.timeline.drag import DragController


class TimelineKeys(QWidget):
    """Key and pointer-state handling; ``TimelineWidget`` provides the attributes below."""

    nudgeRequested = Signal(int, int)
    """(days, rows): move the selection by this much (one undo step)."""

    pointer_down: bool
    drag: DragController
    _selected: list[str]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self.pointer_down = True
        elif kind == QEvent.Type.MouseButtonRelease:
            self.pointer_down = False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape and self.drag.cancel():
                return True
            if self._nudge_key(event):
                return True
        return super().eventFilter(watched, event)

    def _nudge_key(self, event: QKeyEvent) -> bool:
        """Left/Right (Shift: a week) and Alt+Up/Down on a selection ask for a nudge."""
        if not self._selected or self.drag.active:
            return False
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if mods & Qt.KeyboardModifier.ControlModifier:
            return False
        step = 7 if mods & Qt.KeyboardModifier.ShiftModifier else 1
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not alt:
            self.nudgeRequested.emit(step if key == Qt.Key.Key_Right else -step, 0)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and alt:
            self.nudgeRequested.emit(0, 1 if key == Qt.Key.Key_Down else -1)
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.drag.cancel():
            return
        super().keyPressEvent(event)
