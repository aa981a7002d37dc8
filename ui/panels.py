"""The small protocol a dock's content implements, so the window adds a panel by listing it.

A panel names its dock (``object_name`` is what the saved window layout remembers), says where it
docks, hands over its widget and follows every change the service reports.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from scheduler_app.change_set import ChangeSet


class Panel(Protocol):
    title: str
    object_name: str
    area: Qt.DockWidgetArea

    def content(self) -> QWidget: ...

    def follow(self, change_set: ChangeSet) -> None: ...
