"""Live, scenarios and published plans in the window: the toolbar's plan switch, the banner
that marks a scenario unmistakably, New/Delete scenario, Compare with Live (with Live's
positions outlined on the timeline), Promote to Live, Publish, and the baseline bars of a
published version with each campaign's slip in the inspector."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QMenu

from scheduler_app import scenarios, versions
from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import ChangeSet
from scheduler_app.errors import SchedulerError
from scheduler_app.ids import CampaignId
from scheduler_app.live import RemoteChange
from scheduler_app.service import ScheduleService

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LIVE_LABEL = "Live (plan of record)"
BANNER_STYLE = (
    "QLabel#scenarioBanner { background: #e8590c; color: white; font-weight: bold;"
    " padding: 5px 10px; }"
)


class PlanControls(QObject):
    """Owns the plan actions of one window; switching plans asks the application for a new
    window on the same database (``openPlanRequested``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.service: ScheduleService = window.service
        self.scenario = window.service.scenario
        self.switch = QComboBox()
        self.switch.setObjectName("planSwitch")
        self.switch.setToolTip("Which plan this window shows: Live or a what-if scenario")
        self.new_scenario = self._action("New scenario…", self.create_scenario)
        self.delete_scenario = self._action("Delete this scenario…", self.remove_scenario)
        self.compare = self._action("Compare with Live…", self.show_compare)
        self.promote = self._action("Promote to Live…", self.promote_to_live)
        self.publish = self._action("Publish plan…", self.publish_plan)
        self.master_data = self._action("Products, equipment and sites…", self.edit_master_data)
        for action in (self.delete_scenario, self.compare, self.promote):
            action.setEnabled(self.scenario is not None)
        self.publish.setEnabled(self.scenario is None)
        self.baseline_menu = QMenu("Show published plan")
        self.baseline_menu.aboutToShow.connect(self._fill_baselines)
        self.banner = QLabel()
        self.banner.setObjectName("scenarioBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setVisible(self.scenario is not None)
        self.banner.setText(
            f"SCENARIO “{self.scenario}” — a what-if copy: changes here never touch Live. "
            "Dashed outlines show where Live has what this scenario moved."
        )
        self._fill_switch()
        self.shown_version: int | None = None
        self.live_plan: dict[CampaignId, Campaign] = {}
        """Live's campaigns as outlined beside a scenario (kept up to date as Live changes)."""
        self.compare_dialog: object | None = None
        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(250)
        self._compare_timer.timeout.connect(self._refresh_compare)
        self.switch.activated.connect(self._switched)
        self._install()
        window.live.otherPlansChanged.connect(self.other_plans_changed)
        self.service.add_observer(self._plan_changed)
        if self.scenario is not None:
            self.show_live_outlines()

    def _action(self, text: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _install(self) -> None:
        bar = self.window.window_actions.toolbar
        bar.addSeparator()
        bar.addWidget(QLabel(" Plan: "))
        bar.addWidget(self.switch)
        bar.addAction(self.compare)
        bar.addAction(self.promote)
        # The planning actions' Plan menu (Fix, Shift, Optimise) gains the plans' entries.
        menu = self.window.planning.menu
        menu.addSeparator()
        menu.addActions([self.new_scenario, self.delete_scenario])
        menu.addSeparator()
        menu.addActions([self.compare, self.promote])
        menu.addSeparator()
        menu.addAction(self.publish)
        menu.addMenu(self.baseline_menu)
        menu.addSeparator()
        menu.addAction(self.master_data)

    def _fill_switch(self) -> None:
        self.switch.clear()
        self.switch.addItem(LIVE_LABEL, None)
        for info in scenarios.list_scenarios(self.service.store):
            self.switch.addItem(f"Scenario: {info.name}", info.name)
        self.switch.setCurrentIndex(max(0, self.switch.findData(self.scenario)))

    def _switched(self, index: int) -> None:
        target = self.switch.itemData(index)
        if target != self.scenario:
            self.window.openPlanRequested.emit(target)

    def create_scenario(self) -> None:
        name = self.window.notifier.ask_text(
            "New scenario", "Name of the what-if copy of Live (e.g. “PPQ slips a month”):"
        )
        if not name:
            return
        try:
            info = scenarios.create_scenario(self.service.store, name, user=self.service.user)
        except SchedulerError as error:
            self.window.notifier.error("Cannot create the scenario", str(error))
            return
        self.window.openPlanRequested.emit(info.name)

    def remove_scenario(self) -> None:
        if self.scenario is None:
            return
        question = f"Delete scenario “{self.scenario}” and its changes? Live is not affected."
        if not self.window.notifier.confirm("Delete scenario", question):
            return
        try:
            scenarios.delete_scenario(self.service.store, self.scenario, user=self.service.user)
        except SchedulerError as error:
            self.window.notifier.error("Cannot delete the scenario", str(error))
            return
        self.window.openPlanRequested.emit(None)

    def show_live_outlines(self) -> None:
        self.live_plan = dict(self.service.store.load().campaigns)
        self.window.timeline.show_reference("outline", self.live_plan)

    def other_plans_changed(self, changes: list[RemoteChange]) -> None:
        """Another planner committed to a plan this window does not show: list scenarios made
        or deleted, and beside a scenario redraw Live's outlines (and the comparison)."""
        if any(change.scenario_event for change in changes):
            self._fill_switch()
        if self.scenario is None:
            return
        if self.service.scenario_deleted:
            self.banner.setText(f"SCENARIO “{self.scenario}” was deleted by another planner.")
            return
        live = [c for c in changes if c.scenario is None and not c.scenario_event]
        if not live:
            return
        if any(change.master for change in live):
            self.show_live_outlines()
        else:
            keys = list(dict.fromkeys(key for change in live for key in change.campaigns))
            fresh = self.service.store.load_campaigns(keys)
            for key in keys:
                if key in fresh:
                    self.live_plan[key] = fresh[key]
                else:
                    self.live_plan.pop(key, None)
            self.window.timeline.show_reference("outline", self.live_plan)
        told = live[-1].description
        self.window.statusBar().showMessage(f"Live: {told} (outlines updated)", 8000)
        self._compare_timer.start()

    def _plan_changed(self, change_set: ChangeSet) -> None:
        if self.compare_dialog is not None:
            self._compare_timer.start()

    def _refresh_compare(self) -> None:
        from ui.scenario_compare import CompareDialog

        dialog = self.compare_dialog
        if isinstance(dialog, CompareDialog) and dialog.isVisible():
            with contextlib.suppress(SchedulerError):  # the scenario is gone; the banner says so
                dialog.refresh()

    def show_compare(self) -> None:
        from ui.scenario_compare import CompareDialog

        if self.scenario is None:
            return
        self.show_live_outlines()
        dialog = CompareDialog(self.service.store, self.scenario, self.window)
        dialog.promoteRequested.connect(self.promote_to_live)
        dialog.open()
        self.compare_dialog = dialog

    def promote_to_live(self) -> bool:
        """Apply the scenario to Live as one change: refused up front (naming who changed what)
        when Live moved on; a change to a Confirmed campaign asks for a reason like a drop
        does (Esc cancels, nothing applied); otherwise the reason is optional."""
        from scheduler_app.promote import PromoteRefusedError, plan_promotion, promote

        if self.scenario is None:
            return False
        notifier = self.window.notifier
        live = ScheduleService(self.service.store, user=self.service.user)
        try:
            plan = plan_promotion(live, self.scenario)
            if plan.refused:
                raise PromoteRefusedError("; ".join(plan.refused), plan.refused)
            ask = f"Apply scenario “{self.scenario}” to Live as one change"
            if plan.needs_reason(live.require_reason):
                confirmed = plan.confirmed
                names = ", ".join(confirmed[:4]) + (
                    f" and {len(confirmed) - 4} more" if len(confirmed) > 4 else ""
                )
                why = (
                    f"It changes {names}, {'which is' if len(confirmed) == 1 else 'which are'} "
                    "Confirmed in Live"
                    if confirmed
                    else "This schedule asks for a reason for every change"
                )
                reason = notifier.reason(
                    "Reason for promoting", f"{ask}. {why}: say why, for the audit trail."
                )
            else:
                reason = notifier.ask_text("Promote to Live", f"{ask}. Reason (kept in the audit):")
            if reason is None:
                self.window.statusBar().showMessage("Promote cancelled; Live unchanged", 6000)
                return False
            change_set = promote(live, self.scenario, reason=reason or None)
        except PromoteRefusedError as refused:
            notifier.error(
                "Promote refused",
                f"Scenario “{self.scenario}” was not promoted, nothing was applied: "
                f"{'; '.join(refused.refused)}.\n\nOpen Live, see what changed, and try again.",
            )
            return False
        except SchedulerError as error:
            notifier.error("Promote refused", str(error))
            return False
        finally:
            live.stop_live()
        self.service.reload()  # the promoted rows now count from Live's versions
        notifier.info("Promoted to Live", change_set.description + ".")
        self.show_live_outlines()
        return True

    def publish_plan(self) -> None:
        reason = self.window.notifier.ask_text(
            "Publish plan", "Why is Live published now (e.g. “sent to operations”)?"
        )
        if not reason:
            return
        try:
            version = versions.publish_plan(
                self.service.store, reason=reason, user=self.service.user
            )
        except SchedulerError as error:
            self.window.notifier.error("Cannot publish", str(error))
            return
        self.window.notifier.info(
            "Published", f"Live is now published as version {version.number}."
        )
        self.show_baseline(version.number)

    def edit_master_data(self) -> None:
        from ui.master_data_dialog import MasterDataDialog

        self.master_dialog = MasterDataDialog(self.window)
        self.master_dialog.open()

    def show_baseline(self, number: int | None) -> None:
        """Baseline bars of version ``number`` under the blocks and slip in the inspector."""
        if number is None:
            self.window.timeline.show_reference("baseline", None)
            self.window.inspector.set_baseline(None, {})
            return
        version = versions.load_version(self.service.store, number, self.service.schedule)
        self.window.timeline.show_reference("baseline", version.campaigns)
        self.window.inspector.set_baseline(number, version.campaigns)
        self.shown_version = number

    def _fill_baselines(self) -> None:
        menu = self.baseline_menu
        menu.clear()
        shown = self.shown_version
        none = menu.addAction("None")
        none.setCheckable(True)
        none.setChecked(shown is None)
        none.triggered.connect(lambda _c=False: self._choose(None))
        found = versions.list_versions(self.service.store)
        for version in reversed(found):
            text = f"v{version.number} — {version.at:%Y-%m-%d} {version.meaning} ({version.reason})"
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(shown == version.number)
            action.triggered.connect(lambda _c=False, n=version.number: self._choose(n))
        if not found:
            menu.addAction("No published versions yet").setEnabled(False)

    def _choose(self, number: int | None) -> None:
        self.shown_version = number
        self.show_baseline(number)
