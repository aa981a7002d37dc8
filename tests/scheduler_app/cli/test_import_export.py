"""``export`` and ``import``: the round trip through the command line, the JSON contract, dry
runs, deletions, and exit code 2 with one line (or JSON) for a bad workbook."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.cli.main import main
from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store

CHANGE_KEYS = {"added", "changed", "unchanged", "missing", "deleted"}


def _export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "plan.xlsx"
    assert main(["export", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Wrote {path}:") and "campaigns" in out
    return path


def _import_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["import", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _load(db: Path) -> Schedule:
    store = Store.open(str(db))
    try:
        return store.load()
    finally:
        store.close()


def _campaign_count(db: Path) -> int:
    return len(_load(db).campaigns)


def _edit(
    path: Path, shift_rows: tuple[int, ...] = (), drop_row: int | None = None, new_row: bool = False
) -> list[str]:
    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    start = header.index("Start") + 1
    shifted = []
    for row in shift_rows:
        sheet.cell(row, start).value = sheet.cell(row, start).value + timedelta(days=3)
        shifted.append(sheet.cell(row, 1).value)
    if new_row:
        template = [cell.value for cell in sheet[2]]
        template[0] = None
        sheet.append(template)
    if drop_row is not None:
        shifted.append(sheet.cell(drop_row, 1).value)
        sheet.delete_rows(drop_row)
    book.save(path)
    return shifted


def test_unchanged_round_trip_reports_every_campaign_unchanged(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    total = _campaign_count(demo_db)

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db), "--dry-run")

    assert code == 0
    assert set(payload) == {"applied", "errors", "warnings", "changes"}
    assert set(payload["changes"]) == CHANGE_KEYS
    assert payload["applied"] is False and payload["errors"] == [] and payload["warnings"] == []
    assert payload["changes"] == {
        "added": [], "changed": [], "unchanged": total, "missing": [], "deleted": []
    }  # fmt: skip


def test_dry_run_changes_nothing_and_apply_changes_it(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    total = _campaign_count(demo_db)
    shifted = _edit(path, shift_rows=(2, 3), new_row=True)

    code = main(["import", str(path), "--db", str(demo_db), "--dry-run"])
    text = capsys.readouterr().out
    assert code == 0
    assert "2 changed, 1 added" in text and "Dry run: nothing was changed." in text
    assert f"changed {shifted[0]}: Start" in text and "→" in text
    assert _campaign_count(demo_db) == total

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db))
    assert code == 0 and payload["applied"] is True
    assert sorted(payload["changes"]["changed"]) == sorted(shifted)
    assert len(payload["changes"]["added"]) == 1
    assert _campaign_count(demo_db) == total + 1

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db), "--dry-run")
    assert payload["changes"]["changed"] == []  # the shifts are in the database now
    assert len(payload["changes"]["added"]) == 1  # a row without an ID is always a new campaign


def test_missing_campaigns_are_deleted_only_when_asked(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    total = _campaign_count(demo_db)
    (dropped,) = _edit(path, drop_row=5)

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db))
    assert code == 0 and payload["changes"]["missing"] == [dropped]
    assert payload["changes"]["deleted"] == []
    assert _campaign_count(demo_db) == total

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db), "--delete-missing")
    assert code == 0 and payload["changes"]["deleted"] == [dropped]
    assert _campaign_count(demo_db) == total - 1


def test_invalid_rows_exit_2_with_sheet_row_column_value(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    book = load_workbook(path)
    sheet = book["Campaigns"]
    sheet["B3"] = "NO-SUCH-PRODUCT"
    sheet["I4"] = 0
    book.save(path)
    total = _campaign_count(demo_db)

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db))

    assert code == 2 and payload["applied"] is False
    assert [(e["sheet"], e["row"], e["column"], e["value"]) for e in payload["errors"]] == [
        ("Campaigns", 3, "Product", "NO-SUCH-PRODUCT"),
        ("Campaigns", 4, "Batches", 0),
    ]
    assert _campaign_count(demo_db) == total

    code = main(["import", str(path), "--db", str(demo_db)])
    text = capsys.readouterr().out
    assert code == 2 and "2 errors; nothing was imported." in text
    assert "Campaigns row 3, Product ('NO-SUCH-PRODUCT'): Unknown product" in text


def test_an_unreadable_file_is_one_line_on_stderr(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Campaign ID,Product\n")

    assert main(["import", str(path), "--db", str(demo_db)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "text or CSV file" in captured.err
    assert "Traceback" not in captured.err

    code, payload = _import_json(capsys, str(path), "--db", str(demo_db))
    assert code == 2 and "text or CSV file" in payload["errors"][0]["message"]


def test_a_workbook_exported_from_one_database_fills_an_empty_one(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    empty = tmp_path / "empty.db"
    Store.open(str(empty)).close()

    code, payload = _import_json(capsys, str(path), "--db", str(empty))

    assert code == 0 and payload["applied"] is True
    assert len(payload["changes"]["added"]) == _campaign_count(demo_db)
    again = tmp_path / "again.xlsx"
    assert main(["export", str(again), "--db", str(empty)]) == 0
    capsys.readouterr()
    code, payload = _import_json(capsys, str(again), "--db", str(demo_db), "--dry-run")
    assert payload["changes"]["changed"] == [] and payload["changes"]["added"] == []


def test_export_to_a_missing_folder_exits_2(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "no" / "plan.xlsx"), "--db", str(demo_db)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_master_data_and_maintenance_edits_are_applied(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import datetime

    path = _export(demo_db, tmp_path, capsys)
    book = load_workbook(path)
    maintenance = book["Maintenance"]
    maintenance.append(["SYR", None, None, datetime(2028, 12, 1), datetime(2028, 12, 8), "PM"])
    products = book["Products"]
    header = [cell.value for cell in products[1]]
    column = header.index("Changeover days") + 1
    code = products.cell(2, 1).value
    products.cell(2, column).value = 30
    book.save(path)
    windows_before = len(_load(demo_db).maintenance)

    code_dry = main(["import", str(path), "--db", str(demo_db), "--dry-run"])
    text = capsys.readouterr().out
    assert code_dry == 0
    assert f"master data: Changed product {code}: changeover days" in text
    assert "master data: Maintenance windows: 1 new, 0 removed" in text

    assert main(["import", str(path), "--db", str(demo_db)]) == 0
    capsys.readouterr()
    schedule = _load(demo_db)
    assert schedule.products[code].changeover_days == 30
    assert len(schedule.maintenance) == windows_before + 1
    added = [w for w in schedule.maintenance if w.reason == "PM"]
    assert len(added) == 1 and added[0].start.isoformat() == "2028-12-01T05:00:00+00:00"


def test_extra_columns_survive_the_database_and_come_back_in_order(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path, capsys)
    book = load_workbook(path)
    sheet = book["Campaigns"]
    width = sheet.max_column
    sheet.cell(1, width + 1, "Comments")
    sheet.cell(1, width + 2, "Lot")
    sheet.cell(2, width + 1, "ops: check media")
    sheet.cell(3, width + 2, 42)
    first, second = sheet.cell(2, 1).value, sheet.cell(3, 1).value
    book.save(path)
    assert main(["import", str(path), "--db", str(demo_db)]) == 0
    capsys.readouterr()

    again = tmp_path / "again.xlsx"
    assert main(["export", str(again), "--db", str(demo_db)]) == 0
    rows = {row[0].value: row for row in load_workbook(again)["Campaigns"].iter_rows()}

    header = [cell.value for cell in rows["Campaign ID"]]
    assert header[-3:] == ["Notes", "Comments", "Lot"]
    assert rows[first][-2].value == "ops: check media" and rows[first][-1].value is None
    assert rows[second][-1].value == 42
