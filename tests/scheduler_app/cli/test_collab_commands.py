"""``move``, ``watch`` and ``audit`` on the demo database: DESIGN's JSON and exit codes, a watcher
in another process that sees a move within two seconds, and ``audit verify`` finding tampering."""

from __future__ import annotations

import json
import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.storage import Store

ROOT = Path(__file__).resolve().parents[3]


def held(path: Path, campaign_id: str):
    with Store.open(str(path)) as store:
        schedule = store.load()
        found = schedule.campaigns[campaign_id]
        return found, schedule.time_zone_of(found.bioreactor)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_move_onto_a_filled_bioreactor_applies_and_exits_1(demo_db: Path, capsys) -> None:
    filler, tz_name = held(demo_db, "CMP-0072")
    day = utc_to_local_naive(filler.start, tz_name).date().isoformat()
    code, payload = run_json(
        capsys, "move", "CMP-0079", "--to", filler.bioreactor, "--start", day,
        "--db", str(demo_db), "--json",
    )  # fmt: skip
    assert code == 1 and payload["applied"] is True
    [moved] = payload["moved"]
    assert (moved["campaign"], moved["bioreactor"]) == ("CMP-0079", filler.bioreactor)
    assert moved["start"] == filler.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    overlaps = [c for c in payload["new_conflicts"] if c["kind"] == "overlap"]
    # One conflict for the cluster the move made: both campaigns, and any the filler overlapped.
    [overlap] = [c for c in overlaps if "CMP-0079" in c["campaigns"]]
    assert {"CMP-0072", "CMP-0079"} <= set(overlap["campaigns"])
    assert set(overlap) >= {"kind", "severity", "campaigns", "site", "bioreactor", "start"}
    assert held(demo_db, "CMP-0079")[0].bioreactor == filler.bioreactor


def test_move_by_days_exits_0_and_says_where_in_site_time(demo_db: Path, capsys) -> None:
    before, tz_name = held(demo_db, "CMP-0079")
    assert main(["move", "CMP-0079", "--by", "-2", "--db", str(demo_db)]) in (0, 1)
    out = capsys.readouterr().out
    after, _ = held(demo_db, "CMP-0079")
    local_day = utc_to_local_naive(after.start, tz_name).date()
    assert local_day == utc_to_local_naive(before.start, tz_name).date() - timedelta(days=2)
    assert out.startswith("Moved CMP-0079 to ") and "(site time)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["move", "CMP-9999", "--by", "3"], "Unknown campaign"),
        (["move", "CMP-0048", "--by", "3"], "CMP-0048 is Confirmed"),
        (["move", "CMP-0026", "--by", "3", "--reason", "x"], "locked"),
        (["move", "CMP-0079", "--to", "SDO-BR9999"], "Unknown bioreactor"),
        (["move", "CMP-0079", "--start", "03/05/2027"], "not a date"),
        (["move", "CMP-0079"], "needs --to"),
    ],
)
def test_refused_moves_exit_2_with_nothing_applied(
    demo_db: Path, capsys, argv: list[str], message: str
) -> None:
    before = sqlite3.connect(demo_db).execute("SELECT count(*) FROM audit_log").fetchone()
    assert main([*argv, "--db", str(demo_db), "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    if captured.out.strip():
        assert json.loads(captured.out)["applied"] is False
    after = sqlite3.connect(demo_db).execute("SELECT count(*) FROM audit_log").fetchone()
    assert after == before


def test_a_confirmed_campaign_moves_with_a_reason_that_the_audit_shows(demo_db, capsys) -> None:
    assert main(
        ["move", "CMP-0072", "--by", "7", "--reason", "Client PO", "--db", str(demo_db)]
    ) in (0, 1)
    capsys.readouterr()
    code, payload = run_json(
        capsys, "audit", "--campaign", "CMP-0072", "--db", str(demo_db), "--json"
    )
    assert code == 0
    newest = payload["entries"][0]
    assert (newest["field"], newest["reason"], newest["action"], newest["source"]) == (
        "start", "Client PO", "move", "cli",
    )  # fmt: skip
    assert set(newest) == {
        "id", "at", "user", "source", "action", "entity", "key", "field", "old", "new",
        "reason", "change_set",
    }  # fmt: skip
    assert payload["entries"][-1]["field"] is None  # the creation, last (newest first)


def test_audit_filters_by_user_and_since(demo_db: Path, capsys) -> None:
    code, payload = run_json(capsys, "audit", "--user", "nobody", "--db", str(demo_db), "--json")
    assert code == 0 and payload == {"entries": []}
    code, payload = run_json(
        capsys, "audit", "--since", "2100-01-01", "--db", str(demo_db), "--json"
    )
    assert payload == {"entries": []}
    assert main(["audit", "--since", "yesterday", "--db", str(demo_db)]) == 2


def test_audit_verify_passes_then_finds_a_tampered_row(demo_db: Path, capsys) -> None:
    code, payload = run_json(capsys, "audit", "verify", "--db", str(demo_db), "--json")
    assert (code, payload["ok"], payload["first_bad"]) == (0, True, None)
    assert payload["entries"] > 100
    connection = sqlite3.connect(demo_db)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET user = 'qa.head' WHERE id = 1")
    connection.execute(
        "UPDATE campaigns SET start = '2031-01-06 05:00:00.000000' WHERE id = 'CMP-0052'"
    )
    connection.commit()
    connection.close()
    code, payload = run_json(capsys, "audit", "verify", "--db", str(demo_db), "--json")
    assert (code, payload["ok"], payload["first_bad"]) == (1, False, 1)
    assert payload["campaigns"] == [
        {"campaign": "CMP-0052", "problem": "CMP-0052 differs from its audit trail in start."}
    ]
    assert main(["audit", "verify", "--db", str(demo_db)]) == 1
    assert "Audit entry 1 " in capsys.readouterr().out


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    selector = selectors.DefaultSelector()
    assert process.stdout is not None
    selector.register(process.stdout, selectors.EVENT_READ)
    if selector.select(timeout):
        return process.stdout.readline()
    return ""


def test_watch_in_another_process_sees_a_move_within_two_seconds(demo_db: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    watcher = subprocess.Popen(
        [sys.executable, "main.py", "watch", "--json", "--db", str(demo_db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert watcher.stderr is not None
        assert "watching" in watcher.stderr.readline()
        mover = subprocess.run(
            [sys.executable, "main.py", "move", "CMP-0079", "--by", "1", "--db", str(demo_db)],
            cwd=ROOT, capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
        committed = time.monotonic()
        assert mover.returncode in (0, 1), mover.stderr
        line = _readline(watcher, timeout=5)
        seen = time.monotonic()
        change = json.loads(line)
        assert (change["action"], change["campaigns"], change["source"]) == (
            "move", ["CMP-0079"], "cli",
        )  # fmt: skip
        assert set(change) == {"at", "user", "source", "action", "campaigns"}
        assert seen - committed < 2.0
        watcher.send_signal(signal.SIGINT)
        assert watcher.wait(timeout=10) == 0
        assert "Traceback" not in (watcher.stderr.read() or "")
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
