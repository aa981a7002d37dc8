"""Help opens the product's own docs offline (F1), follows links between pages, and lists the
keyboard shortcuts the window really binds."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.help_view import HelpBrowser, shortcuts_html


def test_f1_opens_the_user_guide_from_the_docs_folder(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_F1)
    browser = window.window_actions.help_browser
    qtbot.waitUntil(browser.isVisible)
    text = browser.browser.toPlainText()
    assert "Campaign Scheduler — user guide" in text
    assert "Moving and changing campaigns" in text
    assert "Keyboard" in text
    browser.close()


def test_a_link_opens_the_workbook_format_page(qtbot) -> None:
    help_window = HelpBrowser("user-guide.md")
    qtbot.addWidget(help_window)
    help_window.browser.setSource(QUrl("workbook-format.md"))
    assert "What the import refuses" in help_window.browser.toPlainText()


def test_a_missing_page_says_so_instead_of_a_blank_window(qtbot) -> None:
    help_window = HelpBrowser("no-such-page.md")
    qtbot.addWidget(help_window)
    assert "not part of this installation" in help_window.browser.toPlainText()


def test_shortcuts_list_the_bound_keys(window) -> None:
    html = shortcuts_html(window.actions())
    assert "New campaign" in html and "Ctrl+N" in html
    assert "Find" in html and "Ctrl+F" in html
    assert "Esc or right-click while dragging" in html
    window.window_actions.show_shortcuts()
    box = window.window_actions.shortcuts_box
    assert "Undo" in box.text()
    box.close()
    QApplication.processEvents()
