"""Planning in the window, driven by real key and mouse events: nudges, Ctrl-drag ripple, Fix…
from the conflicts panel and Optimise… with its preview; each change one undo step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from scheduler_app.localtime import to_epoch
from tests.factories import local
from tests.ui.helpers import stored

DAY = timedelta(days=1)


def _select(window, *ids: str) -> None:
    window.show_campaigns(list(ids))
    window.timeline.plot.setFocus()


def _key(window, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.timeline.plot, key, modifiers)


def test_arrow_keys_nudge_the_selection_one_undo_step_each(window, plan_db) -> None:
    _select(window, "CMP-0003")
    before = stored(plan_db).campaigns["CMP-0003"]
    steps = window.undo_stack.count()

    _key(window, Qt.Key.Key_Right)
    assert stored(plan_db).campaigns["CMP-0003"].start == before.start + DAY
    _key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert stored(plan_db).campaigns["CMP-0003"].start == before.start + DAY - 7 * DAY
    _key(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    moved = stored(plan_db).campaigns["CMP-0003"]
    codes = window.timeline.layout.bioreactor_codes()
    assert moved.bioreactor == codes[codes.index("SDO-BR1501") - 1]
    assert window.undo_stack.count() == steps + 3
    # The nudge shows where the campaign went, coloured by what it is now in, like a drag.
    assert window.timeline.ghost_item.ghost is not None

    for _ in range(3):
        QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(plan_db).campaigns["CMP-0003"].start == before.start
    assert stored(plan_db).campaigns["CMP-0003"].bioreactor == "SDO-BR1501"


def test_a_locked_campaign_is_not_nudged(window, plan_db) -> None:
    _select(window, "CMP-0004")
    steps = window.undo_stack.count()

    _key(window, Qt.Key.Key_Right)

    assert stored(plan_db).campaigns["CMP-0004"].start == local("2027-08-02")
    assert window.undo_stack.count() == steps
    assert "cannot be moved" in window.statusBar().currentMessage()


def _viewport_point(timeline, epoch: float, row: float) -> QPoint:
    scene = timeline.view.mapViewToScene(QPointF(epoch, row))
    return timeline.plot.mapFromScene(scene)


def _send(viewport, kind, pos: QPoint, button, buttons, modifiers) -> None:
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons, modifiers
    )
    QApplication.sendEvent(viewport, event)


def test_ctrl_drag_ripples_the_following_campaign_as_one_undo_step(window, plan_db, qtbot) -> None:
    timeline = window.timeline
    schedule = window.service.schedule
    first = schedule.campaigns["CMP-0001"]
    timeline.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC))
    qtbot.wait(10)
    middle = (to_epoch(first.start) + to_epoch(schedule.campaign_end(first))) / 2
    row = timeline.layout.bioreactor_row["SYR-BR501"] + 0.5
    start = _viewport_point(timeline, middle, row)
    end = _viewport_point(timeline, middle + 10 * 86_400.0, row)
    viewport = timeline.plot.viewport()
    left, ctrl = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier
    steps = window.undo_stack.count()

    with qtbot.waitSignal(timeline.rippleRequested, timeout=2000):
        _send(viewport, QEvent.Type.MouseButtonPress, start, left, left, ctrl)
        for step in range(1, 9):
            point = start + (end - start) * step / 8
            _send(viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left, ctrl)
            qtbot.wait(5)
        assert timeline.ghost_item.ghost is not None and timeline.ghost_item.ghost.ripple
        _send(viewport, QEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton, ctrl)

    after = stored(plan_db).campaigns
    assert after["CMP-0001"].start == first.start + 10 * DAY
    # CMP-0001 (ABX-201, 2 x 14 + 2 days) now ends 2027-04-10; CDX-110 needs 10 days after it.
    assert after["CMP-0002"].start == local("2027-04-20")
    assert window.undo_stack.count() == steps + 1
    assert not [c for c in window.service.engine.conflicts if c.kind == "changeover"]
    window.undo()
    assert stored(plan_db).campaigns["CMP-0002"].start == local("2027-04-02")


def _when_modal(qtbot, act) -> None:
    """Run ``act(dialog)`` on the next modal dialog once it is shown."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_fix_from_the_conflicts_panel_previews_and_applies_one_option(
    window, plan_db, qtbot
) -> None:
    panel = window.conflicts_panel
    kinds = [panel.model.conflict(r).kind for r in range(panel.model.rowCount())]
    panel.select_row(kinds.index("changeover"))
    seen = {}

    def choose(dialog) -> None:
        seen["options"] = dialog.list.count()
        seen["ghost"] = window.timeline.ghost_item.ghost
        dialog.list.setCurrentRow(0)
        seen["chosen"] = dialog.chosen()
        dialog.apply_button.click()

    _when_modal(qtbot, choose)
    steps = window.undo_stack.count()
    QTest.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)

    assert 1 <= seen["options"] <= 3
    assert seen["ghost"] is not None and seen["ghost"].rects
    option = seen["chosen"]
    after = stored(plan_db).campaigns
    for _, placed in option.moves:
        assert after[placed.id].start == placed.start
        assert after[placed.id].bioreactor == placed.bioreactor
    assert window.undo_stack.count() == steps + 1
    assert not [c for c in window.service.engine.conflicts if c.kind == "changeover"]
    assert window.timeline.ghost_item.ghost is None


def test_optimise_runs_in_a_thread_and_applies_the_plan_as_one_step(window, plan_db, qtbot) -> None:
    from ui.optimise_dialog import OptimiseDialog

    dialog = OptimiseDialog(window.service.schedule, window)
    qtbot.addWidget(dialog)
    dialog.first.setDate(dialog.first.date().fromString("2027-01-01", "yyyy-MM-dd"))
    dialog.last.setDate(dialog.last.date().fromString("2027-12-31", "yyyy-MM-dd"))
    dialog.time_limit.setValue(5)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    result = dialog.plan_result
    assert result is not None and result.status in {"optimal", "feasible"}
    assert result.moves and result.conflicts["error"] == 0

    _when_modal(qtbot, lambda preview: preview.apply_button.click())
    steps = window.undo_stack.count()
    assert window.planning.review_plan(result)

    after = stored(plan_db).campaigns
    for _, placed in result.moves:
        assert after[placed.id].start == placed.start
    assert window.undo_stack.count() == steps + 1
    assert window.service.engine.counts()["error"] == 0


def test_cancel_stops_the_search_and_nothing_is_applied(window, plan_db, qtbot) -> None:
    from ui.optimise_dialog import OptimiseDialog

    before = stored(plan_db).campaigns
    dialog = OptimiseDialog(window.service.schedule, window)
    qtbot.addWidget(dialog)
    dialog.time_limit.setValue(60)
    QTest.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    assert dialog.plan_result is None
    assert dialog.worker is not None and not dialog.worker.isRunning()
    assert stored(plan_db).campaigns == before


def test_the_inspector_fix_button_offers_options_for_the_selected_campaign(
    window, plan_db, qtbot
) -> None:
    window.show_campaigns(["CMP-0002"])
    assert window.inspector.fix_button.isEnabled()
    seen = {}

    def look(dialog) -> None:
        seen["count"] = dialog.list.count()
        seen["titles"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.reject()

    _when_modal(qtbot, look)
    steps = window.undo_stack.count()
    QTest.mouseClick(window.inspector.fix_button, Qt.MouseButton.LeftButton)

    assert 1 <= seen["count"] <= 3
    assert all("CMP-0002" in title for title in seen["titles"])
    assert window.undo_stack.count() == steps  # cancelled: nothing applied
    assert window.timeline.ghost_item.ghost is None


def test_each_fix_option_brings_its_ghost_on_screen(window, plan_db, qtbot) -> None:
    panel = window.conflicts_panel
    kinds = [panel.model.conflict(r).kind for r in range(panel.model.rowCount())]
    panel.select_row(kinds.index("changeover"))
    timeline = window.timeline
    # Far from every option: years later, with every suite collapsed.
    far = datetime(2031, 1, 1, tzinfo=UTC)
    timeline.set_visible_range(far, far + 30 * DAY)
    for suite in list(window.service.schedule.suites):
        timeline.set_suite_collapsed(suite, True)
    seen: list[tuple[bool, str]] = []

    def look(dialog) -> None:
        for row in range(dialog.list.count()):
            dialog.list.setCurrentRow(row)
            ghost = timeline.ghost_item.ghost
            (left, right), (top, bottom) = timeline.view.viewRange()
            moved = len(dialog.options[row].moves)
            on_screen = (
                ghost is not None
                and len(ghost.rects) == moved
                and all(
                    left <= start and end <= right and top <= lane and lane + 1 <= bottom
                    for lane, start, end in ghost.rects
                )
            )
            seen.append((on_screen, dialog.detail.text()))
        dialog.reject()

    _when_modal(qtbot, look)
    QTest.mouseClick(panel.fix_button, Qt.MouseButton.LeftButton)

    assert seen and all(on_screen for on_screen, _ in seen)
    # The dialog also says where each option puts its campaigns, in words.
    assert all(" → " in text and " from " in text for _, text in seen)
