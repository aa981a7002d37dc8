"""Undo and redo of every planner action change the database, the service and the view, and
back; each action is one undo step with a text that says what it will undo."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from scheduler_app.campaigns import Status
from tests.factories import SEOUL, local
from tests.ui.helpers import stored


def test_move_across_sites_is_saved_undone_and_redone(window, plan_db) -> None:
    service = window.service
    original = service.schedule.campaigns["CMP-0001"]
    target_start = local("2027-06-01", SEOUL)

    assert window.move_campaigns([("CMP-0001", target_start, "SDO-BR1501")])
    assert window.window_actions.undo.text() == "Undo Move CMP-0001 to SDO-BR1501"
    on_disk = stored(plan_db).campaigns["CMP-0001"]
    assert (on_disk.bioreactor, on_disk.start) == ("SDO-BR1501", target_start)
    assert service.schedule.campaigns["CMP-0001"].bioreactor == "SDO-BR1501"
    arrays = window.timeline.arrays
    assert (
        arrays.row[arrays.slot_of["CMP-0001"]]
        == window.timeline.layout.bioreactor_row["SDO-BR1501"]
    )

    window.undo()
    on_disk = stored(plan_db).campaigns["CMP-0001"]
    assert (on_disk.bioreactor, on_disk.start) == (original.bioreactor, original.start)
    assert service.schedule.campaigns["CMP-0001"].start == original.start
    assert window.window_actions.redo.text() == "Redo Move CMP-0001 to SDO-BR1501"
    assert window.window_actions.undo.text() == "Undo"

    window.redo()
    assert stored(plan_db).campaigns["CMP-0001"].bioreactor == "SDO-BR1501"
    assert window.undo_stack.count() == 1


def test_multi_move_is_one_undo_step(window, plan_db) -> None:
    schedule = window.service.schedule
    keys = ("CMP-0001", "CMP-0002")
    starts = {key: schedule.campaigns[key].start for key in keys}
    moves = [(key, starts[key] + timedelta(days=7), "SYR-BR501") for key in keys]
    assert window.move_campaigns(moves)
    assert window.undo_stack.count() == 1
    assert window.window_actions.undo.text() == "Undo Move 2 campaigns to SYR-BR501"
    assert {key: stored(plan_db).campaigns[key].start for key in keys} == {
        key: starts[key] + timedelta(days=7) for key in keys
    }
    window.undo()
    assert {key: stored(plan_db).campaigns[key].start for key in keys} == starts
    assert {key: schedule.campaigns[key].start for key in keys} == starts


def test_resize_changes_batches_and_conflicts_then_undo(window, plan_db) -> None:
    conflicts_before = window.conflicts_model.rowCount()
    assert window.resize_campaign("CMP-0003", 5)
    assert stored(plan_db).campaigns["CMP-0003"].batches == 5
    assert window.window_actions.undo.text() == "Undo Resize CMP-0003 to 5 batches"
    window.undo()
    assert stored(plan_db).campaigns["CMP-0003"].batches == 3
    assert window.service.schedule.campaigns["CMP-0003"].batches == 3
    assert window.conflicts_model.rowCount() == conflicts_before


def test_inspector_edit_applies_as_one_step_and_undoes(window, plan_db, qtbot) -> None:
    window.show_campaigns(["CMP-0003"])
    inspector = window.inspector
    assert inspector.campaign.id == "CMP-0003"
    inspector.batches.setValue(4)
    inspector.status.setCurrentIndex(inspector.status.findData(Status.CONFIRMED))
    inspector.notes.setPlainText("PPQ run 1")
    assert inspector.apply_button.isEnabled()
    qtbot.mouseClick(inspector.apply_button, Qt.MouseButton.LeftButton)
    saved = stored(plan_db).campaigns["CMP-0003"]
    assert (saved.batches, saved.status, saved.notes) == (4, Status.CONFIRMED, "PPQ run 1")
    assert window.window_actions.undo.text() == "Undo Edit CMP-0003 (batches, status, notes)"
    assert inspector.batches.value() == 4
    window.undo()
    saved = stored(plan_db).campaigns["CMP-0003"]
    assert (saved.batches, saved.status, saved.notes) == (3, Status.PLANNED, "")
    assert inspector.batches.value() == 3


def test_create_then_undo_removes_it_and_redo_brings_it_back(window, plan_db) -> None:
    from scheduler_app.campaigns import Campaign

    schedule = window.service.schedule
    made = Campaign(
        schedule.next_campaign_id(), "ABX-201", "SDO-BR1501", local("2027-09-01", SEOUL), 2, 14, 2
    )
    assert window.create_campaign(made)
    assert "CMP-0005" in stored(plan_db).campaigns
    assert window.timeline.selected_ids() == ["CMP-0005"]
    window.undo()
    assert "CMP-0005" not in stored(plan_db).campaigns
    assert "CMP-0005" not in schedule.campaigns
    window.redo()
    assert stored(plan_db).campaigns["CMP-0005"].start == made.start


def test_duplicate_places_a_planned_copy_after_the_original(window, plan_db) -> None:
    window.show_campaigns(["CMP-0003"])
    assert window.duplicate_selected()
    copy = stored(plan_db).campaigns["CMP-0005"]
    original = window.service.schedule.campaigns["CMP-0003"]
    assert copy.bioreactor == original.bioreactor and copy.batches == original.batches
    # 3 May + 3 × 14 + 2 × 2 = 46 days → ends 18 June; one turnaround (2 days) later.
    assert copy.start == local("2027-06-20", SEOUL)
    assert copy.status is Status.PLANNED
    window.undo()
    assert "CMP-0005" not in stored(plan_db).campaigns


def test_delete_asks_first_and_is_undoable(window, plan_db) -> None:
    window.show_campaigns(["CMP-0001", "CMP-0002"])
    window.notifier.answer = False
    assert not window.delete_selected()
    assert "CMP-0001" in stored(plan_db).campaigns
    window.notifier.answer = True
    assert window.delete_selected()
    kinds = [kind for kind, _, _ in window.notifier.messages]
    assert kinds == ["confirm", "confirm"]
    assert "CMP-0001, CMP-0002" in window.notifier.messages[-1][2]
    on_disk = stored(plan_db).campaigns
    assert "CMP-0001" not in on_disk and "CMP-0002" not in on_disk
    assert window.window_actions.undo.text() == "Undo Delete 2 campaigns"
    window.undo()
    on_disk = stored(plan_db).campaigns
    assert on_disk["CMP-0001"].start == window.service.schedule.campaigns["CMP-0001"].start
    assert "CMP-0002" in on_disk


def test_locked_campaign_move_is_refused_with_a_message_and_no_undo_step(window, plan_db) -> None:
    locked = window.service.schedule.campaigns["CMP-0004"]
    assert not window.move_campaigns([("CMP-0004", locked.start + timedelta(days=3), "SYR-BR501")])
    assert window.undo_stack.count() == 0
    kind, title, text = window.notifier.messages[-1]
    assert kind == "error" and "CMP-0004" in text
    assert stored(plan_db).campaigns["CMP-0004"].start == locked.start
