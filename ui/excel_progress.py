"""A cancellable progress dialog driven by the Excel core's ``progress(fraction)`` callback.

The core reads and writes in steps and calls back every few hundred rows; each call moves the bar
and lets Qt process events, so the window repaints and the Cancel button works without a thread.
Returning ``False`` tells the core to stop; it then raises ``ExcelCancelled`` and leaves nothing
half done.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

STEPS = 1000


class ExcelProgress:
    def __init__(self, parent: QWidget | None, title: str, label: str) -> None:
        self.dialog = QProgressDialog(label, "Cancel", 0, STEPS, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)

    @property
    def cancelled(self) -> bool:
        return self.dialog.wasCanceled()

    def __call__(self, fraction: float) -> bool:
        self.dialog.setValue(round(max(0.0, min(fraction, 1.0)) * STEPS))
        QApplication.processEvents()
        return not self.dialog.wasCanceled()

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.close()
        self.dialog.deleteLater()
