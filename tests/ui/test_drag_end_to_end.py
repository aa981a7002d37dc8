"""One real mouse drag in the full window: a campaign dragged from Songdo to Syracuse is saved
where it was dropped (snapped to Syracuse midnight), and Ctrl+Z puts it back."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from scheduler_app.localtime import local_midnight, to_epoch
from tests.ui.helpers import stored


def _viewport_point(timeline, epoch: float, row: float) -> QPoint:
    scene = timeline.view.mapViewToScene(QPointF(epoch, row))
    return timeline.plot.mapFromScene(scene)


def _send(viewport, kind: QEvent.Type, pos: QPoint, button, buttons) -> None:
    local = QPointF(pos)
    event = QMouseEvent(
        kind,
        local,
        QPointF(viewport.mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def test_drag_across_sites_persists_and_ctrl_z_restores(window, plan_db, qtbot) -> None:
    timeline = window.timeline
    schedule = window.service.schedule
    original = schedule.campaigns["CMP-0003"]
    timeline.set_visible_range(datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
    timeline.scroll_to("CMP-0003")
    qtbot.wait(10)

    middle = (to_epoch(original.start) + to_epoch(schedule.campaign_end(original))) / 2
    source_row = timeline.layout.bioreactor_row["SDO-BR1501"] + 0.5
    target_row = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    shift = 120 * 86_400.0
    start = _viewport_point(timeline, middle, source_row)
    end = _viewport_point(timeline, middle + shift, target_row)
    viewport = timeline.plot.viewport()
    left = Qt.MouseButton.LeftButton

    with qtbot.waitSignal(timeline.moveRequested, timeout=2000) as requested:
        _send(viewport, QEvent.Type.MouseButtonPress, start, left, left)
        steps = 12
        for step in range(1, steps + 1):
            point = start + (end - start) * step / steps
            _send(viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left)
            qtbot.wait(5)
        _send(viewport, QEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)

    [(campaign_id, new_start, bioreactor)] = requested.args[0]
    assert (campaign_id, bioreactor) == ("CMP-0003", "SYR-BR501")
    saved = stored(plan_db).campaigns["CMP-0003"]
    assert saved.bioreactor == "SYR-BR501"
    assert saved.start == new_start == local_midnight(new_start, "America/New_York")
    assert 110 <= (saved.start - original.start).days <= 130
    assert window.window_actions.undo.text() == "Undo Move CMP-0003 to SYR-BR501"
    arrays = timeline.arrays
    assert arrays.row[arrays.slot_of["CMP-0003"]] == timeline.layout.bioreactor_row["SYR-BR501"]

    window.activateWindow()
    timeline.plot.setFocus()
    QTest.keyClick(timeline.plot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = stored(plan_db).campaigns["CMP-0003"]
    assert (restored.bioreactor, restored.start) == (original.bioreactor, original.start)
    assert arrays.row[arrays.slot_of["CMP-0003"]] == timeline.layout.bioreactor_row["SDO-BR1501"]
