"""The inspector and the New campaign dialog: site-local values, validation with clear reasons,
and a preview of the conflicts an edit would create."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from scheduler_app.campaigns import Status
from tests.factories import SEOUL, local
from tests.ui.helpers import stored
from ui.campaign_form import NewCampaignDialog


def test_inspector_shows_the_site_local_start_and_end(window) -> None:
    window.show_campaigns(["CMP-0003"])
    inspector = window.inspector
    # Stored as 2027-05-02 15:00 UTC; Songdo's calendar says 3 May.
    assert window.service.schedule.campaigns["CMP-0003"].start.day == 2
    assert inspector.start.date() == QDate(2027, 5, 3)
    assert inspector.end_label.text() == "2027-06-18 (46 days)"
    assert inspector.title.text() == "CMP-0003"
    assert "Asia/Seoul" in inspector.subtitle.text()
    assert not inspector.apply_button.isEnabled()


def test_moving_a_locked_campaign_is_refused_before_it_reaches_the_service(window) -> None:
    window.show_campaigns(["CMP-0004"])
    inspector = window.inspector
    inspector.batches.setValue(2)
    assert "locked" in inspector.problems.text()
    assert not inspector.apply_button.isEnabled()
    inspector.apply()
    assert window.undo_stack.count() == 0
    inspector.revert()
    inspector.notes.setPlainText("Running late")
    assert inspector.problems.text() == ""
    inspector.apply()
    assert window.service.schedule.campaigns["CMP-0004"].notes == "Running late"


def test_a_locked_campaign_is_not_set_planned_and_moved_in_one_apply(window) -> None:
    """The inspector asks the core's validation, so it refuses what the service would refuse."""
    window.show_campaigns(["CMP-0004"])
    inspector = window.inspector
    assert inspector.campaign.status is Status.IN_PROGRESS
    inspector.status.setCurrentIndex(inspector.status.findData(Status.PLANNED))
    assert inspector.problems.text() == "" and inspector.apply_button.isEnabled()
    inspector.batches.setValue(2)
    assert "locked" in inspector.problems.text()
    assert not inspector.apply_button.isEnabled()


def test_due_before_start_is_a_problem_and_changes_preview_conflicts(window) -> None:
    window.show_campaigns(["CMP-0003"])
    inspector = window.inspector
    inspector.has_due.setChecked(True)
    inspector.due.setDate(QDate(2027, 4, 1))
    assert "due date is before the start" in inspector.problems.text()
    inspector.due.setDate(QDate(2027, 6, 1))
    assert inspector.problems.text() == ""
    assert "Would conflict" in inspector.conflicts.text() and "late" in inspector.conflicts.text()
    assert inspector.apply_button.isEnabled()


def test_changing_product_brings_its_batch_days(window) -> None:
    window.show_campaigns(["CMP-0001"])
    inspector = window.inspector
    inspector.product.setCurrentIndex(inspector.product.findData("CDX-110"))
    assert (inspector.batch_days.value(), inspector.turnaround_days.value()) == (12, 3)


def test_new_campaign_dialog_starts_on_the_clicked_day_and_bioreactor(window, qtbot) -> None:
    clicked = local("2027-09-06", SEOUL)
    dialog = NewCampaignDialog(window.service, "SDO-SU01", clicked, window)
    qtbot.addWidget(dialog)
    assert dialog.start.date() == QDate(2027, 9, 6)
    assert dialog.product.currentData() == "CDX-110"  # the one validated at 2,000 L comes first
    made = dialog.campaign()
    assert made is not None
    assert (made.id, made.bioreactor, made.start) == ("CMP-0005", "SDO-SU01", clicked)
    assert (made.batch_days, made.turnaround_days, made.status) == (12, 3, Status.PLANNED)
    assert "qualification" in dialog.preview.text() or "qualified" in dialog.preview.text()
    assert date(2027, 9, 6) == dialog.start.date().toPython()


def test_double_click_on_empty_space_creates_an_undoable_campaign(
    window, plan_db, monkeypatch
) -> None:
    monkeypatch.setattr(
        NewCampaignDialog, "exec", lambda self: NewCampaignDialog.DialogCode.Accepted
    )
    clicked = local("2027-10-04", SEOUL)
    window.timeline.createRequested.emit("SDO-BR1501", clicked)
    made = window.service.schedule.campaigns["CMP-0005"]
    assert (made.bioreactor, made.start, made.batches) == ("SDO-BR1501", clicked, 3)
    assert window.timeline.selected_ids() == ["CMP-0005"]
    assert window.window_actions.undo.text() == "Undo New campaign CMP-0005 on SDO-BR1501"
    window.undo()
    assert "CMP-0005" not in stored(plan_db).campaigns


def test_with_several_selected_the_inspector_says_which_one_it_edits(window) -> None:
    window.show_campaigns(["CMP-0001", "CMP-0003"])
    inspector = window.inspector
    assert inspector.campaign.id == "CMP-0003"
    assert not inspector.selection_note.isHidden()
    assert inspector.selection_note.text().startswith(
        "2 campaigns selected; this form edits CMP-0003"
    )
    window.show_campaigns(["CMP-0001"])
    assert inspector.selection_note.isHidden()


def test_purpose_needs_and_lag_days_are_edited_and_applied(window, plan_db) -> None:
    from scheduler_app.campaigns import Purpose

    window.show_campaigns(["CMP-0003"])
    inspector = window.inspector
    assert inspector.purpose.currentData() == Purpose.COMMERCIAL
    assert (inspector.needs.text(), inspector.lag_days.value()) == ("", 0)
    inspector.purpose.setCurrentIndex(inspector.purpose.findData(Purpose.PPQ))
    inspector.needs.setText("cmp-0001")
    inspector.lag_days.setValue(30)
    assert inspector.apply_button.isEnabled(), inspector.problems.text()
    inspector.apply()
    saved = stored(plan_db).campaigns["CMP-0003"]
    assert (saved.purpose, saved.needs, saved.lag_days) == (Purpose.PPQ, "CMP-0001", 30)
    window.undo()
    assert stored(plan_db).campaigns["CMP-0003"].purpose is Purpose.COMMERCIAL


def test_needs_naming_an_unknown_campaign_or_itself_is_a_problem(window) -> None:
    window.show_campaigns(["CMP-0003"])
    inspector = window.inspector
    inspector.needs.setText("CMP-0999")
    assert "Needs: CMP-0999 is not a campaign." in inspector.problems.text()
    assert not inspector.apply_button.isEnabled()
    inspector.needs.setText("CMP-0003")
    assert "cannot need its own output" in inspector.problems.text()
    inspector.needs.setText("")
    assert inspector.problems.text() == ""


def test_a_needs_link_released_too_late_shows_the_material_conflict(window) -> None:
    window.show_campaigns(["CMP-0002"])  # starts 2027-04-02, right after CMP-0001 ends
    inspector = window.inspector
    inspector.needs.setText("CMP-0001")
    inspector.lag_days.setValue(40)
    assert "material" in inspector.conflicts.text() or "QC release" in inspector.conflicts.text()


def test_new_campaign_dialog_takes_purpose_needs_and_lag(window, qtbot) -> None:
    from scheduler_app.campaigns import Purpose

    dialog = NewCampaignDialog(window.service, "SDO-BR1501", local("2027-10-04", SEOUL), window)
    qtbot.addWidget(dialog)
    assert [dialog.bioreactor.itemData(i) for i in range(dialog.bioreactor.count())] == [
        "SYR-BR501", "SDO-BR1501", "SDO-SU01",
    ]  # fmt: skip
    dialog.purpose.setCurrentIndex(dialog.purpose.findData(Purpose.ENGINEERING))
    dialog.needs.setText("CMP-0003")
    dialog.lag_days.setValue(35)
    made = dialog.campaign()
    assert made is not None
    assert (made.purpose, made.needs, made.lag_days) == (Purpose.ENGINEERING, "CMP-0003", 35)
    dialog.needs.setText("CMP-0999")
    assert dialog.campaign() is None
    assert "CMP-0999 is not a campaign" in dialog.preview.text()
