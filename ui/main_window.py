"""The main window: the timeline in the centre, conflicts below, the inspector on the right.

The window owns the undo stack and turns every request from its parts (a drop, an inspector
apply, a delete) into one undo command (those requests are in ``ui/campaign_requests.py``); it
listens to the service to keep every view current.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.campaigns import Purpose, Status
from scheduler_app.change_set import ChangeSet
from scheduler_app.ids import CampaignId
from scheduler_app.rules.conflict import Severity
from scheduler_app.service import ScheduleService
from ui.campaign_requests import CampaignRequests
from ui.capacity_view import CapacityView
from ui.conflicts_model import ConflictsModel
from ui.conflicts_panel import ConflictsPanel
from ui.find_bar import FindBar
from ui.history_panel import HistoryPanel
from ui.inspector import CampaignInspector
from ui.live_notice import LiveNotice
from ui.live_updates import LiveUpdates
from ui.maintenance_actions import MaintenanceActions
from ui.notify import Notifier
from ui.panel_room import PanelRoom
from ui.panels import Panel
from ui.plain_text import plain_labels
from ui.plan_controls import PlanControls
from ui.planning_actions import PlanningActions
from ui.resources import severity_icons
from ui.settings import AppSettings
from ui.stale_edit import ErrorReporter
from ui.timeline import TimelineWidget
from ui.timeline.legend import LegendStrip
from ui.window_actions import WindowActions


class MainWindow(CampaignRequests):
    """``openDatabaseRequested(target)`` asks the application to switch databases."""

    openDatabaseRequested = Signal(str)
    openPlanRequested = Signal(object)
    """Show Live (None) or the named scenario of the same database, in a new window."""

    def __init__(
        self,
        service: ScheduleService,
        settings: AppSettings | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.service = service
        self.settings = settings or AppSettings()
        self.notifier = notifier or Notifier(self)
        self.undo_stack = QUndoStack(self)
        self.site_filter: frozenset[str] | None = None  # the find bar's site filter
        self.errors = ErrorReporter(service, self.notifier, self._refresh_all)
        plan = f"SCENARIO {service.scenario} — " if service.scenario else ""
        self.setWindowTitle(f"Campaign Scheduler — {plan}{service.store.url_for_display}")

        self.timeline = TimelineWidget(service, self)
        self.find_bar = FindBar(service.schedule)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.timeline, 1)
        self.legend = LegendStrip()
        self.legend.hide()
        layout.addWidget(self.legend)
        self.setCentralWidget(centre)

        self.conflicts_model = ConflictsModel(
            service.schedule, service.engine.conflicts, severity_icons(), self
        )
        self.conflicts_panel = ConflictsPanel(self.conflicts_model)
        self.inspector = CampaignInspector(service, confirm=self.notifier.confirm)
        self.capacity = CapacityView(service.schedule)
        self.conflicts_dock = self._dock("conflictsDock", "Conflicts", self.conflicts_panel)
        scroller = QScrollArea()
        scroller.setWidget(self.inspector)
        scroller.setWidgetResizable(True)
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the first field
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inspector_dock = self._dock("inspectorDock", "Campaign", scroller)
        self.capacity_dock = self._dock("capacityDock", "Capacity", self.capacity)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.conflicts_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.capacity_dock)
        self.tabifyDockWidget(self.conflicts_dock, self.capacity_dock)
        self.capacity_dock.hide()
        self.history = HistoryPanel(service, self.notifier)
        self.panels: list[Panel] = [self.history]
        self.panel_docks: dict[str, QDockWidget] = {}
        for panel in self.panels:
            dock = self._dock(panel.object_name, panel.title, panel.content())
            self.addDockWidget(panel.area, dock)
            self.panel_docks[panel.object_name] = dock
        self.history_dock = self.panel_docks[HistoryPanel.object_name]
        self.tabifyDockWidget(self.conflicts_dock, self.history_dock)
        self.conflicts_dock.raise_()
        self.resizeDocks([self.inspector_dock], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.conflicts_dock], [220], Qt.Orientation.Vertical)
        self.room = PanelRoom(
            [self.inspector_dock, self.conflicts_dock], busy=lambda: self.timeline.pointer_down
        )

        self.count_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setObjectName("errorCount")
        self.warning_label = QLabel()
        self.warning_label.setObjectName("warningCount")
        self.database_label = QLabel(service.store.url_for_display)
        plain_labels(self.database_label)
        self.database_label.setObjectName("databaseLabel")
        self.user_label = QLabel(f"User: {service.user}")
        self.user_label.setObjectName("userLabel")
        self.user_label.setToolTip("The name the audit trail records for your changes")
        self.owner_label = QLabel("⚠ Audit not protected")
        self.owner_label.setObjectName("ownerWarning")
        self.owner_label.setStyleSheet("color: #a61e1e; font-weight: bold;")
        self.owner_label.setToolTip(service.audit_warning or "")
        self.owner_label.setVisible(bool(service.audit_warning))
        for label in (
            self.count_label,
            self.error_label,
            self.warning_label,
            self.user_label,
            self.owner_label,
            self.database_label,
        ):
            self.statusBar().addPermanentWidget(label)

        self.notice = LiveNotice(self.timeline)
        self.notice.campaignsPicked.connect(self.show_campaigns)
        self.live = LiveUpdates(
            service, self.notice, self.statusBar(), busy=lambda: self.timeline.pointer_down
        )
        self.window_actions = WindowActions(self)
        self.planning = PlanningActions(self)
        self.plans = PlanControls(self)
        self.maintenance_actions = MaintenanceActions(self)
        layout.insertWidget(0, self.plans.banner)
        self._connect()
        self.service.add_observer(self._schedule_changed)
        self._restore_settings()
        self.room.start()
        self._update_status()
        self._selection_changed(self.timeline.selected_ids())
        self.room.has_content(self.conflicts_dock, self._conflicts_to_show())

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _connect(self) -> None:
        timeline = self.timeline
        timeline.moveRequested.connect(self.move_campaigns)
        timeline.resizeRequested.connect(self.resize_campaign)
        timeline.selectionChanged.connect(self._selection_changed)
        timeline.createRequested.connect(self.new_campaign)
        timeline.campaignActivated.connect(self._activated)
        timeline.contextMenuRequested.connect(self._context_menu)
        timeline.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.conflicts_panel.campaignsPicked.connect(self.show_campaigns)
        self.history.campaignPicked.connect(lambda key: self.show_campaigns([key]))
        self.inspector.editRequested.connect(self.edit_campaign)
        self.find_bar.found.connect(lambda key: self.show_campaigns([key]))
        self.find_bar.filterChanged.connect(self._filter_changed)
        # Capacity follows the timeline's range (after the pan or zoom settles).
        self._capacity_timer = QTimer(self)
        self._capacity_timer.setSingleShot(True)
        self._capacity_timer.setInterval(150)
        self._capacity_timer.timeout.connect(self._capacity_follow_range)
        self.timeline.view.sigXRangeChanged.connect(lambda *_: self._capacity_timer.start())
        self.capacity_dock.visibilityChanged.connect(
            lambda shown: shown and self._capacity_timer.start()
        )
        self.capacity.export_button.clicked.connect(self.window_actions.export_capacity)

    def _capacity_follow_range(self) -> None:
        if self.capacity.isVisible():
            start, end = self.timeline.visible_range()
            self.capacity.set_range(start, end)

    def _selection_changed(self, ids: list[str]) -> None:
        campaigns = self.service.schedule.campaigns
        chosen = [campaigns[key] for key in map(CampaignId, ids) if key in campaigns]
        self.inspector.show_campaign(chosen[-1] if chosen else None)
        self.history.set_campaign(chosen[-1].id if chosen else None)
        self.inspector.note_selection(len(chosen))
        self.window_actions.selection_changed(len(chosen))
        self.planning.selection_changed(len(chosen))
        self.room.has_content(self.inspector_dock, bool(chosen))

    def _activated(self, campaign_id: str) -> None:
        self.show_campaigns([campaign_id])
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.product.setFocus()

    def _context_menu(
        self, position: QPoint, campaign_id: str | None, where: tuple[str, datetime] | None
    ) -> None:
        menu = QMenu(self)
        if campaign_id:
            if campaign_id not in self.timeline.selected_ids():
                self.timeline.select([campaign_id])
                self._selection_changed([campaign_id])
            menu.addAction("Edit in inspector", lambda: self._activated(campaign_id))
            menu.addAction(self.window_actions.duplicate)
            menu.addAction(self.window_actions.delete)
            self.planning.add_to_menu(menu, campaign_id)
        if where is not None:
            bioreactor, instant = where
            menu.addAction(
                f"New campaign on {bioreactor}…", lambda: self.new_campaign(bioreactor, instant)
            )
            if not campaign_id:
                self.maintenance_actions.add_menu_entries(menu, where)
        if not menu.isEmpty():
            menu.popup(position)

    def _filter_changed(
        self,
        sites: Iterable[str] | None,
        products: Iterable[str] | None,
        statuses: Iterable[Status] | None,
        purposes: Iterable[Purpose] | None = None,
    ) -> None:
        self.timeline.set_filter(
            sites=sites, products=products, statuses=statuses, purposes=purposes
        )
        self.site_filter = None if sites is None else frozenset(sites)
        self.conflicts_panel.set_sites(self.site_filter)
        self._update_status()

    def _schedule_changed(self, change_set: ChangeSet) -> None:
        """Observer: keep the views in step with one change (the timeline observes on its own)."""
        if self.conflicts_model.schedule is not self.service.schedule:
            self.conflicts_model.schedule = self.service.schedule
        self.conflicts_model.set_conflicts(self.service.engine.conflicts)
        self.room.has_content(self.conflicts_dock, self._conflicts_to_show())
        if change_set.master_data_changed:
            self.find_bar.update_choices()
            self.inspector.master_data_changed()
        else:
            self.inspector.refresh()
        self.capacity.follow(change_set)
        for panel in self.panels:
            panel.follow(change_set)
        self.window_actions.show_require_reason(self.service.require_reason)
        self._update_status()

    def _conflicts_to_show(self) -> bool:
        """Whether the conflicts panel has something to show (while the plan is still loading it
        is taken to have: hiding it for a moment would bring another tab to the front)."""
        return self.service.loading or bool(self.service.engine.conflicts)

    def _refresh_all(self) -> None:
        """After a refusal: the service has re-read what changed and told the observers; make
        sure the status and the inspector show what is now stored."""
        self.inspector.refresh()
        self._update_status()

    def _update_status(self) -> None:
        if self.service.loading:
            self.count_label.setText("Loading the schedule…")
            self.error_label.setText("")
            self.warning_label.setText("")
            self.conflicts_panel.show_checking()
            return
        schedule = self.service.schedule
        sites = self.site_filter
        if sites is None:
            # Counted in C (a fifth of the Python loop's time, 10 ms at 100,000 campaigns).
            statuses = Counter(map(attrgetter("status"), schedule.campaigns.values()))
            active = len(schedule.campaigns) - statuses[Status.CANCELLED]
        else:
            active = sum(
                1
                for c in schedule.campaigns.values()
                if c.status is not Status.CANCELLED and schedule.site_of(c.bioreactor).code in sites
            )
        shown = "" if sites is None else f" at {', '.join(sorted(sites))}"
        self.count_label.setText(f"{active:,} campaigns{shown}")
        if sites is None:
            counts = self.service.engine.counts()
            errors, warnings = counts.get("error", 0), counts.get("warning", 0)
        else:
            # What the conflicts list shows: the same conflicts, counted the same way.
            found = [c for c in self.service.engine.conflicts if c.site in sites]
            errors = sum(1 for c in found if c.severity is Severity.ERROR)
            warnings = len(found) - errors
        self.error_label.setText(f"{errors} error{'s' if errors != 1 else ''}")
        self.warning_label.setText(f"{warnings} warning{'s' if warnings != 1 else ''}")
        self.error_label.setProperty("severity", "bad" if errors else "ok")
        self.warning_label.setProperty("severity", "warn" if warnings else "ok")
        for label in (self.error_label, self.warning_label):
            label.style().unpolish(label)
            label.style().polish(label)

    def _restore_settings(self) -> None:
        settings = self.settings
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        else:
            self._fit_screen()
        if settings.window_state is not None:
            self.restoreState(settings.window_state)
        self.window_actions.set_row_density(settings.row_density)
        if settings.show_legend:
            self.window_actions.set_show_legend(True)
        self.window_actions.set_zoom(settings.zoom)
        self.window_actions.set_zone(settings.display_zone)
        if settings.show_cancelled:
            # Hidden is the timeline's default; asking again would rebuild it for nothing.
            self.window_actions.set_show_cancelled(True)

    def _fit_screen(self) -> None:
        """First start: 1600×1000 where the screen has room, else most of the screen, with the
        docks sized for what is left (a 768-pixel laptop keeps most of its height for rows)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1600, 1000
        if screen is not None and screen.width() > 0 and screen.height() > 0:
            width = min(width, int(screen.width() * 0.96))
            height = min(height, int(screen.height() * 0.94))
        self.resize(width, height)
        self.resizeDocks([self.inspector_dock], [min(340, width // 4)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.conflicts_dock], [min(220, height // 4)], Qt.Orientation.Vertical)

    def save_settings(self) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Other planners' changes are picked up while the window is open."""
        super().showEvent(event)
        self.live.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live.stop()
        self.service.stop_live()
        self.save_settings()
        self.service.remove_observer(self._schedule_changed)
        super().closeEvent(event)
