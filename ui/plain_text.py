"""Planner and Excel text shown as text, never as markup.

Qt guesses whether a label's, tooltip's or message box's text is HTML (``Qt.AutoText``): a
Campaign ID ``<b>CMP-X</b>`` would show bold, and a product name ``<img src="/dev/zero">``
imported from a workbook made the app abort while loading the "image". Labels that show user
text are set to plain text here; tooltips (always guessed) are escaped into rich text that
displays the characters as typed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_labels(*labels: QLabel) -> None:
    """Show these labels' text exactly as set, whatever it contains."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` literally (line breaks kept)."""
    if not text:
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox.StandardButton:
    """A modal message box with plain text (the static ``QMessageBox.warning`` & co. guess)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())
