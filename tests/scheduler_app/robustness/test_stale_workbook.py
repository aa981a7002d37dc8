"""Issue 13.2: a workbook remembers what it was exported from. Only what operations changed in
the file is applied; a field both sides changed is a named conflict (not applied); a change made
in the app after the export is never reverted; a workbook without that memory is compared with
the database as before."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.campaigns import Status
from scheduler_app.change_set import Source
from scheduler_app.cli.main import main
from scheduler_app.excel import read_workbook
from scheduler_app.excel.baseline import SHEET
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store


def _load(db: Path) -> Schedule:
    with Store.open(str(db)) as store:
        return store.load()


def _export(db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    assert main(["export", str(path), "--db", str(db)]) == 0
    return path


def _rows(path: Path) -> dict[str, int]:
    book = load_workbook(path, read_only=True)
    try:
        return {
            str(row[0]): number
            for number, row in enumerate(book["Campaigns"].iter_rows(values_only=True), 1)
            if number > 1
        }
    finally:
        book.close()


def _edit(path: Path, edits: dict[tuple[str, str], object], drop: str | None = None) -> None:
    """Set ``(campaign, header)`` cells; ``drop`` deletes that campaign's row."""
    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    rows = {sheet.cell(n, 1).value: n for n in range(2, sheet.max_row + 1)}
    for (cid, column), value in edits.items():
        cell = sheet.cell(rows[cid], header.index(column) + 1)
        cell.value = value(cell.value) if callable(value) else value
    if drop is not None:
        sheet.delete_rows(rows[drop])
    book.save(path)


def _planner(db: Path) -> ScheduleService:
    return ScheduleService(Store.open(str(db)), user="alice", source=Source.APP)


def _import(db: Path, path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> dict:
    capsys.readouterr()
    code = main(["import", str(path), "--db", str(db), "--json", *more])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0, payload
    return payload


def _two_ids(db: Path) -> tuple[str, str]:
    schedule = _load(db)
    # Planned ones: neither locked nor Confirmed (a Confirmed change needs a reason).
    unlocked = [c.id for c in schedule.campaigns.values() if c.status is Status.PLANNED]
    return unlocked[5], unlocked[6]


def test_app_change_after_export_is_not_reverted(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved, noted = _two_ids(demo_db)
    path = _export(demo_db, tmp_path)
    planner = _planner(demo_db)
    old_start = planner.schedule.campaigns[moved].start
    planner.move_campaign(moved, start=old_start + timedelta(days=7))
    planner.store.close()
    _edit(path, {(noted, "Notes"): "Checked by operations"})

    payload = _import(demo_db, path, capsys)

    after = _load(demo_db)
    assert after.campaigns[moved].start == old_start + timedelta(days=7)
    assert after.campaigns[noted].notes == "Checked by operations"
    assert payload["changes"]["changed"] == [noted]


def test_both_changed_is_a_named_conflict_and_the_rest_applies(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved, noted = _two_ids(demo_db)
    path = _export(demo_db, tmp_path)
    planner = _planner(demo_db)
    old_start = planner.schedule.campaigns[moved].start
    planner.move_campaign(moved, start=old_start + timedelta(days=7))
    planner.store.close()
    _edit(
        path,
        {
            (moved, "Start"): lambda v: v + timedelta(days=2),
            (moved, "Notes"): "ops note",
            (noted, "Notes"): "Checked",
        },
    )

    payload = _import(demo_db, path, capsys)

    after = _load(demo_db)
    assert after.campaigns[moved].start == old_start + timedelta(days=7)  # the app's move kept
    assert after.campaigns[moved].notes == "ops note"  # only the file changed Notes
    assert after.campaigns[noted].notes == "Checked"
    conflicts = [w for w in payload["warnings"] if w["message"].startswith("Conflict:")]
    assert len(conflicts) == 1
    assert conflicts[0]["column"] == "Start" and conflicts[0]["row"] == _rows(path)[moved]
    message = conflicts[0]["message"]
    assert moved in message and "database's value was kept" in message

    capsys.readouterr()
    assert main(["import", str(path), "--db", str(demo_db), "--dry-run"]) == 0
    assert f"conflict: Campaigns row {_rows(path)[moved]}, Start" in capsys.readouterr().out


def test_deleted_in_app_is_not_brought_back_and_new_in_app_is_not_deleted(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone, _ = _two_ids(demo_db)
    path = _export(demo_db, tmp_path)
    planner = _planner(demo_db)
    template = planner.schedule.campaigns[gone]
    planner.delete_campaign(gone)
    created = planner.create_campaign(
        product=template.product,
        bioreactor=template.bioreactor,
        start=template.start + timedelta(days=900),
        batches=1,
    ).campaigns[0]
    planner.store.close()

    payload = _import(demo_db, path, capsys, "--delete-missing")

    after = _load(demo_db)
    assert gone not in after.campaigns
    assert created.id in after.campaigns
    assert payload["changes"]["deleted"] == [] and payload["changes"]["added"] == []


def test_workbook_without_memory_is_compared_as_before(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved, _ = _two_ids(demo_db)
    path = _export(demo_db, tmp_path)
    book = load_workbook(path)
    del book[SHEET]
    book.save(path)
    planner = _planner(demo_db)
    old_start = planner.schedule.campaigns[moved].start
    planner.move_campaign(moved, start=old_start + timedelta(days=7))
    planner.store.close()

    payload = _import(demo_db, path, capsys)

    assert payload["changes"]["changed"] == [moved]
    assert _load(demo_db).campaigns[moved].start == old_start  # the file's value, as before


def test_busy_planner_on_other_campaigns_does_not_refuse_the_import(
    demo_db: Path, tmp_path: Path
) -> None:
    busy, noted = _two_ids(demo_db)
    path = _export(demo_db, tmp_path)
    _edit(path, {(noted, "Notes"): "ops"})
    importer = ScheduleService(Store.open(str(demo_db)), user="ops", source=Source.IMPORT)
    result = read_workbook(path, importer.schedule)
    assert result.ok
    planner = _planner(demo_db)  # another process moves a campaign the workbook does not touch
    planner.move_campaign(busy, start=planner.schedule.campaigns[busy].start + timedelta(days=3))
    planner.store.close()

    change_set = importer.apply_schedule(result.schedule)
    importer.store.close()

    assert change_set.ids("changed") == [noted]
    after = _load(demo_db)
    assert after.campaigns[noted].notes == "ops" and after.campaigns[busy].version == 2


def test_baseline_sheet_is_hidden(demo_db: Path, tmp_path: Path) -> None:
    path = _export(demo_db, tmp_path)
    book = load_workbook(path, read_only=True)
    try:
        assert book[SHEET].sheet_state == "hidden"
        assert book.worksheets[0].title == "Campaigns"
    finally:
        book.close()


def test_workbook_from_another_database_is_compared_as_before(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _export(demo_db, tmp_path)
    other = tmp_path / "other.db"
    assert main(["demo", "--db", str(other)]) == 0  # the same campaigns, another history
    moved, _ = _two_ids(other)
    planner = _planner(other)
    old_start = planner.schedule.campaigns[moved].start
    planner.move_campaign(moved, start=old_start + timedelta(days=7))
    planner.store.close()

    payload = _import(other, path, capsys)

    assert payload["changes"]["changed"] == [moved]
    assert _load(other).campaigns[moved].start == old_start
