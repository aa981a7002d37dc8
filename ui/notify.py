"""How the window talks to the planner in dialogs, behind one small object so tests can record
messages and answer confirmations instead of blocking on a modal box."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui.plain_text import message_box


class Notifier:
    """Modal message boxes parented to the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, text: str) -> None:
        message_box(self.parent, QMessageBox.Icon.Warning, title, text)

    def info(self, title: str, text: str) -> None:
        message_box(self.parent, QMessageBox.Icon.Information, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = message_box(
            self.parent,
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reason(self, title: str, text: str) -> str | None:
        """Ask why (a change that needs a reason); None when the planner cancels."""
        from ui.reason_dialog import ask_reason

        return ask_reason(self.parent, title, text)

    def ask_text(self, title: str, label: str, default: str = "") -> str | None:
        """A line of text typed by the planner; None when cancelled."""
        text, ok = QInputDialog.getText(self.parent, title, label, text=default)
        return text if ok else None


@dataclass
class RecordingNotifier(Notifier):
    """Records what would have been shown; ``answer`` is what every confirmation returns."""

    answer: bool = True
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    reasons: list[str | None] = field(default_factory=list)
    """What the next reason prompts answer, in turn (None = cancel); empty: "test reason"."""
    texts: list[str | None] = field(default_factory=list)
    """What successive ``ask_text`` calls return (None: cancelled)."""

    def __post_init__(self) -> None:
        self.parent = None

    def error(self, title: str, text: str) -> None:
        self.messages.append(("error", title, text))

    def info(self, title: str, text: str) -> None:
        self.messages.append(("info", title, text))

    def confirm(self, title: str, text: str) -> bool:
        self.messages.append(("confirm", title, text))
        return self.answer

    def reason(self, title: str, text: str) -> str | None:
        self.messages.append(("reason", title, text))
        return self.reasons.pop(0) if self.reasons else "test reason"

    def ask_text(self, title: str, label: str, default: str = "") -> str | None:
        self.messages.append(("ask", title, label))
        return self.texts.pop(0) if self.texts else None
