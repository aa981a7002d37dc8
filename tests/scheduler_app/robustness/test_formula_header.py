"""Issue 13.3 (export side): an extra column's header that looks like a formula is written as
literal text with the quote prefix, like every other text cell."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from openpyxl import load_workbook

from scheduler_app.demo import demo_schedule
from scheduler_app.excel import read_workbook, write_workbook


def test_formula_like_extra_header_is_quoted_and_round_trips(tmp_path: Path) -> None:
    schedule = demo_schedule()
    first = next(iter(schedule.campaigns.values()))
    schedule.campaigns[first.id] = dataclasses.replace(first, extra=(("=HDR()", "x"),))
    schedule.extra_columns = ["=HDR()"]
    path = tmp_path / "plan.xlsx"
    write_workbook(schedule, path, conflicts=[])

    book = load_workbook(path)
    header = {cell.value: cell for cell in book["Campaigns"][1]}
    assert header["=HDR()"].data_type == "s"
    assert header["=HDR()"].quotePrefix is True
    assert header["Notes"].quotePrefix is False
    result = read_workbook(path, schedule)
    assert result.ok and result.extra_columns == ["=HDR()"]
    assert result.schedule.campaigns[first.id].extra == (("=HDR()", "x"),)
