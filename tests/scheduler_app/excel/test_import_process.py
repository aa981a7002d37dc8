"""The process-rule columns on import: forgiving headers and values, DESIGN's defaults for a
workbook without them, and strict errors (sheet, row, column, value) for a Serves naming an
unknown suite, a Needs naming an unknown campaign or itself, a circle of needs, a campaign on a
seed bioreactor, an unknown purpose or role, and a bad Changeovers row."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from scheduler_app.campaigns import Purpose
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.excel import ImportIssue, read_workbook
from scheduler_app.ids import BioreactorCode, ProductCode, SuiteCode
from scheduler_app.schedule import Schedule
from tests.factories import campaign, small_schedule
from tests.scheduler_app.excel.workbooks import CAMPAIGN_HEADER, make_workbook

HEADER = ["Campaign ID", "Product", "Bioreactor", "Start", "Batches", "Purpose", "Needs",
          "Lag days"]  # fmt: skip
EQUIPMENT = ["Site", "Suite", "Bioreactor", "Working volume (L)", "Type", "Role", "Serves"]
PRODUCTS = ["Product", "Scales (L)", "Batch days", "Turnaround days", "Changeover days",
            "Qualified sites", "Seed days", "Harvest days", "Max batches"]  # fmt: skip


def known() -> Schedule:
    s = small_schedule()
    s.bioreactors[BioreactorCode("SYR-N1-01")] = Bioreactor(
        BioreactorCode("SYR-N1-01"), SuiteCode("SYR-S1"), 1000, role=EquipmentRole.SEED
    )
    campaign(s, "CMP-0001")
    return s


def _read(tmp_path: Path, sheets: dict[str, list[list[object]]], schedule: Schedule | None = None):
    path = make_workbook(tmp_path / "process.xlsx", sheets)
    return read_workbook(path, known() if schedule is None else schedule)


def _one_error(errors: list[ImportIssue]) -> ImportIssue:
    assert len(errors) == 1, errors
    return errors[0]


def test_an_older_workbook_imports_with_the_defaults(tmp_path: Path) -> None:
    row = ["CMP-0002", "ABX-201", None, "SYR", "SYR-S1", "SYR-BR501", "2027-06-01", None, 2, 14,
           2, "Planned", None, "note"]  # fmt: skip
    result = _read(tmp_path, {"Campaigns": [CAMPAIGN_HEADER, row]})
    assert result.errors == []
    made = result.schedule.campaigns["CMP-0002"]
    assert (made.purpose, made.needs, made.lag_days) == (Purpose.COMMERCIAL, None, 0)


def test_an_older_equipment_and_products_sheet_imports_with_the_defaults(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [HEADER[:5]],
            "Equipment": [EQUIPMENT[:5], ["SYR", "SYR-S1", "SYR-BR502", 5000, "Stainless"]],
            "Products": [PRODUCTS[:6], ["ABX-201", "5000", 14, 2, 10, "SYR; SDO"]],
        },
    )
    assert result.errors == []
    reactor = result.schedule.bioreactors["SYR-BR502"]
    assert (reactor.role, reactor.serves) == (EquipmentRole.PRODUCTION, ())
    product = result.schedule.products["ABX-201"]
    assert (product.seed_days, product.harvest_days, product.max_batches) == (0, 0, 0)
    assert product.qualified_from == ()


def test_forgiving_headers_and_values(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [
                [
                    "ID",
                    "Product",
                    "Reactor",
                    "Start date",
                    "No. of batches",
                    "run type",
                    "Depends on",
                    "QC release days",
                ],  # fmt: skip
                ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, "ppq", "cmp-0001", "35"],
                ["CMP-0003", "ABX-201", "SYR-BR501", "2027-09-01", 1, "eng", None, None],
            ],
            "Equipment": [
                ["Site", "Suite", "Bioreactor", "Volume", "Equipment role", "Serving"],
                ["SYR", "SYR-S1", "SYR-N1-01", 1000, "N-1", "syr-s1"],
                ["SYR", "SYR-S1", "SYR-DSP1", 5000, "DSP", "SYR-BR501, SDO-S1"],
                ["SYR", "SYR-S1", "SYR-BR501", 5000, "", ""],
            ],
            "Products": [
                [
                    "Product",
                    "Scales",
                    "Batch days",
                    "Turnaround",
                    "Changeover",
                    "Qualified at",
                    "N-1 days",
                    "DSP days",
                    "Batch limit",
                ],  # fmt: skip
                ["ABX-201", "5000; 15000", 14, 2, 10, "SYR, SDO:2027-03-01", "5", 4, 6],
            ],
            "Changeovers": [
                ["From", "To", "Cleaning days"],
                ["abx-201", "CDX-110", "21"],
            ],
        },
    )
    assert result.errors == [], result.errors
    got = result.schedule
    second = got.campaigns["CMP-0002"]
    assert (second.purpose, second.needs, second.lag_days) == (Purpose.PPQ, "CMP-0001", 35)
    assert got.campaigns["CMP-0003"].purpose is Purpose.ENGINEERING
    assert got.bioreactors["SYR-N1-01"].role is EquipmentRole.SEED
    assert got.bioreactors["SYR-N1-01"].serves == ("SYR-S1",)
    assert got.bioreactors["SYR-DSP1"].serves == ("SYR-BR501", "SDO-S1")
    assert got.bioreactors["SYR-DSP1"].role is EquipmentRole.DOWNSTREAM
    product = got.products["ABX-201"]
    assert (product.seed_days, product.harvest_days, product.max_batches) == (5, 4, 6)
    assert product.qualified_sites == ("SYR", "SDO")
    assert product.qualified_from == (("SDO", date(2027, 3, 1)),)
    assert got.changeovers == {(ProductCode("ABX-201"), ProductCode("CDX-110")): 21}


@pytest.mark.parametrize("typed", ["SDO from 2027-03-01", "SDO:2027-03-01", "sdo FROM 1 Mar 2027"])
def test_dated_qualification_spellings(tmp_path: Path, typed: str) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [HEADER[:5]],
            "Products": [PRODUCTS[:6], ["ABX-201", "5000", 14, 2, 10, f"SYR; {typed}"]],
        },
    )
    assert result.errors == []
    assert result.schedule.products["ABX-201"].qualified_from == (("SDO", date(2027, 3, 1)),)


def test_a_workbook_without_a_changeovers_sheet_keeps_the_matrix(tmp_path: Path) -> None:
    schedule = known()
    schedule.changeovers = {(ProductCode("ABX-201"), ProductCode("CDX-110")): 21}
    result = _read(tmp_path, {"Campaigns": [HEADER[:5]]}, schedule)
    assert result.schedule.changeovers == schedule.changeovers


def test_a_blank_purpose_keeps_the_campaigns_and_absent_columns_keep_their_values(
    tmp_path: Path,
) -> None:
    schedule = known()
    schedule.campaigns["CMP-0001"] = dataclasses.replace(
        schedule.campaigns["CMP-0001"], purpose=Purpose.PPQ, lag_days=3
    )
    result = _read(
        tmp_path,
        {
            "Campaigns": [
                HEADER[:6],
                ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 2, None],
            ]
        },
        schedule,
    )
    assert result.errors == []
    kept = result.schedule.campaigns["CMP-0001"]
    assert (kept.purpose, kept.lag_days) == (Purpose.PPQ, 3)


CAMPAIGN_ERRORS = [
    (
        ["CMP-0002", "ABX-201", "SYR-N1-01", "2027-06-01", 1, None, None, None],
        "Bioreactor",
        "SYR-N1-01",
        "SYR-N1-01 is a seed unit; campaigns are booked on production bioreactors only",
    ),
    (
        ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, "Pilot", None, None],
        "Purpose",
        "Pilot",
        "Unknown purpose; use one of: Engineering, PPQ, Clinical, Commercial",
    ),
    (
        ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, None, "CMP-0999", None],
        "Needs",
        "CMP-0999",
        "Needs names CMP-0999, which is not a campaign in the workbook or the database",
    ),
    (
        ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, None, "cmp-0002", None],
        "Needs",
        "cmp-0002",
        "CMP-0002 cannot need itself",
    ),
    (
        ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, None, None, -3],
        "Lag days",
        -3,
        "Lag days cannot be negative",
    ),
]


@pytest.mark.parametrize(("row", "column", "value", "words"), CAMPAIGN_ERRORS)
def test_campaign_process_errors_name_sheet_row_column_and_value(
    tmp_path: Path, row: list[object], column: str, value: object, words: str
) -> None:
    result = _read(tmp_path, {"Campaigns": [HEADER, row]})
    error = _one_error(result.errors)
    assert (error.sheet, error.row, error.column, error.value) == ("Campaigns", 2, column, value)
    assert words in error.message


def test_a_circle_of_needs_is_an_error_on_each_of_its_rows(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [
                HEADER,
                ["CMP-0002", "ABX-201", "SYR-BR501", "2027-06-01", 1, None, "CMP-0004", 0],
                ["CMP-0003", "ABX-201", "SYR-BR501", "2027-08-01", 1, None, "CMP-0002", 0],
                ["CMP-0004", "ABX-201", "SYR-BR501", "2027-10-01", 1, None, "CMP-0003", 0],
                ["CMP-0005", "ABX-201", "SYR-BR501", "2027-12-01", 1, None, "CMP-0004", 0],
            ]
        },
    )
    assert sorted((e.sheet, e.row, e.column) for e in result.errors) == [
        ("Campaigns", 2, "Needs"),
        ("Campaigns", 3, "Needs"),
        ("Campaigns", 4, "Needs"),
    ]
    assert all("CMP-0002 → CMP-0004 → CMP-0003 → CMP-0002" in e.message for e in result.errors)
    assert {e.row: e.value for e in result.errors}[2] == "CMP-0004"


@pytest.mark.parametrize(
    ("row", "column", "value", "words"),
    [
        (
            ["SYR", "SYR-S1", "SYR-N1-02", 1000, "Stainless", "Seed", "SYR-S9"],
            "Serves",
            "SYR-S9",
            "Serves names SYR-S9, which is neither a suite nor a bioreactor",
        ),
        (
            ["SYR", "SYR-S1", "SYR-N1-02", 1000, "Stainless", "Seed", "SYR-S1; SYR-N1-01"],
            "Serves",
            "SYR-S1; SYR-N1-01",
            "Serves names SYR-N1-01, which is not a production bioreactor",
        ),
        (
            ["SYR", "SYR-S1", "SYR-N1-02", 1000, "Stainless", "Harvester", None],
            "Role",
            "Harvester",
            "Role unknown role 'Harvester' (use Production, Seed or Downstream)",
        ),
    ],
)
def test_equipment_process_errors(
    tmp_path: Path, row: list[object], column: str, value: object, words: str
) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [HEADER[:5]],
            "Equipment": [EQUIPMENT, ["SYR", "SYR-S1", "SYR-N1-01", 1000, None, "Seed", None], row],
        },
    )
    error = _one_error(result.errors)
    assert (error.sheet, error.row, error.column, error.value) == ("Equipment", 3, column, value)
    assert words in error.message


def test_serves_on_a_production_bioreactor_is_a_warning_and_ignored(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [HEADER[:5]],
            "Equipment": [EQUIPMENT, ["SYR", "SYR-S1", "SYR-BR501", 5000, None, None, "SDO-S1"]],
        },
    )
    assert result.errors == []
    [warning] = result.warnings
    assert (warning.sheet, warning.row, warning.column) == ("Equipment", 2, "Serves")
    assert result.schedule.bioreactors["SYR-BR501"].serves == ()


@pytest.mark.parametrize(
    ("row", "column", "value", "words"),
    [
        (["ABX-201", "ZZZ-1", 5], "To product", "ZZZ-1", "Unknown product ZZZ-1"),
        (["ABX-201", "ABX-201", 5], "To product", "ABX-201", "to itself is its turnaround"),
        (["ABX-201", "CDX-110", -1], "Days", -1, "Days cannot be negative"),
        (["CDX-110", "ABX-201", 4], "To product", "ABX-201", "appears twice (rows 2 and 3)"),
    ],
)
def test_changeovers_sheet_errors(
    tmp_path: Path, row: list[object], column: str, value: object, words: str
) -> None:
    first = ["CDX-110", "ABX-201", 3] if "twice" in words else ["CDX-110", "ABX-201", 3]
    sheets: dict[str, list[list[object]]] = {
        "Campaigns": [HEADER[:5]],
        "Changeovers": [["From product", "To product", "Days"], first, row],
    }
    result = _read(tmp_path, sheets)
    error = _one_error(result.errors)
    assert (error.sheet, error.row, error.column, error.value) == ("Changeovers", 3, column, value)
    assert words in error.message


def test_a_bad_qualified_date_is_an_error(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        {
            "Campaigns": [HEADER[:5]],
            "Products": [PRODUCTS[:6], ["ABX-201", "5000", 14, 2, 10, "SYR; SDO from soon"]],
        },
    )
    error = _one_error(result.errors)
    assert (error.sheet, error.row, error.column) == ("Products", 2, "Qualified sites")
    assert "'soon' in Qualified sites is not a date" in error.message
