"""``publish``, ``versions`` and ``diff --since-version``: DESIGN's JSON, exit codes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_publish_then_diff_since(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_db)
    code, version = _json(
        capsys, "publish", "--reason", "sent to ops", "--meaning", "approved", "--db", db
    )
    assert code == 0
    assert (version["version"], version["reason"], version["meaning"]) == (
        1,
        "sent to ops",
        "approved",
    )
    store = Store.open(db)
    try:
        live = ScheduleService(store, user="kim")
        moved = next(c for c in live.schedule.campaigns.values() if c.status.value == "Planned")
        live.move_campaign(moved.id, start=moved.start + timedelta(days=5))
    finally:
        store.close()
    code, diff = _json(capsys, "diff", "--since-version", "1", "--db", db)
    assert code == 0 and diff["added"] == [] and diff["removed"] == []
    assert diff["changed"] == [
        {
            "campaign": moved.id,
            "fields": {
                "start": [
                    moved.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    (moved.start + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                ]
            },
        }
    ]
    code, listed = _json(capsys, "versions", "--db", db)
    assert [v["version"] for v in listed["versions"]] == [1]
    assert main(["diff", "--since-version", "2", "--db", db]) == 2
    assert "no published plan version 2" in capsys.readouterr().err
    assert main(["publish", "--reason", " ", "--db", db]) == 2


def test_export_shows_baseline_and_slip_and_import_ignores_them(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    db = str(demo_db)
    assert main(["publish", "--reason", "sent to ops", "--db", db]) == 0
    store = Store.open(db)
    try:
        live = ScheduleService(store, user="kim")
        moved = next(c for c in live.schedule.campaigns.values() if c.status.value == "Planned")
        live.move_campaign(moved.id, start=moved.start + timedelta(days=9))
    finally:
        store.close()
    path = tmp_path / "out.xlsx"
    assert main(["export", str(path), "--db", db]) == 0
    book = load_workbook(path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    assert header[-2:] == ["Baseline start", "Slip (days)"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    slip = header.index("Slip (days)")
    assert rows[moved.id][slip] == 9
    assert {row[slip] for key, row in rows.items() if key != moved.id} == {0}
    changes = list(book["Changes since v1"].iter_rows(values_only=True))
    assert [row[:3] for row in changes[1:]] == [(moved.id, "changed", "start")]
    # Operations type into the export-only columns: nothing is taken from them.
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, slip + 1).value = 99
        sheet.cell(row, slip).value = "whatever"
    book.save(path)
    capsys.readouterr()
    code = main(["import", str(path), "--db", db, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["changes"]["changed"] == [] and payload["warnings"] == []
    store = Store.open(db)
    try:
        assert store.load().extra_columns == []
    finally:
        store.close()
    plain = tmp_path / "plain.xlsx"
    assert main(["export", str(plain), "--db", db, "--no-baseline"]) == 0
    assert "Slip (days)" not in [c.value for c in load_workbook(plain)["Campaigns"][1]]
