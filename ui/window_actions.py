"""The main window's actions, menus and toolbar, kept apart from the window's behaviour."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QToolBar,
)

from scheduler_app.errors import SchedulerError
from ui.resources import about_text, icon

if TYPE_CHECKING:
    from ui.help_view import HelpBrowser
    from ui.main_window import MainWindow

ZONES = [
    (None, "Workstation time"),
    ("UTC", "UTC"),
    ("America/New_York", "New York (SYR)"),
    ("Asia/Seoul", "Seoul (SDO)"),
]


class WindowActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window
        stack = w.undo_stack

        self.open_db = self._action(
            "Open database…", self.open_database, "open", QKeySequence.StandardKey.Open
        )
        self.open_url = self._action("Open database URL…", self.open_database_url)
        self.recent_menu_actions: list[QAction] = []
        self.import_excel = self._action("Import Excel…", self.run_import, "import")
        self.export_excel = self._action("Export Excel…", self.run_export, "export")
        self.export_chart = self._action("Export chart…", self.run_export_chart, "chart")
        self.print_preview = self._action(
            "Print preview…", self.run_print_preview, None, QKeySequence.StandardKey.Print
        )
        self.show_legend = self._action("Legend", None)
        self.show_legend.setCheckable(True)
        self.show_legend.toggled.connect(self.set_show_legend)
        self.quit = self._action("Quit", w.close, None, QKeySequence.StandardKey.Quit)

        self.undo = self._action("Undo", w.undo, "undo", QKeySequence.StandardKey.Undo)
        self.redo = self._action("Redo", w.redo, "redo", QKeySequence.StandardKey.Redo)
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        stack.canUndoChanged.connect(self.undo.setEnabled)
        stack.canRedoChanged.connect(self.redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: self._set_undo_text(self.undo, "Undo", text))
        stack.redoTextChanged.connect(lambda text: self._set_undo_text(self.redo, "Redo", text))
        self.new = self._action(
            "New campaign…", lambda: w.new_campaign(), "new", QKeySequence.StandardKey.New
        )
        self.duplicate = self._action("Duplicate", w.duplicate_selected, "duplicate", "Ctrl+D")
        self.delete = self._action(
            "Delete…", w.delete_selected, "delete", QKeySequence.StandardKey.Delete
        )
        self.require_reason = self._action("Require a reason for every change", None)
        self.require_reason.setCheckable(True)
        self.require_reason.setChecked(w.service.require_reason)
        self.require_reason.setToolTip(
            "Ask for a reason before any change, not only for Confirmed campaigns (applies to "
            "everyone using this schedule)"
        )
        self.require_reason.toggled.connect(self.set_require_reason)
        self.find = self._action(
            "Find…", w.find_bar.focus_find, "find", QKeySequence.StandardKey.Find
        )

        self.zoom_group = QActionGroup(w)
        self.zoom_actions: dict[str, QAction] = {}
        self.zoom_box = QComboBox()
        self.zoom_box.setToolTip("Zoom")
        for number, (preset, label) in enumerate(w.timeline.zoom_preset_names(), start=1):
            action = self._action(label, lambda p=preset: self.set_zoom(p), None, f"Ctrl+{number}")
            action.setCheckable(True)
            self.zoom_group.addAction(action)
            self.zoom_actions[preset] = action
            self.zoom_box.addItem(label, preset)
        self.zoom_box.activated.connect(lambda i: self.set_zoom(self.zoom_box.itemData(i)))
        self.zone_group = QActionGroup(w)
        self.zone_actions: dict[str | None, QAction] = {}
        self.zone_box = QComboBox()
        self.zone_box.setToolTip("Display time zone of the date axis")
        for tz_name, label in ZONES:
            action = self._action(label, lambda z=tz_name: self.set_zone(z))
            action.setCheckable(True)
            self.zone_group.addAction(action)
            self.zone_actions[tz_name] = action
            self.zone_box.addItem(label, tz_name)
        self.zone_box.activated.connect(lambda i: self.set_zone(self.zone_box.itemData(i)))
        self.density_group = QActionGroup(w)
        self.density_actions: dict[str, QAction] = {}
        for density, label in (("comfortable", "Comfortable rows"), ("compact", "Compact rows")):
            action = self._action(label, lambda d=density: self.set_row_density(d))
            action.setCheckable(True)
            self.density_group.addAction(action)
            self.density_actions[density] = action
        self.show_cancelled = self._action("Show cancelled campaigns", None)
        self.show_cancelled.setCheckable(True)
        self.show_cancelled.toggled.connect(self.set_show_cancelled)
        self.capacity = w.capacity_dock.toggleViewAction()
        self.capacity.setText("Capacity view")
        self.capacity.setIcon(icon("capacity"))
        # The dock is tabbed with Conflicts: showing it must also bring its tab to the front.
        self.capacity.triggered.connect(
            lambda checked: checked and QTimer.singleShot(0, w.capacity_dock.raise_)
        )
        self.history = w.history_dock.toggleViewAction()
        self.history.setText("History")
        self.history.setIcon(icon("history"))
        self.history.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.history.setToolTip("Who changed what, when and why (Ctrl+Shift+H)")
        self.about = self._action("About Campaign Scheduler", self.show_about)
        self.user_guide = self._action(
            "User guide", self.show_user_guide, None, QKeySequence.StandardKey.HelpContents
        )
        self.shortcuts = self._action("Keyboard shortcuts", self.show_shortcuts)

        self._build_menus()
        self._build_toolbar()

    def _action(
        self, text: str, slot: Any, icon_name: str | None = None, shortcut: Any = None
    ) -> QAction:
        action = QAction(text, self.window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.open_db, self.open_url])
        self.recent_menu = file_menu.addMenu("Recent databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addActions([self.import_excel, self.export_excel, self.export_chart])
        file_menu.addAction(self.print_preview)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.new, self.duplicate, self.delete])
        edit.addSeparator()
        edit.addAction(self.find)
        edit.addSeparator()
        edit.addAction(self.require_reason)
        view = bar.addMenu("&View")
        zoom = view.addMenu("Zoom")
        zoom.addActions(list(self.zoom_actions.values()))
        zone = view.addMenu("Display time zone")
        zone.addActions(list(self.zone_actions.values()))
        rows = view.addMenu("Row height")
        rows.addActions(list(self.density_actions.values()))
        view.addAction(self.show_cancelled)
        view.addAction(self.show_legend)
        view.addSeparator()
        view.addAction(self.capacity)
        view.addAction(self.history)
        panels = view.addMenu("Panels")
        for dock in (self.window.conflicts_dock, self.window.inspector_dock):
            panels.addAction(dock.toggleViewAction())
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.user_guide, self.shortcuts])
        help_menu.addSeparator()
        help_menu.addAction(self.about)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self.window)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.addActions([self.undo, self.redo])
        bar.addSeparator()
        bar.addActions([self.new, self.duplicate, self.delete])
        bar.addSeparator()
        bar.addActions([self.import_excel, self.export_excel])
        bar.addSeparator()
        bar.addWidget(self.zoom_box)
        bar.addWidget(self.zone_box)
        bar.addSeparator()
        bar.addActions([self.find, self.capacity, self.history])
        self.window.addToolBar(bar)
        self.toolbar = bar

    @staticmethod
    def _set_undo_text(action: QAction, verb: str, text: str) -> None:
        action.setText(f"{verb} {text}" if text else verb)
        action.setToolTip(action.text())

    def selection_changed(self, count: int) -> None:
        self.duplicate.setEnabled(count == 1)
        self.delete.setEnabled(count > 0)

    def set_zoom(self, preset: str) -> None:
        if preset not in self.zoom_actions:
            preset = "quarter" if "quarter" in self.zoom_actions else next(iter(self.zoom_actions))
        self.window.timeline.set_zoom(preset)
        self.zoom_actions[preset].setChecked(True)
        self.zoom_box.setCurrentIndex(self.zoom_box.findData(preset))
        self.window.settings.zoom = preset

    def set_row_density(self, density: str) -> None:
        if density not in self.density_actions:
            density = "comfortable"
        self.window.timeline.set_row_density(density)
        self.density_actions[density].setChecked(True)
        self.window.settings.row_density = density

    def set_zone(self, tz_name: str | None) -> None:
        if tz_name not in self.zone_actions:
            tz_name = None
        self.window.timeline.set_display_zone(tz_name)
        self.zone_actions[tz_name].setChecked(True)
        self.zone_box.setCurrentIndex(self.zone_box.findData(tz_name))
        self.window.settings.display_zone = tz_name

    def set_require_reason(self, required: bool) -> None:
        """The schedule-wide setting, stored and audited; a refusal leaves the menu as it was."""
        service = self.window.service
        if required == service.require_reason:
            return
        try:
            service.set_require_reason(required)
        except SchedulerError as error:
            self.window.errors.report(error)
        self.show_require_reason(service.require_reason)
        state = "now needs" if service.require_reason else "no longer needs"
        self.window.statusBar().showMessage(f"Every change {state} a reason", 6000)

    def show_require_reason(self, required: bool) -> None:
        """Reflect the setting (it may have been switched by another planner)."""
        self.require_reason.blockSignals(True)
        self.require_reason.setChecked(required)
        self.require_reason.blockSignals(False)

    def set_show_cancelled(self, show: bool) -> None:
        self.window.timeline.set_show_cancelled(bool(show))
        self.show_cancelled.setChecked(bool(show))
        self.window.settings.show_cancelled = bool(show)

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open database",
            "",
            "SQLite databases (*.sqlite *.sqlite3 *.db);;All files (*)",
        )
        if path:
            self.window.openDatabaseRequested.emit(path)

    def open_database_url(self) -> None:
        url, ok = QInputDialog.getText(
            self.window, "Open database URL", "SQLAlchemy URL (e.g. postgresql+psycopg://host/db):"
        )
        if ok and url.strip():
            self.window.openDatabaseRequested.emit(url.strip())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.window.settings.recent_databases
        for target in recent:
            self.recent_menu.addAction(
                target, partial(self.window.openDatabaseRequested.emit, target)
            )
        if not recent:
            self.recent_menu.addAction("No recent databases").setEnabled(False)

    # The Excel and render stacks are imported when first used, not at start-up (~80 ms).

    def run_import(self) -> None:
        from ui.import_dialog import run_import

        run_import(self.window, self.window.service, self.window.undo_stack)

    def run_export(self) -> None:
        from ui.export_dialog import run_export

        run_export(self.window, self.window.service)

    def run_export_chart(self) -> None:
        from ui.render import render_timeline

        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export chart", "schedule.png", "PNG image (*.png);;PDF document (*.pdf)"
        )
        if not path:
            return
        start, end = self.window.timeline.visible_range()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = render_timeline(self.window.service, Path(path), start=start, end=end)
        except OSError as error:
            self.window.notifier.error("Export chart", f"The chart could not be written: {error}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(f"Chart written to {written}", 6000)

    def export_capacity(self) -> None:
        from ui.capacity_view import export_capacity

        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export capacity", "capacity.xlsx", "Excel workbook (*.xlsx)"
        )
        if not path:
            return
        try:
            export_capacity(self.window.capacity, path)
        except OSError as error:
            self.window.notifier.error(
                "Export capacity", f"The table could not be written: {error}"
            )
            return
        self.window.statusBar().showMessage(f"Capacity table written to {path}", 6000)

    def set_show_legend(self, show: bool) -> None:
        self.window.legend.setVisible(bool(show))
        self.show_legend.setChecked(bool(show))
        self.window.settings.show_legend = bool(show)

    def run_print_preview(self) -> None:
        """File → Print preview (see ``ui/print_range.py``): the visible range, the whole plan
        or typed dates, a quarter per page, page setup in the preview."""
        from ui.print_range import open_print_preview

        dialog = open_print_preview(self.window)
        self.print_dialog = dialog
        dialog.open()

    def show_user_guide(self) -> HelpBrowser:
        from ui.help_view import HelpBrowser

        browser = HelpBrowser("user-guide.md", self.window)
        browser.show()
        self.help_browser = browser
        return browser

    def show_shortcuts(self) -> None:
        from ui.help_view import shortcuts_html

        box = QMessageBox(self.window)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html(self.window.actions()))
        self.shortcuts_box = box
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About Campaign Scheduler", about_text())
