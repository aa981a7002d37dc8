"""The import is forgiving where operations are human: header spellings, title rows, blank rows,
merged titles, numbers as text, dates in many forms, sites by name, status in any case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from openpyxl import Workbook

from scheduler_app.campaigns import Status
from scheduler_app.excel import read_workbook
from scheduler_app.excel.values import parse_wall_clock
from tests.factories import local, small_schedule
from tests.scheduler_app.excel.workbooks import make_workbook

NY_MARCH_FIRST = local("2027-03-01")


@pytest.mark.parametrize(
    "typed",
    [
        datetime(2027, 3, 1),
        date(2027, 3, 1),
        46447,  # Excel serial of 2027-03-01
        "46447",
        "2027-03-01",
        "2027-03-01 00:00",
        "3/1/2027",
        "2027.03.01",
        "2027/03/01",
        "01-Mar-2027",
        "1 Mar 2027",
        "1 March 2027",
        "March 1, 2027",
        " 2027-3-1 ",
    ],
)
def test_every_date_form_reads_as_the_same_wall_clock(typed: object) -> None:
    assert parse_wall_clock(typed) == datetime(2027, 3, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-03-01 08:30", datetime(2027, 3, 1, 8, 30)),
        ("3/1/2027 8:30 PM", datetime(2027, 3, 1, 20, 30)),
        ("2027-03-01T08:30:15", datetime(2027, 3, 1, 8, 30, 15)),
        (46447.25, datetime(2027, 3, 1, 6, 0)),
    ],
)
def test_times_of_day(typed: object, expected: datetime) -> None:
    assert parse_wall_clock(typed) == expected


def _one_row(path: Path, header: list[object], row: list[object], above: int = 0) -> Path:
    rows: list[list[object]] = [["Schedule for operations"]] + [[]] * (above - 1) if above else []
    return make_workbook(path, {"Campaigns": [*rows, header, row]})


def test_synonym_headers_in_any_order_with_title_rows(tmp_path: Path) -> None:
    header = ["Start date", "  reactor ", "No. of batches", "ID", "PRODUCT", "state", "Remarks"]
    row = ["3/1/2027", "SYR-BR501", "2", "CMP-0007", "ABX-201", "confirmed", "first run"]
    path = _one_row(tmp_path / "ops.xlsx", header, row, above=3)

    result = read_workbook(path, small_schedule())

    assert result.errors == []
    made = result.schedule.campaigns["CMP-0007"]
    assert made.start == NY_MARCH_FIRST
    assert made.batches == 2 and made.status is Status.CONFIRMED and made.notes == "first run"
    assert (made.batch_days, made.turnaround_days) == (14, 2)  # from the product
    assert result.rows["CMP-0007"] == 5  # Excel's row number, below the title rows


def test_merged_title_blank_rows_and_hash_batches(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "campaigns"
    sheet["A1"] = "Songdo plan — do not forward"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["Campaign", "Product", "Vessel", "Begin", "# batches", "Site"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(
        [
            "CMP-0100",
            "ABX-201",
            "SDO-BR1501",
            datetime(2027, 5, 3, 6, 0),
            1.0,
            "songdo bio campus plant 1",
        ]
    )
    sheet.append([])
    sheet.append(["", "ABX-201", "SYR-BR501", "2027-09-01", "3", "syr"])
    path = tmp_path / "merged.xlsx"
    book.save(path)

    result = read_workbook(path, small_schedule())

    assert result.errors == [] and result.warnings == []
    assert set(result.schedule.campaigns) == {"CMP-0100", "CMP-0101"}
    assert result.new_ids == ["CMP-0101"]
    seoul = result.schedule.campaigns["CMP-0100"]
    assert seoul.start == datetime(2027, 5, 2, 21, 0, tzinfo=seoul.start.tzinfo)  # 06:00 KST
    assert result.rows == {"CMP-0100": 5, "CMP-0101": 7}


def test_new_ids_follow_the_database_and_the_workbook(tmp_path: Path) -> None:
    known = small_schedule()
    from tests.factories import campaign

    campaign(known, "CMP-0041")
    header = ["Campaign ID", "Product", "Bioreactor", "Start", "Batches"]
    path = make_workbook(
        tmp_path / "new.xlsx",
        {
            "Campaigns": [
                header,
                ["", "ABX-201", "SYR-BR501", "2027-05-01", 1],
                ["CMP-0050", "ABX-201", "SYR-BR501", "2027-07-01", 1],
                [None, "ABX-201", "SYR-BR501", "2027-09-01", 1],
            ]
        },
    )

    result = read_workbook(path, known)

    assert result.new_ids == ["CMP-0051", "CMP-0052"]


def test_workbook_written_by_xlsxwriter_imports(tmp_path: Path) -> None:
    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Campaigns")
    fmt = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["Campaign ID", "Product", "Bioreactor", "Start", "Batches", "Status"])
    sheet.write_row(1, 0, ["CMP-0001", "CDX-110", "SDO-SU01"])
    sheet.write_datetime(1, 3, datetime(2027, 4, 5, 0, 0), fmt)
    sheet.write_number(1, 4, 2)
    sheet.write_string(1, 5, "TENTATIVE")
    book.close()

    result = read_workbook(path, small_schedule())

    assert result.errors == []
    made = result.schedule.campaigns["CMP-0001"]
    assert made.start == local("2027-04-05", "Asia/Seoul") and made.status is Status.TENTATIVE


def test_workbook_written_by_pandas_imports(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Campaign ID": ["CMP-0001", "CMP-0002"],
            "Product": ["ABX-201", "CDX-110"],
            "Bioreactor": ["SYR-BR501", "SYR-BR501"],
            "Start": [pd.Timestamp("2027-03-01"), pd.Timestamp("2027-06-01 12:00")],
            "Batches": [2, 1],
            "Due": [pd.Timestamp("2027-05-01"), pd.NaT],
            "Lot": ["L-1", None],
        }
    )
    path = tmp_path / "pandas.xlsx"
    frame.to_excel(path, sheet_name="Campaigns", index=False)

    result = read_workbook(path, small_schedule())

    assert result.errors == []
    first, second = result.schedule.campaigns["CMP-0001"], result.schedule.campaigns["CMP-0002"]
    assert first.start == NY_MARCH_FIRST and first.due == date(2027, 5, 1)
    assert first.extra == (("Lot", "L-1"),) and second.extra == ()
    assert result.extra_columns == ["Lot"]


def test_a_single_sheet_with_another_name_is_read_as_campaigns(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "sheet1.xlsx",
        {
            "Sheet1": [
                ["ID", "Product", "Reactor", "Start", "Batches"],
                ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 1],
            ]
        },
    )

    assert set(read_workbook(path, small_schedule()).schedule.campaigns) == {"CMP-0001"}


def test_master_data_comes_from_the_database_when_the_sheets_are_absent(tmp_path: Path) -> None:
    known = small_schedule()
    path = make_workbook(
        tmp_path / "only-campaigns.xlsx",
        {
            "Campaigns": [
                ["ID", "Product", "Reactor", "Start", "Batches"],
                ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 1],
            ]
        },
    )

    result = read_workbook(path, known)

    assert result.schedule.products == known.products
    assert result.schedule.bioreactors == known.bioreactors
    assert result.schedule.sites == known.sites


def test_import_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    from scheduler_app.excel import ExcelCancelled, write_workbook
    from scheduler_app.synthetic import synthetic_schedule

    schedule = synthetic_schedule(3_000, 10, seed=2)
    path = tmp_path / "big.xlsx"
    write_workbook(schedule, path, conflicts=[])
    seen: list[float] = []

    read_workbook(path, schedule, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 5

    def stop(fraction: float) -> None:
        if fraction > 0.3:
            raise ExcelCancelled("stop")

    with pytest.raises(ExcelCancelled):
        read_workbook(path, schedule, progress=stop)
    with pytest.raises(ExcelCancelled, match="Import cancelled; nothing was changed"):
        read_workbook(path, schedule, progress=lambda fraction: fraction < 0.5)


def test_codes_and_ids_match_in_any_case(tmp_path: Path) -> None:
    from tests.factories import campaign

    known = small_schedule()
    campaign(known, "CMP-0001")
    path = make_workbook(
        tmp_path / "case.xlsx",
        {"Campaigns": [["ID", "Product", "Reactor", "Start", "Batches"],
                       ["cmp-0001", "abx-201", "syr-br501", "2027-03-01", 2]]},
    )  # fmt: skip

    result = read_workbook(path, known)

    assert result.errors == []
    assert result.schedule.campaigns == known.campaigns


def test_columns_left_out_keep_the_database_values(tmp_path: Path) -> None:
    """A sheet with only the required columns changes only what it shows."""
    from tests.factories import campaign

    known = small_schedule()
    known.extra_columns = ["Comments"]
    original = campaign(
        known, "CMP-0001", batch_days=20, turnaround_days=5, due=date(2027, 6, 30),
        notes="keep me", status=Status.CONFIRMED, extra=(("Comments", "ops note"),),
    )  # fmt: skip
    path = make_workbook(
        tmp_path / "slim.xlsx",
        {"Campaigns": [["Campaign ID", "Product", "Bioreactor", "Start", "Batches"],
                       ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-08", 2]]},
    )  # fmt: skip

    result = read_workbook(path, known)

    got = result.schedule.campaigns["CMP-0001"]
    assert got.start == local("2027-03-08")
    assert got == replace(original, start=local("2027-03-08"))


def test_blank_cells_in_present_columns_clear_or_default(tmp_path: Path) -> None:
    from tests.factories import campaign

    known = small_schedule()
    campaign(known, "CMP-0001", batch_days=20, notes="old", due=date(2027, 6, 30))
    path = make_workbook(
        tmp_path / "blank.xlsx",
        {"Campaigns": [["Campaign ID", "Product", "Bioreactor", "Start", "Batches",
                        "Batch days", "Notes", "Due"],
                       ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 2, None, None, None]]},
    )  # fmt: skip

    got = read_workbook(path, known).schedule.campaigns["CMP-0001"]

    assert (got.batch_days, got.notes, got.due) == (14, "", None)  # product default, cleared


def test_an_emptied_master_sheet_counts_as_absent(tmp_path: Path) -> None:
    known = small_schedule()
    path = make_workbook(
        tmp_path / "empty-maintenance.xlsx",
        {"Campaigns": [["ID", "Product", "Reactor", "Start", "Batches"],
                       ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 1]],
         "Maintenance": [], "Products": [[None], []]},
    )  # fmt: skip

    result = read_workbook(path, known)

    assert result.errors == []
    assert result.schedule.products == known.products


@pytest.mark.parametrize(
    ("typed", "expected"), [("15,000", 15000), (" 3 ", 3), ("3.0", 3), (4.0, 4), ("15 000", 15000)]
)
def test_numbers_stored_as_text(typed: object, expected: int) -> None:
    from scheduler_app.excel.values import parse_whole_number

    assert parse_whole_number(typed) == expected
