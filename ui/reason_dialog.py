"""``ReasonDialog``: asks why, before a change that needs a reason is made.

A Confirmed campaign (or any campaign, when the schedule requires a reason for every change)
is only changed with a reason, which the audit row keeps. The dialog is small and keyboard
friendly: type, Enter applies; Esc cancels the change entirely (a dropped block goes back).
Recent reasons are offered for reuse.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

MAX_RECENT = 8
_recent: list[str] = []


class ReasonDialog(QDialog):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_box.addItems(_recent)
        self.reason_box.setCurrentIndex(-1)
        self.reason_box.setMinimumWidth(360)
        line = self.reason_box.lineEdit()
        assert line is not None
        line.setPlaceholderText("Reason for the change (kept in the audit trail)")
        line.setClearButtonEnabled(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Apply")
        ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        line.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.reason_box)
        layout.addWidget(self.buttons)
        self.reason_box.setFocus()

    def reason(self) -> str:
        return self.reason_box.currentText().strip()

    def accept(self) -> None:
        if not self.reason():
            return  # Enter on an empty field: still waiting for a reason
        remember(self.reason())
        super().accept()


def remember(reason: str) -> None:
    """Offer ``reason`` first next time (this session)."""
    if reason in _recent:
        _recent.remove(reason)
    _recent.insert(0, reason)
    del _recent[MAX_RECENT:]


def ask_reason(parent: QWidget | None, title: str, text: str) -> str | None:
    """The reason typed, or None when the planner cancelled."""
    dialog = ReasonDialog(title, text, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason()
    finally:
        dialog.deleteLater()
