"""The import is strict where a mistake costs a batch: each problem names its sheet, Excel row,
column (as headed in the workbook), value, and says what to do; warnings change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_app.excel import ExcelError, ImportIssue, read_workbook
from tests.factories import small_schedule
from tests.scheduler_app.excel.workbooks import make_workbook

HEADER = ["Campaign ID", "Product", "Site", "Suite", "Bioreactor", "Start", "End", "Batches",
          "Batch days", "Status", "Due"]  # fmt: skip
GOOD = ["CMP-0001", "ABX-201", "SYR", "SYR-S1", "SYR-BR501", "2027-03-01", None, 2, 14,
        "Planned", None]  # fmt: skip


def _read(tmp_path: Path, *rows: list[object]) -> tuple[list[ImportIssue], list[ImportIssue]]:
    path = make_workbook(tmp_path / "strict.xlsx", {"Campaigns": [HEADER, *rows]})
    result = read_workbook(path, small_schedule())
    return result.errors, result.warnings


def _row(**changes: object) -> list[object]:
    row = list(GOOD)
    for name, value in changes.items():
        row[HEADER.index(name.replace("_", " "))] = value
    return row


@pytest.mark.parametrize(
    ("changes", "column", "value", "words"),
    [
        ({"Product": "ZZZ-999"}, "Product", "ZZZ-999", "Unknown product; use one of: ABX-201"),
        ({"Bioreactor": "SYR-BR999"}, "Bioreactor", "SYR-BR999", "Unknown bioreactor"),
        ({"Site": "Boston"}, "Site", "Boston", "Unknown site; use one of: SDO, SYR"),
        ({"Start": "2027-02-30"}, "Start", "2027-02-30", "Start is not a real date"),
        ({"Start": "next Tuesday"}, "Start", "next Tuesday", "Start is not a date"),
        ({"Start": None}, "Start", "", "Start is missing"),
        ({"Start": 2027}, "Start", 2027, "Start is not a plausible date (year 1905)"),
        ({"Batches": 0}, "Batches", 0, "Batches must be 1 or more"),
        ({"Batches": -2}, "Batches", -2, "Batches must be 1 or more"),
        ({"Batches": 2.5}, "Batches", 2.5, "Batches must be a whole number"),
        ({"Batches": "two"}, "Batches", "two", "Batches must be a whole number"),
        ({"Batches": "2,5"}, "Batches", "2,5", "Batches must be a whole number"),
        ({"Batches": 10**9}, "Batches", 10**9, "more than the 100 batches any campaign can run"),
        ({"Batch_days": 0}, "Batch days", 0, "Batch days must be 1 or more"),
        (
            {"Status": "Maybe"},
            "Status",
            "Maybe",
            "Status is not a status; use one of: Planned, Tentative",
        ),
        ({"Due": "31/31/2027"}, "Due", "31/31/2027", "Due is not a real date"),
        ({"Product": None}, "Product", "", "Product is missing"),
    ],
)
def test_each_error_names_row_column_and_value(
    tmp_path: Path, changes: dict[str, object], column: str, value: object, words: str
) -> None:
    errors, _ = _read(tmp_path, list(GOOD), _row(**{"Campaign ID": "CMP-0002"}, **changes))

    assert len(errors) == 1, errors
    error = errors[0]
    assert (error.sheet, error.row, error.column, error.value) == ("Campaigns", 3, column, value)
    assert words in error.message


def test_duplicate_campaign_id_is_an_error_on_the_second_row(tmp_path: Path) -> None:
    errors, _ = _read(tmp_path, list(GOOD), _row(Start="2027-06-01"))

    assert [(e.row, e.column, e.value) for e in errors] == [(3, "Campaign ID", "CMP-0001")]
    assert "appears twice (rows 2 and 3)" in errors[0].message


def test_several_problems_in_several_rows_are_all_reported(tmp_path: Path) -> None:
    errors, _ = _read(
        tmp_path,
        _row(Product="NOPE", Batches=0),
        _row(**{"Campaign ID": "CMP-0002"}, Bioreactor="X"),
    )

    assert [(e.row, e.column) for e in errors] == [
        (2, "Product"),
        (2, "Batches"),
        (3, "Bioreactor"),
    ]


def test_an_edited_end_is_a_warning_and_ignored(tmp_path: Path) -> None:
    errors, warnings = _read(tmp_path, _row(End="2027-04-15"))

    assert errors == []
    assert [(w.row, w.column, w.value) for w in warnings] == [(2, "End", "2027-04-15")]
    assert "2027-03-31 00:00" in warnings[0].message and "ignored" in warnings[0].message


def test_site_or_suite_disagreeing_with_the_bioreactor_is_a_warning(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "moved.xlsx",
        {"Campaigns": [HEADER, _row(Site="SYR", Suite="SYR-S1", Bioreactor="SDO-BR1501")]},
    )

    result = read_workbook(path, small_schedule())

    assert result.errors == []
    assert [(w.column, w.value) for w in result.warnings] == [("Site", "SYR"), ("Suite", "SYR-S1")]
    moved = result.schedule.campaigns["CMP-0001"]
    assert moved.bioreactor == "SDO-BR1501"
    from tests.factories import local

    assert moved.start == local("2027-03-01", "Asia/Seoul")  # read on the new site's clock


@pytest.mark.parametrize(
    ("sheets", "words"),
    [
        ({"Plan": [["x"]], "Other": [["y"]]}, "has no Campaigns sheet (it has: Plan, Other)"),
        (
            {"Campaigns": [["Campaign ID", "Product", "Bioreactor", "Batches"]]},
            "Sheet Campaigns is missing the Start column",
        ),
        ({"Campaigns": [["a", "b"], [1, 2]]}, "has no header row with the columns it needs"),
    ],
)
def test_missing_sheet_or_columns_is_one_excel_error(
    tmp_path: Path, sheets: dict[str, list[list[object]]], words: str
) -> None:
    path = make_workbook(tmp_path / "bad.xlsx", sheets)

    with pytest.raises(ExcelError) as caught:
        read_workbook(path, small_schedule())
    assert words in str(caught.value)


def test_without_database_the_master_sheets_are_required(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "bare.xlsx", {"Campaigns": [HEADER, GOOD]})

    with pytest.raises(ExcelError, match="has no Sites sheet and there is no database"):
        read_workbook(path, None)


def test_master_sheet_errors_are_reported_with_their_rows(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "master.xlsx",
        {
            "Campaigns": [HEADER],
            "Sites": [
                ["Site", "Name", "Time zone"],
                ["SYR", "Syracuse", "America/New_York"],
                ["SDO", "Songdo", "Mars/Olympus"],
            ],
            "Products": [
                [
                    "Product",
                    "Scales (L)",
                    "Batch days",
                    "Turnaround days",
                    "Changeover days",
                    "Qualified sites",
                ],
                ["ABX-201", "5000; lots", 14, 2, 10, "SYR, Atlantis"],
            ],
        },
    )

    result = read_workbook(path, small_schedule())

    found = [(e.sheet, e.row, e.column) for e in result.errors]
    assert found == [
        ("Sites", 3, "Time zone"),
        ("Products", 2, "Scales (L)"),
        ("Products", 2, "Qualified sites"),
        ("Equipment", 0, "Site"),  # the database's Songdo suite now stands at no known site
    ]


def test_a_client_left_stale_after_a_product_change_is_not_a_warning(tmp_path: Path) -> None:
    from tests.factories import campaign

    known = small_schedule()
    campaign(known, "CMP-0001")  # ABX-201, Client A
    header = ["Campaign ID", "Product", "Client", "Bioreactor", "Start", "Batches"]
    path = make_workbook(
        tmp_path / "client.xlsx",
        {"Campaigns": [header,
                       ["CMP-0001", "CDX-110", "Client A", "SYR-BR501", "2027-03-01", 2],
                       ["CMP-0002", "CDX-110", "Client Z", "SYR-BR501", "2027-06-01", 1]]},
    )  # fmt: skip

    result = read_workbook(path, known)

    assert result.errors == []
    assert [(w.row, w.column, w.value) for w in result.warnings] == [(3, "Client", "Client Z")]
