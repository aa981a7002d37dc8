"""Issue 13.7: values Excel hands over that would silently become wrong data are refused (or,
for a start the clocks skip, read with a clear word)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from scheduler_app.excel import ExcelError, ImportIssue, ImportResult, read_workbook
from scheduler_app.excel.values import parse_whole_number
from tests.factories import small_schedule
from tests.scheduler_app.excel.workbooks import make_workbook
from tests.scheduler_app.robustness.doctor import rewrite_parts

HEADER = ["Campaign ID", "Product", "Bioreactor", "Start", "Batches", "Due", "Notes"]
GOOD = ["CMP-0001", "ABX-201", "SYR-BR501", "2027-03-01", 2, "2027-06-01", "fine"]


def _row(**changes: object) -> list[object]:
    row = list(GOOD)
    for name, value in changes.items():
        row[HEADER.index(name)] = value
    return row


def _read(tmp_path: Path, *rows: list[object]) -> ImportResult:
    path = make_workbook(tmp_path / "book.xlsx", {"Campaigns": [HEADER, *rows]})
    return read_workbook(path, small_schedule())


def _only_error(result: ImportResult) -> ImportIssue:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_formulas_without_computed_values_are_errors(tmp_path: Path) -> None:
    result = _read(tmp_path, _row(Due="=DATE(2027,7,1)", Notes='="checked"'))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Due"), (2, "Notes")]
    assert all("formula with no computed value: open and save" in e.message for e in result.errors)


def test_formula_with_a_computed_value_is_read(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "book.xlsx", {"Campaigns": [HEADER, GOOD]})
    computed = '<c r="G2" t="str"><f>"com"&amp;"puted"</f><v>computed</v></c>'
    rewrite_parts(path, lambda name, text: re.sub(r'<c r="G2"[^>]*>.*?</c>', computed, text))
    result = read_workbook(path, small_schedule())
    assert result.ok, result.errors
    assert result.schedule.campaigns["CMP-0001"].notes == "computed"


@pytest.mark.parametrize("column", ["Campaign ID", "Product", "Start", "Batches", "Due"])
def test_excel_error_values_in_key_cells_are_errors(tmp_path: Path, column: str) -> None:
    error = _only_error(_read(tmp_path, _row(**{column: "#N/A"})))
    assert error.column == column and "Excel error value #N/A" in error.message


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("CMP-0001\u200b", "an invisible character"),
        ("CMP\u20130001", "a dash that only looks like a hyphen"),
        ("\uff23\uff2d\uff30-0001", "a look-alike of another character"),
        ("C" * 40_000, "at most 64 are allowed"),
    ],
)
def test_look_alike_invisible_and_long_ids_are_refused(
    tmp_path: Path, typed: str, words: str
) -> None:
    error = _only_error(_read(tmp_path, _row(**{"Campaign ID": typed})))
    assert (error.sheet, error.row, error.column) == ("Campaigns", 2, "Campaign ID")
    assert words in error.message


def test_ids_are_compared_in_nfc(tmp_path: Path) -> None:
    hangul = "캠페인-1"
    decomposed = unicodedata.normalize("NFD", hangul)
    assert decomposed != hangul
    result = _read(tmp_path, _row(**{"Campaign ID": hangul}), _row(**{"Campaign ID": decomposed}))
    error = _only_error(result)
    assert "appears twice" in error.message
    alone = _read(tmp_path, _row(**{"Campaign ID": decomposed}))
    assert alone.ok and list(alone.schedule.campaigns) == [hangul]


def test_exact_sheet_name_wins_over_a_hidden_look_alike(tmp_path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    edited = book.create_sheet("Campaigns")
    for row in (HEADER, _row(Batches=3)):
        edited.append(row)
    stale = book.create_sheet("Campaigns_")
    for row in (HEADER, _row(Batches=1)):
        stale.append(row)
    stale.sheet_state = "hidden"
    book.move_sheet(stale, offset=-1)
    path = tmp_path / "book.xlsx"
    book.save(path)
    result = read_workbook(path, small_schedule())
    assert result.ok and result.schedule.campaigns["CMP-0001"].batches == 3


def test_two_look_alike_sheets_without_the_exact_name_are_refused(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "book.xlsx", {"campaigns ": [HEADER, GOOD], "Campaigns_": [HEADER, GOOD]}
    )
    with pytest.raises(ExcelError, match="2 sheets that could be the Campaigns sheet"):
        read_workbook(path, small_schedule())


def test_1904_date_system_serial_text_is_read_on_its_own_calendar(tmp_path: Path) -> None:
    serial = (datetime(2027, 3, 1) - CALENDAR_MAC_1904).days
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Campaigns"
    sheet.append(HEADER)
    sheet.append(_row(Start=str(serial), Due=datetime(2027, 6, 1)))
    path = tmp_path / "mac.xlsx"
    book.save(path)
    result = read_workbook(path, small_schedule())
    assert result.ok, result.errors
    campaign = result.schedule.campaigns["CMP-0001"]
    assert campaign.start == datetime(2027, 3, 1, 5, tzinfo=UTC)  # midnight in New York
    assert campaign.due is not None and campaign.due.isoformat() == "2027-06-01"


@pytest.mark.parametrize("typed", ["5.000", "1.000"])
def test_dot_thousands_are_ambiguous(typed: str) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_whole_number(typed)


@pytest.mark.parametrize("typed", ["1,000", "1e3", 101])
def test_implausible_batch_counts_are_refused(tmp_path: Path, typed: object) -> None:
    error = _only_error(_read(tmp_path, _row(Batches=typed)))
    assert error.column == "Batches" and "more than the 100 batches" in error.message


def test_a_start_the_clocks_skip_is_read_with_a_warning(tmp_path: Path) -> None:
    result = _read(tmp_path, _row(Start="2027-03-14 02:30"))
    assert result.ok
    assert result.schedule.campaigns["CMP-0001"].start == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    (warning,) = [w for w in result.warnings if w.column == "Start"]
    assert "2027-03-14 02:30 does not exist in Syracuse Bio Campus" in warning.message
    assert "read as 2027-03-14 03:30" in warning.message


def test_text_over_the_cell_limit_is_refused(tmp_path: Path) -> None:
    # openpyxl cuts what it writes at 32,767; another program need not, so doctor the XML.
    path = make_workbook(tmp_path / "book.xlsx", {"Campaigns": [HEADER, _row(Notes="MARK")]})
    rewrite_parts(path, lambda name, text: text.replace(">MARK<", ">" + "n" * 40_000 + "<"))
    error = _only_error(read_workbook(path, small_schedule()))
    assert error.column == "Notes" and "40,000 characters long" in error.message
