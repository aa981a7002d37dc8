"""Navigation (issue 11): Find searches notes, filter menus stay open while ticking, the site
filter filters the conflicts list and the status-bar counts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from scheduler_app.campaigns import Status
from ui.find_bar import find_campaigns


def test_find_searches_notes(window) -> None:
    service = window.service
    campaign = service.schedule.campaigns["CMP-0003"]
    service.edit_campaign(campaign.id, notes="PPQ run 2 of 3")
    hits = find_campaigns(service.schedule, "ppq")
    assert [c.id for c in hits] == ["CMP-0003"]
    window.find_bar.edit.setText("PPQ")
    QTest.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.timeline.selected_ids() == ["CMP-0003"]


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing|propagateSizeHints)")
def test_a_filter_menu_stays_open_while_ticking(window, qtbot) -> None:
    button = window.find_bar.statuses
    menu = button.menu()
    menu.popup(button.mapToGlobal(QPoint(0, button.height())))
    qtbot.waitUntil(menu.isVisible)
    for status in (Status.PLANNED, Status.TENTATIVE):
        action = next(a for a in menu.actions() if a.data() == status)
        centre = menu.actionGeometry(action).center()
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=centre)
        assert menu.isVisible()
    assert Status.PLANNED not in window.timeline.filters.statuses
    assert Status.TENTATIVE not in window.timeline.filters.statuses
    QTest.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()


def test_site_filter_filters_conflicts_and_counts(window) -> None:
    service = window.service
    panel = window.conflicts_panel
    service.edit_campaign("CMP-0003", due=date(2027, 5, 10))  # a late warning at Songdo
    by_site = {c.site for c in service.engine.conflicts}
    assert {"SYR", "SDO"} <= by_site, "the test schedule has conflicts at both sites"
    everything = panel.proxy.rowCount()
    window.find_bar.sites.set_selected({"SDO"})
    assert 0 < panel.proxy.rowCount() < everything
    sdo = [c for c in service.engine.conflicts if c.site == "SDO"]
    errors = sum(1 for c in sdo if c.severity.value == "error")
    assert window.error_label.text().startswith(f"{errors} error")
    assert window.warning_label.text().startswith(f"{len(sdo) - errors} warning")
    assert "at SDO" in window.count_label.text()
    window.find_bar.sites.clear()
    assert panel.proxy.rowCount() == everything
