"""Docks that give the timeline room when they have nothing to say.

On a 1366×768 laptop an empty inspector ("No campaign selected") and an empty conflicts list left
the timeline about 770 px wide. A :class:`PanelRoom` hides such a dock while it is empty and shows
it again when it has something to show, but only a dock it hid itself: a panel the planner closed
stays closed. A dock is never shown while a mouse button is held (the timeline would resize under
a press or drag); it appears when the button is released.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow


class PanelRoom:
    def __init__(self, docks: list[QDockWidget], busy: Callable[[], bool] = lambda: False) -> None:
        self._busy = busy
        # The size a dock comes back at: what it had when hidden, or a share of the window.
        self._size: dict[int, int] = {}
        self._managed = {id(dock): dock for dock in docks}
        self._auto_hidden: set[int] = set()
        self._wanted: dict[int, bool] = {}
        self._changing = False
        self.enabled = True
        for dock in docks:
            dock.visibilityChanged.connect(lambda _v, d=dock: self._planner_toggled(d))
        self._timer = QTimer(docks[0] if docks else None)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._apply_pending)

    def start(self) -> None:
        """Docks the planner left closed (restored window state) are never shown automatically."""
        for key, dock in list(self._managed.items()):
            if dock.isHidden():
                del self._managed[key]

    def has_content(self, dock: QDockWidget, content: bool) -> None:
        """Say whether ``dock`` has something to show; it is hidden or shown to match."""
        key = id(dock)
        if not self.enabled or key not in self._managed:
            return
        self._wanted[key] = content
        self._apply_pending()

    def auto_hidden(self, dock: QDockWidget) -> bool:
        return id(dock) in self._auto_hidden

    def _apply_pending(self) -> None:
        if QApplication.mouseButtons() or self._busy():
            self._timer.start()
            return
        self._timer.stop()
        for key, content in list(self._wanted.items()):
            dock = self._managed.get(key)
            if dock is None:
                continue
            self._changing = True
            try:
                if not content and not dock.isHidden():
                    if dock.isVisible():
                        self._size[key] = self._extent(dock)
                    dock.hide()
                    self._auto_hidden.add(key)
                elif content and key in self._auto_hidden:
                    self._auto_hidden.discard(key)
                    dock.show()
                    self._restore_size(dock)
            finally:
                self._changing = False
        self._wanted.clear()

    @staticmethod
    def _orientation(dock: QDockWidget) -> Qt.Orientation:
        window = dock.parentWidget()
        area = window.dockWidgetArea(dock) if isinstance(window, QMainWindow) else None
        sideways = area in (
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        return Qt.Orientation.Horizontal if sideways else Qt.Orientation.Vertical

    def _extent(self, dock: QDockWidget) -> int:
        horizontal = self._orientation(dock) is Qt.Orientation.Horizontal
        return dock.width() if horizontal else dock.height()

    def _restore_size(self, dock: QDockWidget) -> None:
        window = dock.parentWidget()
        if not isinstance(window, QMainWindow) or dock.isFloating():
            return
        orientation = self._orientation(dock)
        horizontal = orientation is Qt.Orientation.Horizontal
        share = (window.width() // 4) if horizontal else (window.height() // 4)
        default = min(340 if horizontal else 220, share)
        size = self._size.get(id(dock), 0)
        window.resizeDocks([dock], [size if size >= 120 else default], orientation)

    def _planner_toggled(self, dock: QDockWidget) -> None:
        """A dock shown or closed by the planner is theirs: stop hiding or showing it."""
        if self._changing or self._timer.isActive():
            return
        key = id(dock)
        if key in self._auto_hidden and dock.isVisible():
            self._auto_hidden.discard(key)
