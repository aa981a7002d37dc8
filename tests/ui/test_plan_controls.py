"""Live and scenarios in the window: the plan switch asks for a scenario window, which is
marked unmistakably (banner, title) and edits only the scenario; Compare lists the differences
and outlines Live's positions; Promote applies them, or says who changed what in Live; baseline
bars and slip against a published version."""

from __future__ import annotations

from datetime import timedelta

from scheduler_app.scenarios import create_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from scheduler_app.versions import publish_plan
from tests.ui.helpers import stored


def _scenario_window(open_window, plan_db, qtbot, settings_path):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow
    from ui.notify import RecordingNotifier
    from ui.settings import AppSettings

    live_window = open_window(plan_db)
    create_scenario(live_window.service.store, "slip", user="ann")
    service = ScheduleService(live_window.service.store, scenario="slip")
    window = MainWindow(service, AppSettings(settings_path), RecordingNotifier())
    qtbot.addWidget(window)
    window.show()
    return live_window, window


def test_new_scenario_asks_for_a_name_and_switches(window, qtbot) -> None:
    window.notifier.texts = ["PPQ slips"]
    assert not window.plans.banner.isVisible()
    with qtbot.waitSignal(window.openPlanRequested) as signal:
        window.plans.new_scenario.trigger()
    assert signal.args == ["PPQ slips"]
    window.plans._fill_switch()
    assert window.plans.switch.itemData(1) == "PPQ slips"
    with qtbot.waitSignal(window.openPlanRequested) as signal:
        window.plans.switch.setCurrentIndex(1)
        window.plans.switch.activated.emit(1)
    assert signal.args == ["PPQ slips"]


def test_a_scenario_window_is_marked_edits_only_the_scenario_and_promotes(
    open_window, plan_db, qtbot, settings_path
) -> None:
    live_window, window = _scenario_window(open_window, plan_db, qtbot, settings_path)
    assert window.plans.banner.isVisible() and "SCENARIO “slip”" in window.plans.banner.text()
    assert "SCENARIO slip" in window.windowTitle()
    before = stored(plan_db)
    moved = window.service.schedule.campaigns["CMP-0003"]
    assert window.move_campaigns([("CMP-0003", moved.start + timedelta(days=14), "SDO-BR1501")])
    assert stored(plan_db) == before
    assert window.timeline.outlines.count == 1  # Live's place of the moved campaign
    window.plans.show_compare()
    rows = window.plans.compare_dialog.rows
    assert rows[0][:3] == ("changed", "CMP-0003", "start")
    window.notifier.texts = ["client asked"]
    assert window.plans.promote_to_live()
    assert stored(plan_db).campaigns["CMP-0003"].start == moved.start + timedelta(days=14)
    assert window.timeline.outlines.count == 0


def test_promote_refused_names_who_changed_live(open_window, plan_db, qtbot, settings_path) -> None:
    live_window, window = _scenario_window(open_window, plan_db, qtbot, settings_path)
    moved = window.service.schedule.campaigns["CMP-0003"]
    window.move_campaigns([("CMP-0003", moved.start + timedelta(days=14), "SDO-BR1501")])
    other = ScheduleService(Store.open(str(plan_db)), user="kim")
    try:
        other.move_campaign("CMP-0003", start=moved.start + timedelta(days=7))
    finally:
        other.store.close()
    before = stored(plan_db)
    window.notifier.texts = ["try"]
    assert not window.plans.promote_to_live()
    kind, title, text = window.notifier.messages[-1]
    assert (kind, title) == ("error", "Promote refused")
    assert "CMP-0003 was changed in Live by kim" in text
    assert stored(plan_db) == before


def test_baseline_bars_and_slip_in_the_inspector(window, plan_db, qtbot) -> None:
    publish_plan(window.service.store, reason="sent", user="ann")
    campaign = window.service.schedule.campaigns["CMP-0003"]
    window.service.move_campaign("CMP-0003", start=campaign.start + timedelta(days=5))
    window.plans.show_baseline(1)
    assert window.timeline.baseline.count == len(window.service.schedule.campaigns)
    window.show_campaigns(["CMP-0003"])
    assert window.inspector.slip_label.text().startswith("+5 days")
    window.plans.show_baseline(None)
    assert window.timeline.baseline.count == 0
