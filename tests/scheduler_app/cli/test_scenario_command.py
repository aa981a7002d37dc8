"""``scenario list|create|delete|diff|promote`` and ``--scenario`` on check/import/export: work in
a scenario leaves Live alone, the JSON follows DESIGN, refusals exit 2 with one line."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.cli.main import main
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store


def _load(db: Path, scenario: str | None = None) -> Schedule:
    store = Store.open(str(db))
    try:
        return store.load(scenario)
    finally:
        store.close()


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_scenario_imported_into_diffs_and_promotes(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_db)
    live_before = _load(demo_db)
    code, made = _json(capsys, "scenario", "create", "PPQ slip", "--db", db)
    assert code == 0 and made["name"] == "PPQ slip"
    assert made["campaigns"] == len(live_before.campaigns)
    book_path = tmp_path / "what-if.xlsx"
    assert main(["export", str(book_path), "--db", db, "--scenario", "PPQ slip"]) == 0
    assert "(scenario PPQ slip)" in capsys.readouterr().out
    book = load_workbook(book_path)
    sheet = book["Campaigns"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Start") + 1
    moved = sheet.cell(2, 1).value
    sheet.cell(2, column).value = sheet.cell(2, column).value + timedelta(days=30)
    book.save(book_path)

    code, imported = _json(capsys, "import", str(book_path), "--db", db, "--scenario", "PPQ slip")
    assert code == 0 and imported["changes"]["changed"] == [moved]
    assert _load(demo_db) == live_before

    code, diff = _json(capsys, "scenario", "diff", "PPQ slip", "--db", db)
    assert code == 0
    assert set(diff) == {"added", "removed", "changed", "conflicts"}
    assert [item["campaign"] for item in diff["changed"]] == [moved]
    assert list(diff["changed"][0]["fields"]) == ["start"]
    assert set(diff["conflicts"]) == {"gained", "resolved"}
    assert main(["scenario", "diff", "PPQ slip", "--db", db]) == 0
    assert f"{moved}  start:" in capsys.readouterr().out

    check_code = main(["check", "--db", db, "--scenario", "PPQ slip", "--json"])
    capsys.readouterr()
    assert check_code in (0, 1)

    code, promoted = _json(
        capsys, "scenario", "promote", "PPQ slip", "--reason", "client slip", "--db", db
    )
    assert code == 0 and promoted["applied"] is True
    assert promoted["changes"]["changed"] == [moved]
    assert _load(demo_db).campaigns[moved] == _load(demo_db, "PPQ slip").campaigns[moved]

    code, listed = _json(capsys, "scenario", "list", "--db", db)
    assert [s["name"] for s in listed["scenarios"]] == ["PPQ slip"]
    assert main(["scenario", "delete", "PPQ slip", "--db", db]) == 0
    capsys.readouterr()
    assert main(["scenario", "list", "--db", db]) == 0
    assert "No scenarios" in capsys.readouterr().out


def test_promote_refused_exits_2_and_names_who(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_db)
    assert main(["scenario", "create", "s", "--db", db]) == 0
    store = Store.open(db)
    try:
        what_if = ScheduleService(store, user="bo", scenario="s")
        target = next(c for c in what_if.schedule.campaigns.values() if c.status.value == "Planned")
        what_if.move_campaign(target.id, start=target.start + timedelta(days=7))
        live = ScheduleService(store, user="kim")
        live.move_campaign(target.id, start=target.start + timedelta(days=14))
        live_now = store.load()
    finally:
        store.close()
    capsys.readouterr()
    code = main(["scenario", "promote", "s", "--db", db])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and f"{target.id} was changed in Live by kim" in err
    assert _load(demo_db) == live_now


def test_usage_errors_are_one_line(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_db)
    for argv in (
        ["scenario", "diff", "--db", db],
        ["scenario", "diff", "missing", "--db", db],
        ["check", "--db", db, "--scenario", "missing"],
        ["scenario", "create", "Live", "--db", db],
    ):
        assert main(argv) == 2
        assert capsys.readouterr().err.startswith("error: ")


def test_the_optimiser_and_slot_finder_work_in_a_scenario_and_leave_live_alone(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_db)
    assert main(["scenario", "create", "opt", "--db", db]) == 0
    live_before, scenario_before = _load(demo_db), _load(demo_db, "opt")
    capsys.readouterr()
    code = main(
        [
            "plan",
            "--db",
            db,
            "--scenario",
            "opt",
            "--from",
            "2027-01-01",
            "--to",
            "2027-06-30",
            "--time-limit",
            "5",
            "--json",
        ]
    )
    payload = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and payload["status"] in ("optimal", "feasible", "infeasible")
    assert _load(demo_db) == live_before
    after = _load(demo_db, "opt")
    moved = {change["campaign"] for change in payload["changes"]}
    assert payload["applied"] == bool(moved)
    assert {k for k in after.campaigns if after.campaigns[k] != scenario_before.campaigns[k]} == (
        moved if payload["applied"] else set()
    )
    some = next(k for k in sorted(after.campaigns) if after.campaigns[k].status.value == "Planned")
    assert main(["slot", some, "--db", db, "--scenario", "opt", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["campaign"] == some
    assert main(["slot", some, "--db", db, "--scenario", "missing"]) == 2
