"""The exported workbook: sheets, columns, real date-times, validations, no formulas, and a safe
write that never damages the file that was there."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.excel import ExcelCancelled, ExcelError, layout, write_workbook
from scheduler_app.rules.engine import check_schedule
from scheduler_app.synthetic import synthetic_schedule
from tests.factories import campaign, small_schedule
from tests.scheduler_app.excel.workbooks import CAMPAIGN_HEADER, sheet_rows

FORMULA_NOTES = ["=SUM(A1)", "+1", "-x", "@x", '=HYPERLINK("http://evil")']


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    schedule = small_schedule()
    schedule.extra_columns = ["Comments"]
    campaign(
        schedule,
        "CMP-0001",
        notes="=SUM(A1)",
        due=date(2027, 4, 30),
        extra=(("Comments", "+1 bay"),),
    )
    campaign(
        schedule,
        "CMP-0002",
        bioreactor="SDO-BR1501",
        start="2027-03-08",
        batches=1,
        notes="항체 메모",
    )
    campaign(schedule, "CMP-0003", product="CDX-110", start="2027-03-10", notes="@x")
    path = tmp_path / "plan.xlsx"
    write_workbook(schedule, path, conflicts=check_schedule(schedule), source_description="test.db")
    return path


def test_sheets_and_column_order_follow_the_design(exported: Path) -> None:
    book = load_workbook(exported)
    assert book.sheetnames[:9] == [
        "Campaigns", "Maintenance", "Products", "Equipment", "Changeovers", "Sites", "Gantt",
        "Conflicts", "About",
    ]  # fmt: skip
    assert book["Lists"].sheet_state == "hidden"
    header = [cell.value for cell in book["Campaigns"][1]]
    assert header == [
        "Campaign ID", "Product", "Client", "Site", "Suite", "Bioreactor", "Start", "End",
        "Batches", "Batch days", "Turnaround days", "Status", "Due", "Purpose", "Needs",
        "Lag days", "Notes", "Comments",
    ]  # fmt: skip
    assert header[:13] + header[16:17] == CAMPAIGN_HEADER  # an older version's columns, in order
    assert [c.value for c in book["Maintenance"][1]] == [
        "Site", "Suite", "Bioreactor", "Start", "End", "Reason"
    ]  # fmt: skip
    assert [c.value for c in book["Products"][1]] == [
        "Product", "Name", "Client", "Modality", "Scales (L)", "Batch days", "Turnaround days",
        "Changeover days", "Qualified sites", "Colour", "Seed days", "Harvest days", "Max batches",
    ]  # fmt: skip
    assert [c.value for c in book["Equipment"][1]][:8] == [
        "Site", "Suite", "Bioreactor", "Working volume (L)", "Type", "Available from", "Role",
        "Serves",
    ]  # fmt: skip
    assert [c.value for c in book["Changeovers"][1]] == ["From product", "To product", "Days"]
    assert [c.value for c in book["Sites"][1]] == ["Site", "Name", "Time zone", "Available from"]


def test_times_are_real_site_local_datetimes_with_formats(exported: Path) -> None:
    sheet = load_workbook(exported)["Campaigns"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    syr, sdo = rows["CMP-0001"], rows["CMP-0002"]
    assert syr[6].value == datetime(2027, 3, 1, 0, 0)  # New York wall clock, not UTC
    assert sdo[6].value == datetime(2027, 3, 8, 0, 0)  # Seoul wall clock
    assert syr[6].number_format == layout.DATETIME_FORMAT
    assert syr[7].value == datetime(2027, 3, 31, 0, 0)  # 2 x 14 + 2 days
    assert syr[12].value == datetime(2027, 4, 30) and syr[12].number_format == "yyyy-mm-dd"


def test_header_frozen_filtered_sized_and_validated(exported: Path) -> None:
    sheet = load_workbook(exported)["Campaigns"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:R4"
    assert sheet.column_dimensions["Q"].width >= 30
    validated = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert validated["B2"] == "Lists!$A$2:$A$3"  # Product
    assert validated["D2"] == "Lists!$B$2:$B$3"  # Site
    assert validated["F2"] == "Lists!$E$2:$E$4"  # Bioreactor: production ones only
    assert validated["N2"] == "Lists!$F$2:$F$5"  # Purpose
    assert validated["L2"] == "Lists!$D$2:$D$7"  # Status
    lists = sheet_rows(exported, "Lists")
    assert [row[3] for row in lists[1:7]] == [
        "Planned", "Tentative", "Confirmed", "In progress", "Complete", "Cancelled"
    ]  # fmt: skip


def test_no_planner_text_cell_is_a_formula(tmp_path: Path) -> None:
    schedule = small_schedule()
    schedule.extra_columns = ["Comments"]
    for index, text in enumerate(FORMULA_NOTES):
        campaign(
            schedule,
            f"=CMP-{index}",
            start=f"2027-0{index + 1}-01",
            batches=1,
            notes=text,
            extra=(("Comments", text),),
        )
    path = tmp_path / "formulas.xlsx"
    write_workbook(schedule, path, conflicts=[])

    book = load_workbook(path)  # not read-only, not data-only: formulas would show as "f"
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value in FORMULA_NOTES:
                    texts.append(cell)
    assert len(texts) >= 2 * len(FORMULA_NOTES)
    assert all(cell.quotePrefix for cell in texts if cell.value.startswith(("=", "+", "-", "@")))


def test_gantt_colours_weeks_by_product(exported: Path) -> None:
    sheet = load_workbook(exported)["Gantt"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Site", "Suite", "Bioreactor"]
    assert header[3] == "2027-03-01"  # the Monday of the first campaign's week
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2) if row[2].value}
    first_week = rows["SYR-BR501"][3]
    assert first_week.value == "ABX-201"
    assert first_week.fill.fgColor.rgb.endswith("1F77B4")


def test_conflicts_and_about_sheets(exported: Path) -> None:
    conflicts = sheet_rows(exported, "Conflicts")
    assert conflicts[0][:3] == ("Kind", "Severity", "Campaigns")
    overlap = [row for row in conflicts[1:] if row[0] == "overlap"]
    assert len(overlap) == 1
    assert overlap[0][1:5] == ("error", "CMP-0001, CMP-0003", "SYR", "SYR-BR501")
    assert overlap[0][5] == datetime(2027, 3, 10)  # site-local, like the Campaigns sheet
    about = {row[0]: row[1] for row in sheet_rows(exported, "About") if row[0]}
    assert about["Exported from"] == "test.db"
    assert "local wall-clock" in about["Time convention"]
    assert about["Workbook"] == "plan.xlsx"
    assert isinstance(about["Exported at (UTC)"], datetime)


def test_an_open_target_gives_a_clear_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"the old workbook")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExcelError, match="open in another program or read-only. Close it"):
        write_workbook(small_schedule(), path, conflicts=[])

    assert path.read_bytes() == b"the old workbook"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_missing_folder_is_an_excel_error(tmp_path: Path) -> None:
    with pytest.raises(ExcelError, match="does not exist"):
        write_workbook(small_schedule(), tmp_path / "nowhere" / "plan.xlsx", conflicts=[])


def test_progress_reports_and_cancel_keeps_the_old_file(tmp_path: Path) -> None:
    schedule = synthetic_schedule(2_000, 10, seed=1)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"old")
    seen: list[float] = []

    def cancel_halfway(fraction: float) -> bool:
        seen.append(fraction)
        return fraction < 0.3

    with pytest.raises(ExcelCancelled):
        write_workbook(schedule, path, conflicts=[], progress=cancel_halfway)
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path]
    assert seen[0] == 0.0 and 0.3 <= seen[-1] < 0.7

    seen.clear()
    write_workbook(schedule, path, conflicts=[], progress=seen.append)
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0 and len(seen) > 5
    assert len(sheet_rows(path, "Campaigns")) == 2_001


def test_a_stacked_cluster_is_one_conflicts_row_within_the_cell_limit(tmp_path: Path) -> None:
    schedule = small_schedule()
    for number in range(1, 4_001):
        campaign(schedule, f"CMP-{number:05d}", start="2027-03-01", batches=1)
    path = tmp_path / "stacked.xlsx"
    conflicts = check_schedule(schedule)
    assert len(conflicts) == 1

    write_workbook(schedule, path, conflicts=conflicts, source_description="test.db")

    [header, row] = sheet_rows(path, "Conflicts")
    assert row[:2] == ("overlap", "error")
    assert len(row[2]) <= 32_767
    assert row[2].startswith("CMP-00001, CMP-00002, ") and row[2].endswith(" more")
    assert row[7].startswith("overlap: 4,000 campaigns overlap on SYR-BR501 from 2027-03-01")
