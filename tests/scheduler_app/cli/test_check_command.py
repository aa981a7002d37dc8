"""``check``: the JSON contract, the text report, exit codes, and which database it reads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from tests.scheduler_app.test_demo import BOOKED_SO, DELIBERATE_CONFLICTS

ROOT = Path(__file__).resolve().parents[3]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
KEYS = {"kind", "severity", "campaigns", "site", "bioreactor", "start", "end", "message"}
ERROR_KINDS = {
    "overlap",
    "changeover",
    "maintenance",
    "scale",
    "unavailable",
    "seed",
    "downstream",
    "material",
}


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_json_lists_every_deliberate_conflict_of_the_demo(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = check_json(capsys, "--db", str(demo_db))

    assert code == 1
    assert set(payload) == {"conflicts", "counts"}
    conflicts = payload["conflicts"]
    assert isinstance(conflicts, list)
    found = {(c["kind"], tuple(c["campaigns"]), c["bioreactor"]) for c in conflicts}
    assert found == DELIBERATE_CONFLICTS
    for conflict in conflicts:
        assert set(conflict) == KEYS
        assert conflict["severity"] == ("error" if conflict["kind"] in ERROR_KINDS else "warning")
        assert conflict["site"] == conflict["bioreactor"][:3]
        assert ISO_UTC.match(conflict["start"]) and ISO_UTC.match(conflict["end"])
        assert conflict["start"] <= conflict["end"]
        assert len(conflict["message"]) > 20
    assert payload["counts"] == {"error": 8, "warning": 4}


def test_the_overlap_interval_is_where_the_two_campaigns_share_the_bioreactor(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler_app.storage import Store

    _, payload = check_json(capsys, "--db", str(demo_db))
    (overlap,) = [c for c in payload["conflicts"] if c["kind"] == "overlap"]
    store = Store.open(str(demo_db))
    schedule = store.load()
    store.close()
    first, second = (schedule.campaigns[i] for i in overlap["campaigns"])

    assert overlap["start"] == second.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert overlap["end"] == schedule.campaign_end(first).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_text_report_groups_by_severity_with_a_summary(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(demo_db)]) == 1

    out = capsys.readouterr().out
    assert out.index("Errors (8)") < out.index("Warnings (4)")
    errors_block = out[out.index("Errors (8)") : out.index("Warnings (4)")]
    assert "CMP-0031, CMP-0054" in errors_block and "SYR-BR502" in errors_block
    assert "late" not in errors_block.split()
    assert out.strip().splitlines()[-1].startswith("8 errors, 4 warnings in 163 campaigns")


def test_warnings_alone_exit_0(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

    store = Store.open(str(demo_db))
    service = ScheduleService(store, source=Source.CLI)
    for kind, campaigns, _ in DELIBERATE_CONFLICTS:
        if kind in ERROR_KINDS:
            [booked] = [key for key in campaigns if key in BOOKED_SO]
            service.delete_campaign(booked, reason="test: leave only warnings")
    store.close()

    code, payload = check_json(capsys, "--db", str(demo_db))

    assert code == 0
    assert payload["counts"] == {"error": 0, "warning": 4}


def test_scheduler_db_is_honoured_and_db_overrides_it(
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SCHEDULER_DB", str(demo_db))
    code, payload = check_json(capsys)
    assert code == 1 and payload["counts"] == {"error": 8, "warning": 4}

    empty = tmp_path / "empty.db"
    code, payload = check_json(capsys, "--db", str(empty), "--create")
    assert code == 0 and payload == {"conflicts": [], "counts": {"error": 0, "warning": 0}}


@pytest.mark.parametrize(
    "target", ["{tmp}/no/such/folder/x.db", "nosuchdialect://user@host/db", "{tmp}"]
)
def test_a_bad_database_is_one_line_and_exit_2(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", target.format(tmp=tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err


def test_a_missing_workbook_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "plan.xlsx")]) == 2
    assert "plan.xlsx" in capsys.readouterr().err


def test_check_runs_as_a_process_on_the_demo_database(demo_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "check", "--json", "--db", str(demo_db)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["counts"] == {"error": 8, "warning": 4}


def test_a_bad_database_as_a_process_is_one_line_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "missing" / "x.db"), "check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.fixture
def demo_workbook(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "plan.xlsx"
    assert main(["export", str(target), "--db", str(demo_db)]) == 0
    return target


def test_a_workbook_is_checked_without_a_database(
    demo_workbook: Path, user_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, payload = check_json(capsys, str(demo_workbook))

    assert code == 1
    found = {(c["kind"], tuple(c["campaigns"]), c["bioreactor"]) for c in payload["conflicts"]}
    assert found == DELIBERATE_CONFLICTS
    assert not user_data.exists(), "checking a workbook must not create the default database"


def test_a_workbook_the_import_refuses_is_exit_2_with_its_problems(
    demo_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(demo_workbook)
    sheet = book["Campaigns"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=5, column=headers.index("Product") + 1, value="NOPE-1")
    sheet.cell(row=6, column=headers.index("Batches") + 1, value=0)
    book.save(demo_workbook)
    capsys.readouterr()

    assert main(["check", str(demo_workbook)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines[0].startswith("error: plan.xlsx cannot be checked") and "2 errors" in lines[0]
    assert any("Campaigns row 5" in line and "NOPE-1" in line for line in lines[1:])
    assert any("Campaigns row 6" in line and "Batches" in line for line in lines[1:])


def test_a_file_that_is_not_a_workbook_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "plan.xlsx"
    fake.write_text("Campaign ID,Product\nCMP-0001,ABX-201\n", encoding="utf-8")

    assert main(["check", str(fake)]) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_a_stacked_cluster_is_one_short_line_in_text_and_every_id_in_json() -> None:
    from scheduler_app.cli.check_command import conflicts_text
    from scheduler_app.rules.engine import check_schedule
    from tests.factories import campaign, small_schedule

    schedule = small_schedule()
    for number in range(1, 1001):
        campaign(schedule, f"CMP-{number:04d}", start="2027-03-01", batches=1)
    [conflict] = check_schedule(schedule)

    text = conflicts_text([conflict], schedule, "test")

    [line] = [line for line in text.splitlines() if "overlap" in line]
    assert "CMP-0001, CMP-0002, CMP-0003, CMP-0004, CMP-0005 and 995 more" in line
    assert len(line) < 600
    assert conflict.as_json()["campaigns"] == [f"CMP-{n:04d}" for n in range(1, 1001)]
