"""The process columns through ``export`` and ``import`` on a real database: an unedited
workbook changes nothing; an edited Purpose, Needs, Lag days and Changeovers row is applied; a
Needs circle is refused with nothing applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.campaigns import Purpose
from scheduler_app.cli.main import main
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.scheduler_app.storage.test_process_fields import process_schedule


@pytest.fixture
def process_db(tmp_path: Path) -> Path:
    db = tmp_path / "process.db"
    with Store.open(str(db)) as store:
        ScheduleService(store, user="ann").apply_schedule(process_schedule(), action="demo")
    return db


def _import(capsys: pytest.CaptureFixture[str], path: Path, db: Path) -> tuple[int, dict]:
    code = main(["import", str(path), "--db", str(db), "--json"])
    return code, json.loads(capsys.readouterr().out)


def _cells(path: Path) -> tuple[object, dict[str, int]]:
    book = load_workbook(path)
    header = [cell.value for cell in book["Campaigns"][1]]
    return book, {name: header.index(name) + 1 for name in header}


def test_process_columns_round_trip_through_the_command_line(
    process_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    assert main(["export", str(path), "--db", str(process_db)]) == 0
    capsys.readouterr()
    code, report = _import(capsys, path, process_db)
    assert code == 0 and report["changes"]["changed"] == [] and report["errors"] == []

    book, at = _cells(path)
    sheet = book["Campaigns"]  # type: ignore[index]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(rows["CMP-0001"], at["Purpose"]).value = "Clinical"
    sheet.cell(rows["CMP-0002"], at["Lag days"]).value = 42
    book["Changeovers"].cell(2, 3).value = 30  # type: ignore[index]
    book.save(path)  # type: ignore[attr-defined]

    code, report = _import(capsys, path, process_db)
    assert code == 0 and report["applied"], report
    assert sorted(report["changes"]["changed"]) == ["CMP-0001", "CMP-0002"]
    with Store.open(str(process_db)) as store:
        stored = store.load()
    assert stored.campaigns["CMP-0001"].purpose is Purpose.CLINICAL
    assert stored.campaigns["CMP-0002"].lag_days == 42
    assert stored.changeovers[("ABX-201", "CDX-110")] == 30


def test_a_circle_of_needs_is_refused_and_nothing_applied(
    process_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    assert main(["export", str(path), "--db", str(process_db)]) == 0
    capsys.readouterr()
    book, at = _cells(path)
    sheet = book["Campaigns"]  # type: ignore[index]
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(rows["CMP-0001"], at["Needs"]).value = "CMP-0002"
    sheet.cell(rows["CMP-0001"], at["Lag days"]).value = 9
    book.save(path)  # type: ignore[attr-defined]

    code, report = _import(capsys, path, process_db)
    assert code == 2 and not report["applied"]
    found = {(e["sheet"], e["row"], e["column"], e["value"]) for e in report["errors"]}
    assert found == {
        ("Campaigns", rows["CMP-0001"], "Needs", "CMP-0002"),
        ("Campaigns", rows["CMP-0002"], "Needs", "CMP-0001"),
    }
    with Store.open(str(process_db)) as store:
        assert store.load().campaigns["CMP-0001"].lag_days == 0
