"""Help inside the product: the user guide (``docs/user-guide.md``) rendered offline in a
QTextBrowser, following links to the other docs pages, and the keyboard shortcuts as the window's
actions actually bind them (so the list can never drift from the keys)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ui.resources import DOCS

# What the mouse and the keys do on the timeline itself (not actions with shortcuts).
TIMELINE_KEYS: tuple[tuple[str, str], ...] = (
    ("Drag a block", "move it in time and across bioreactors (snaps to site-local midnight)"),
    ("Shift or Alt while dragging", "move freely, without snapping"),
    ("Drag a block's right edge", "change its number of batches"),
    ("Esc or right-click while dragging", "cancel the drag"),
    ("Ctrl+click", "add to or remove from the selection"),
    ("Shift- or Ctrl-drag on empty space", "select with a rectangle"),
    ("Wheel", "zoom time; Shift+wheel or wheel over the labels: scroll rows"),
    ("Double-click", "open a block; on empty row space: new campaign there"),
    ("Up / Down in a date field", "a day later / earlier (PgUp / PgDn: a month)"),
    ("Tab / Shift+Tab", "next / previous panel or field; the conflicts table is one stop"),
    ("Enter in the inspector", "apply (Ctrl+Enter in Notes)"),
)


class HelpBrowser(QDialog):
    """A non-modal window on one docs page; links to other pages open in place."""

    def __init__(self, page: str = "user-guide.md", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Campaign Scheduler — User guide")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(DOCS)])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 760)
        self.open_page(page)

    def open_page(self, page: str) -> None:
        path = DOCS / page
        if path.exists():
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
            )
        else:
            self.browser.setHtml(
                f"<p>The documentation page <b>{escape(page)}</b> is not part of this "
                f"installation (looked in {escape(str(DOCS))}).</p>"
            )


def shortcuts_html(actions: Iterable[QAction]) -> str:
    """A table of every action that has a shortcut, then the timeline's mouse and keys."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            name = action.text().replace("&", "").rstrip("…").strip()
            rows.append((" or ".join(keys), name))
    rows.sort(key=lambda row: row[1].lower())
    rows += list(TIMELINE_KEYS)
    body = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'><b>{escape(key)}</b></td>"
        f"<td>{escape(what)}</td></tr>"
        for key, what in rows
    )
    return f"<h2>Keyboard shortcuts</h2><table>{body}</table>"
