"""The change set an import would apply, and the scenario the feature exists for: operations
edit the exported workbook and send it back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from scheduler_app.campaigns import Status
from scheduler_app.excel import compute_changes, read_workbook, write_workbook
from scheduler_app.ids import CampaignId, ProductCode
from scheduler_app.synthetic import synthetic_schedule
from tests.factories import campaign, local, small_schedule


def test_operations_edit_three_starts_add_comments_and_type_a_date_as_text(
    tmp_path: Path,
) -> None:
    schedule = synthetic_schedule(300, 10, seed=7)
    path = tmp_path / "plan.xlsx"
    write_workbook(schedule, path, conflicts=[])

    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    start_col, notes_col = header.index("Start") + 1, header.index("Notes") + 1
    sheet.cell(1, notes_col + 1, "Comments")
    shifted = {}
    for row, days in ((5, 7), (40, -3), (120, 14)):
        campaign_id = sheet.cell(row, 1).value
        old = sheet.cell(row, start_col).value
        new = old + timedelta(days=days)
        shifted[campaign_id] = new
        if row == 40:
            sheet.cell(row, start_col).value = new.strftime("%Y-%m-%d")  # typed as text
        else:
            sheet.cell(row, start_col).value = new
        sheet.cell(row, notes_col + 1, f"moved {days:+d} days by ops")
    book.save(path)

    result = read_workbook(path, schedule)
    preview = compute_changes(schedule, result.schedule)

    assert result.errors == [] and result.warnings == []  # a stale End is not an edit
    assert result.extra_columns == ["Comments"]
    assert sorted(d.campaign_id for d in preview.changed) == sorted(shifted)
    assert preview.added == [] and preview.missing == [] and preview.master_data == []
    assert preview.unchanged == 297
    for diff in preview.changed:
        assert [change.field for change in diff.fields] == ["Start", "Comments"]
        start = diff.fields[0]
        assert start.new.startswith(shifted[diff.campaign_id].strftime("%Y-%m-%d %H:%M"))
        assert diff.after.extra == (("Comments", diff.fields[1].new),)


def test_added_changed_unchanged_missing_with_site_local_times() -> None:
    current = small_schedule()
    keep = campaign(current, "CMP-0001")
    move = campaign(current, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-01")
    gone = campaign(current, "CMP-0003", start="2027-06-01")
    incoming = current.copy()
    del incoming.campaigns[gone.id]
    incoming.campaigns[move.id] = replace(
        move, start=local("2027-03-08", "Asia/Seoul"), status=Status.CONFIRMED, notes="=x"
    )
    new = replace(keep, id=CampaignId("CMP-0004"), start=local("2027-09-01"))
    incoming.campaigns[new.id] = new

    preview = compute_changes(current, incoming)

    assert [c.id for c in preview.added] == ["CMP-0004"]
    assert [c.id for c in preview.missing] == ["CMP-0003"]
    assert preview.unchanged == 1
    (diff,) = preview.changed
    assert [(f.field, f.old, f.new) for f in diff.fields] == [
        ("Start", "2027-03-01 00:00 (SDO)", "2027-03-08 00:00 (SDO)"),
        ("Status", "Planned", "Confirmed"),
        ("Notes", "(blank)", "=x"),
    ]
    assert not preview.is_empty


def test_preview_reports_the_conflicts_the_result_would_have() -> None:
    current = small_schedule()
    campaign(current, "CMP-0001", start="2027-03-01")
    campaign(current, "CMP-0002", start="2027-06-01")
    incoming = current.copy()
    incoming.campaigns[CampaignId("CMP-0002")] = replace(
        current.campaigns[CampaignId("CMP-0002")], start=local("2027-03-10")
    )

    kept = compute_changes(current, incoming)
    assert [(c.kind, c.campaigns) for c in kept.new_conflicts] == [
        ("overlap", ("CMP-0001", "CMP-0002"))
    ]

    without_first = current.copy()
    del without_first.campaigns[CampaignId("CMP-0001")]
    deleting = compute_changes(current, without_first, delete_missing=True)
    assert deleting.conflicts == [] and deleting.delete_missing
    kept_missing = compute_changes(current, without_first, delete_missing=False)
    assert [c.id for c in kept_missing.missing] == ["CMP-0001"]


def test_master_data_changes_are_listed() -> None:
    current = small_schedule()
    incoming = current.copy()
    product = incoming.products["ABX-201"]
    incoming.products[product.code] = replace(product, changeover_days=21)
    incoming.maintenance.append(
        __import__("scheduler_app.maintenance", fromlist=["MaintenanceWindow"]).MaintenanceWindow(
            "SYR", datetime(2027, 7, 1), datetime(2027, 7, 15), "Shutdown"
        )
    )

    preview = compute_changes(current, incoming)

    assert preview.master_data == [
        "Changed product ABX-201: changeover days 10 → 21",
        "Maintenance windows: 1 new, 0 removed",
    ]
    assert preview.changed == [] and not preview.is_empty


def test_process_fields_and_the_matrix_are_previewed() -> None:
    from datetime import date

    from scheduler_app.campaigns import Purpose
    from scheduler_app.equipment import EquipmentRole
    from scheduler_app.ids import CampaignId, ProductCode, SiteCode

    current = small_schedule()
    campaign(current, "CMP-0001")
    campaign(current, "CMP-0002", start="2027-06-01")
    abx, cdx = ProductCode("ABX-201"), ProductCode("CDX-110")
    current.changeovers = {(abx, cdx): 14, (cdx, abx): 9}
    incoming = current.copy()
    incoming.campaigns["CMP-0002"] = replace(
        current.campaigns["CMP-0002"],
        purpose=Purpose.PPQ,
        needs=CampaignId("CMP-0001"),
        lag_days=30,
    )
    product = incoming.products[abx]
    incoming.products[abx] = replace(
        product, seed_days=5, qualified_from=((SiteCode("SDO"), date(2027, 3, 1)),)
    )
    reactor = incoming.bioreactors["SDO-SU01"]
    incoming.bioreactors[reactor.code] = replace(
        reactor, role=EquipmentRole.SEED, serves=("SDO-BR1501",)
    )
    incoming.changeovers = {(abx, cdx): 21}

    preview = compute_changes(current, incoming)

    [diff] = preview.changed
    assert [(f.field, f.old, f.new) for f in diff.fields] == [
        ("Purpose", "Commercial", "PPQ"),
        ("Needs", "(blank)", "CMP-0001"),
        ("Lag days", "0", "30"),
    ]
    assert preview.master_data == [
        "Changed bioreactor SDO-SU01: role Production → Seed; serves (blank) → SDO-BR1501",
        "Changed product ABX-201: seed days 0 → 5; qualified from (blank) → SDO from 2027-03-01",
        "Changeover ABX-201 → CDX-110: 14 → 21 days",
        "Changeover CDX-110 → ABX-201: 9 days → removed",
    ]


def test_notes_and_extra_columns_differing_only_in_normalisation_are_no_change(
    tmp_path: Path,
) -> None:
    import unicodedata

    note, remark = "항체 메모 — café", "세척 후 확인"
    decomposed_note = unicodedata.normalize("NFD", note)
    decomposed_remark = unicodedata.normalize("NFD", remark)
    assert decomposed_note != note and decomposed_remark != remark
    current = small_schedule()
    current.extra_columns = ["비고"]
    campaign(current, "CMP-0001", notes=note, extra=(("비고", remark),))
    path = tmp_path / "plan.xlsx"
    write_workbook(current, path, conflicts=[])
    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    notes_col, extra_col = header.index("Notes") + 1, header.index("비고") + 1
    assert (sheet.cell(2, notes_col).value, sheet.cell(2, extra_col).value) == (note, remark)
    # The same words as a Mac (or a copy from a PDF) types them: decomposed, header too.
    sheet.cell(2, notes_col, decomposed_note)
    sheet.cell(2, extra_col, decomposed_remark)
    sheet.cell(1, extra_col, unicodedata.normalize("NFD", "비고"))
    book.save(path)

    result = read_workbook(path, current)
    preview = compute_changes(current, result.schedule)

    assert result.errors == []
    assert preview.changed == [] and preview.added == [] and preview.unchanged == 1
    stored = result.schedule.campaigns[CampaignId("CMP-0001")]
    assert stored.notes == note and stored.extra == (("비고", remark),)


def test_master_data_names_differing_only_in_normalisation_are_no_change(tmp_path: Path) -> None:
    import unicodedata

    current = small_schedule()
    product = current.products[ProductCode("ABX-201")]
    current.products[product.code] = replace(product, name="항체 애벡수맙", client="클라이언트")
    path = tmp_path / "plan.xlsx"
    write_workbook(current, path, conflicts=[])
    book = load_workbook(path)
    sheet = book["Products"]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        for column in (header.index("Name") + 1, header.index("Client") + 1):
            value = sheet.cell(row, column).value
            if isinstance(value, str):
                sheet.cell(row, column, unicodedata.normalize("NFD", value))
    book.save(path)

    result = read_workbook(path, current)
    preview = compute_changes(current, result.schedule)

    assert result.errors == []
    assert preview.master_data == []
    assert result.schedule.products[product.code].name == "항체 애벡수맙"
