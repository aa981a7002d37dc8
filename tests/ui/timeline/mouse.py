"""Real mouse events for the timeline, the way pyqtgraph's own ``tests/ui_testing.py`` drives its
items: QMouseEvents sent to the view's viewport."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from scheduler_app.localtime import to_epoch

LEFT = Qt.MouseButton.LeftButton
RIGHT = Qt.MouseButton.RightButton
NO_BUTTON = Qt.MouseButton.NoButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def point_at(widget, instant: datetime | float, row: float) -> QPoint:  # type: ignore[no-untyped-def]
    """The viewport pixel showing ``instant`` on row coordinate ``row``."""
    x = to_epoch(instant) if isinstance(instant, datetime) else instant
    scene = widget.view.mapViewToScene(QPointF(x, row))
    return widget.plot.mapFromScene(scene)


def view_x(widget, point: QPoint) -> float:  # type: ignore[no-untyped-def]
    """Epoch seconds under a viewport pixel."""
    return widget.view.mapSceneToView(widget.plot.mapToScene(point)).x()


def send(widget, kind: QEvent.Type, pos: QPoint, button, buttons, keys=NO_KEYS) -> None:  # type: ignore[no-untyped-def]
    viewport = widget.plot.viewport()
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons, keys
    )
    QApplication.sendEvent(viewport, event)


def press(widget, pos: QPoint, keys=NO_KEYS, button=LEFT) -> None:  # type: ignore[no-untyped-def]
    send(widget, QEvent.Type.MouseButtonPress, pos, button, button, keys)


def move(widget, pos: QPoint, keys=NO_KEYS, buttons=LEFT) -> None:  # type: ignore[no-untyped-def]
    send(widget, QEvent.Type.MouseMove, pos, NO_BUTTON, buttons, keys)


def release(widget, pos: QPoint, keys=NO_KEYS, button=LEFT) -> None:  # type: ignore[no-untyped-def]
    send(widget, QEvent.Type.MouseButtonRelease, pos, button, NO_BUTTON, keys)


def drag(widget, start: QPoint, end: QPoint, keys=NO_KEYS, finish: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Press at ``start``, move in steps to ``end`` and (unless ``finish`` is False) release."""
    press(widget, start, keys)
    steps = 8
    for step in range(1, steps + 1):
        move(widget, start + (end - start) * step / steps, keys)
    if finish:
        release(widget, end, keys)
