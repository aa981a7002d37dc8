"""Helpers for Excel tests: hand-made workbooks, a round trip, and a schedule comparison."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from scheduler_app.excel import ImportResult, read_workbook, write_workbook
from scheduler_app.schedule import Schedule

CAMPAIGN_HEADER = [
    "Campaign ID", "Product", "Client", "Site", "Suite", "Bioreactor", "Start", "End", "Batches",
    "Batch days", "Turnaround days", "Status", "Due", "Notes",
]  # fmt: skip


def make_workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook written by openpyxl in normal mode, one sheet per entry, rows as given."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def round_trip(schedule: Schedule, path: Path, known: Schedule | None = None) -> ImportResult:
    write_workbook(schedule, path, conflicts=[])
    return read_workbook(path, known)


def assert_same_schedule(got: Schedule, expected: Schedule) -> None:
    assert got.sites == expected.sites
    assert got.suites == expected.suites
    assert got.bioreactors == expected.bioreactors
    assert got.products == expected.products
    assert got.campaigns == expected.campaigns
    assert got.changeovers == expected.changeovers
    assert sorted(got.maintenance, key=repr) == sorted(expected.maintenance, key=repr)


def sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()
