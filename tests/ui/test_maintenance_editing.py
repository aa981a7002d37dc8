"""Maintenance windows edited on the timeline with real mouse events: Alt-drag on a row draws
one (the dialog answers), double-click on the hatched band edits it, Ctrl+Z/Ctrl+Y undo and
redo through the service; the band has a tooltip; right-click offers edit and delete."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from scheduler_app.localtime import start_of_local_date
from tests.factories import NEW_YORK
from tests.ui.helpers import stored
from tests.ui.timeline.mouse import drag, point_at, send

ALT = Qt.KeyboardModifier.AltModifier


def _show_summer(timeline) -> float:  # type: ignore[no-untyped-def]
    timeline.set_visible_range(datetime(2027, 5, 1, tzinfo=UTC), datetime(2027, 8, 1, tzinfo=UTC))
    return float(timeline.layout.bioreactor_row["SYR-BR501"]) + 0.5


def test_alt_drag_draws_a_window_and_undo_redo_go_through_the_service(
    window, plan_db, qtbot
) -> None:
    asked = []

    def answer(schedule, draft):  # type: ignore[no-untyped-def]
        asked.append(draft)
        return dataclasses.replace(draft, reason="PM")

    window.maintenance_actions.ask = answer
    timeline = window.timeline
    row = _show_summer(timeline)
    first = start_of_local_date(datetime(2027, 6, 7).date(), NEW_YORK)
    last = start_of_local_date(datetime(2027, 6, 21).date(), NEW_YORK)
    drag(
        timeline,
        point_at(timeline, first + timedelta(hours=2), row),
        point_at(timeline, last - timedelta(hours=2), row),
        keys=ALT,
    )
    [draft] = asked
    assert (draft.bioreactor, draft.start, draft.end) == ("SYR-BR501", first, last)
    [saved] = stored(plan_db).maintenance
    assert (saved.reason, saved.start, saved.end, saved.bioreactor) == (
        "PM",
        first,
        last,
        "SYR-BR501",
    )
    assert window.service.schedule.maintenance == [saved]
    assert window.undo_stack.undoText().startswith("Add maintenance")
    window.undo_stack.undo()
    assert stored(plan_db).maintenance == [] == window.service.schedule.maintenance
    window.undo_stack.redo()
    assert [w.reason for w in stored(plan_db).maintenance] == ["PM"]


def test_double_click_on_the_band_edits_it_and_undo_restores(window, plan_db, qtbot) -> None:
    from scheduler_app.ids import BioreactorCode, SiteCode
    from scheduler_app.maintenance import MaintenanceWindow

    first = start_of_local_date(datetime(2027, 6, 7).date(), NEW_YORK)
    window.service.add_window(
        MaintenanceWindow(
            SiteCode("SYR"),
            first,
            first + timedelta(days=14),
            "HVAC",
            bioreactor=BioreactorCode("SYR-BR501"),
        )
    )
    [original] = window.service.schedule.maintenance
    window.maintenance_actions.ask = lambda schedule, w: dataclasses.replace(
        w, end=w.end + timedelta(days=7), reason="HVAC requalification"
    )
    timeline = window.timeline
    row = _show_summer(timeline)
    spot = point_at(timeline, first + timedelta(days=3), row)
    assert (
        "HVAC"
        in timeline.window_at(timeline.view.mapSceneToView(timeline.plot.mapToScene(spot))).reason
    )
    send(timeline, send_type("press"), spot, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    send(timeline, send_type("release"), spot, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    send(timeline, send_type("double"), spot, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    send(timeline, send_type("release"), spot, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    [changed] = stored(plan_db).maintenance
    assert (changed.id, changed.version) == (original.id, 2)
    assert changed.reason == "HVAC requalification"
    assert changed.end == original.end + timedelta(days=7)
    window.undo_stack.undo()
    [back] = stored(plan_db).maintenance
    assert (back.reason, back.end, back.version) == ("HVAC", original.end, 3)
    # The band explains itself on hover, and right-click offers edit and delete.
    assert "Double-click to edit" in _tooltip_after_hover(timeline, spot)
    menu = QMenu()
    window.maintenance_actions.add_menu_entries(
        menu, timeline.spot_at(timeline.view.mapSceneToView(timeline.plot.mapToScene(spot)))
    )
    texts = [action.text() for action in menu.actions()]
    assert texts[0].startswith("Edit maintenance on bioreactor SYR-BR501")
    assert "Delete this maintenance window" in texts
    menu.actions()[1].trigger()  # the notifier answers yes
    assert stored(plan_db).maintenance == []
    window.undo_stack.undo()
    assert [w.reason for w in stored(plan_db).maintenance] == ["HVAC"]


def send_type(kind: str):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent

    return {
        "press": QEvent.Type.MouseButtonPress,
        "release": QEvent.Type.MouseButtonRelease,
        "double": QEvent.Type.MouseButtonDblClick,
    }[kind]


def _tooltip_after_hover(timeline, spot: QPoint) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent

    send(
        timeline,
        QEvent.Type.MouseMove,
        spot + QPoint(3, 0),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
    )
    send(timeline, QEvent.Type.MouseMove, spot, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    return str(timeline.blocks.toolTip())


def test_the_dialog_keeps_a_suite_window_a_suite_window(window, qtbot) -> None:
    from scheduler_app.ids import SiteCode, SuiteCode
    from scheduler_app.maintenance import MaintenanceWindow
    from ui.maintenance_dialog import MaintenanceDialog

    first = start_of_local_date(datetime(2027, 6, 7).date(), NEW_YORK)
    draft = MaintenanceWindow(
        SiteCode("SYR"), first, first + timedelta(days=14), "HVAC", suite=SuiteCode("SYR-S1")
    )
    dialog = MaintenanceDialog(window.service.schedule, draft)
    qtbot.addWidget(dialog)
    assert dialog.scope.currentText().startswith("Suite SYR-S1")
    assert dialog.edited() == draft
    dialog.last.setDate(dialog.first.date().addDays(-3))
    dialog.accept()
    assert "end after it starts" in dialog.problem.text() and dialog.result_window is None
