"""The window on a real database: what it shows, navigation from conflicts and find, filters,
and what survives a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from scheduler_app.campaigns import Status


def test_window_shows_the_schedule_conflicts_and_database(window, plan_db) -> None:
    service = window.service
    assert window.count_label.text() == "4 campaigns"
    counts = service.engine.counts()
    assert counts["error"] >= 1
    assert window.error_label.text().startswith(f"{counts['error']} error")
    assert window.error_label.property("severity") == "bad"
    assert str(plan_db.name) in window.database_label.text()
    assert window.conflicts_model.rowCount() == len(service.engine.conflicts)
    kinds = {
        window.conflicts_model.conflict(r).kind for r in range(window.conflicts_model.rowCount())
    }
    assert "changeover" in kinds
    assert window.centralWidget().isAncestorOf(window.timeline)
    assert window.timeline.arrays.slot_of.keys() >= {"CMP-0001", "CMP-0004"}
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Plan", "&Help"]


def test_menu_entries_for_missing_parts_are_disabled_not_broken(window) -> None:
    import importlib.util

    for action, module in (
        (window.window_actions.import_excel, "ui.import_dialog"),
        (window.window_actions.export_excel, "ui.export_dialog"),
    ):
        assert action.isEnabled() == (importlib.util.find_spec(module) is not None)


def test_selecting_a_conflict_row_selects_and_scrolls_to_the_campaign(window, qtbot) -> None:
    timeline = window.timeline
    changeover_row = next(
        row
        for row in range(window.conflicts_panel.proxy.rowCount())
        if window.conflicts_panel.proxy.index(row, 1).data() == "changeover"
    )
    conflict = window.conflicts_panel.proxy.index(changeover_row, 0).data(
        Qt.ItemDataRole.UserRole + 2
    )
    timeline.set_zoom("2w")
    timeline.set_visible_range(datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 15, tzinfo=UTC))
    far = timeline.visible_range()
    window.conflicts_panel.select_row(changeover_row)
    assert timeline.selected_ids() == list(conflict.campaigns)
    assert window.inspector.campaign.id == conflict.campaigns[-1]
    start, end = timeline.visible_range()
    offending = window.service.schedule.campaigns[conflict.campaigns[-1]]
    assert start <= offending.start <= end
    assert not far[0] <= offending.start <= far[1]
    row = timeline.layout.bioreactor_row[offending.bioreactor]
    top, bottom = timeline.view.viewRange()[1]
    assert top <= row < bottom


def test_conflicts_follow_a_change_without_a_reset(window) -> None:
    resets = []
    window.conflicts_model.modelReset.connect(lambda: resets.append(True))
    before = window.conflicts_model.rowCount()
    moved = window.service.schedule.campaigns["CMP-0002"]
    window.move_campaigns([("CMP-0002", moved.start + timedelta(days=30), "SYR-BR501")])
    assert window.conflicts_model.conflicts() == window.service.engine.conflicts
    assert window.conflicts_model.rowCount() < before
    kinds = [conflict.kind for conflict in window.conflicts_model.conflicts()]
    assert "changeover" not in kinds
    assert resets == []


def test_find_by_product_name_steps_through_hits(window, qtbot) -> None:
    bar = window.find_bar
    bar.edit.setText("cedoxin")
    assert bar.result.text() == "1 found"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert window.timeline.selected_ids() == ["CMP-0002"]
    assert window.inspector.campaign.id == "CMP-0002"
    bar.edit.setText("client a")
    assert [hit.id for hit in bar.hits] == ["CMP-0001", "CMP-0003", "CMP-0004"]
    bar.step()
    bar.step()
    assert bar.result.text() == "2 of 3: CMP-0003"
    assert window.timeline.selected_ids() == ["CMP-0003"]


def test_ctrl_f_focuses_find(window, qtbot) -> None:
    window.activateWindow()
    window.window_actions.find.trigger()
    assert window.find_bar.edit.hasFocus() or window.focusWidget() is window.find_bar.edit


def test_filters_reach_the_timeline(window) -> None:
    bar = window.find_bar
    bar.sites.set_selected({"SDO"})
    assert window.timeline.filters.sites == frozenset({"SDO"})
    assert bar.sites.text() == "Sites: SDO"
    bar.statuses.set_selected({Status.IN_PROGRESS})
    assert window.timeline.filters.statuses == frozenset({Status.IN_PROGRESS})
    bar.statuses.set_selected({Status.IN_PROGRESS, Status.PLANNED})
    assert bar.statuses.text() == "Status: 2 of 6"
    bar.sites.clear()
    assert window.timeline.filters.sites is None


def test_layout_zoom_zone_and_recent_survive_a_restart(open_window, plan_db, settings_path) -> None:
    first = open_window(plan_db)
    first.resize(760, 560)
    first.window_actions.set_zone("Asia/Seoul")
    first.window_actions.set_show_cancelled(True)
    first.inspector_dock.hide()
    first.window_actions.set_zoom("year")
    first.settings.add_recent_database(str(plan_db))
    first.close()
    assert settings_path.exists()

    second = open_window(plan_db)
    assert (second.size().width(), second.size().height()) == (760, 560)
    assert second.settings.zoom == "year"
    assert second.window_actions.zoom_box.currentData() == "year"
    span = second.timeline.visible_range()
    assert 360 <= (span[1] - span[0]).days <= 370
    assert second.timeline.display_zone == "Asia/Seoul"
    assert second.window_actions.zone_box.currentData() == "Asia/Seoul"
    assert second.timeline.filters.show_cancelled is True
    assert not second.inspector_dock.isVisible()
    assert second.settings.recent_databases[0] == str(plan_db)


def test_export_chart_renders_the_visible_range(window, tmp_path, monkeypatch) -> None:
    from ui import window_actions

    target = tmp_path / "chart.png"
    monkeypatch.setattr(
        window_actions.QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )
    assert window.window_actions.export_chart.isEnabled()
    window.window_actions.export_chart.trigger()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(target) in window.statusBar().currentMessage()


def test_undo_and_redo_actions_follow_the_stack(window) -> None:
    assert not window.window_actions.undo.isEnabled() and not window.window_actions.redo.isEnabled()
    window.resize_campaign("CMP-0003", 4)
    assert window.window_actions.undo.isEnabled()
    assert window.window_actions.undo.toolTip() == "Undo Resize CMP-0003 to 4 batches"
    window.window_actions.undo.trigger()
    assert window.service.schedule.campaigns["CMP-0003"].batches == 3
    assert window.window_actions.redo.isEnabled() and not window.window_actions.undo.isEnabled()
    window.window_actions.redo.trigger()
    assert window.service.schedule.campaigns["CMP-0003"].batches == 4


def test_recent_databases_menu_reopens_a_database(window, qtbot) -> None:
    window.settings.add_recent_database("/data/plans/syracuse.sqlite")
    window.window_actions.recent_menu.aboutToShow.emit()
    entries = window.window_actions.recent_menu.actions()
    assert [action.text() for action in entries] == ["/data/plans/syracuse.sqlite"]
    with qtbot.waitSignal(window.openDatabaseRequested) as requested:
        entries[0].trigger()
    assert requested.args == ["/data/plans/syracuse.sqlite"]


# A popup menu on the offscreen platform warns that it cannot raise or grab the keyboard.
@pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing the keyboard|propagateSizeHints)"
)
def test_context_menu_offers_edit_duplicate_delete_and_new_here(window, qtbot) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QMenu

    from tests.factories import SEOUL, local

    where = ("SDO-BR1501", local("2027-09-06", SEOUL))
    window.timeline.contextMenuRequested.emit(QPoint(200, 200), "CMP-0003", where)
    menus = [menu for menu in window.findChildren(QMenu) if menu.isVisible()]
    assert len(menus) == 1
    texts = [action.text() for action in menus[0].actions()]
    assert texts == [
        "Edit in inspector",
        "Duplicate",
        "Delete…",
        "",
        "Shift by…",
        "Shift with ripple…",
        "New campaign on SDO-BR1501…",
    ]
    assert window.timeline.selected_ids() == ["CMP-0003"]
    menus[0].close()
