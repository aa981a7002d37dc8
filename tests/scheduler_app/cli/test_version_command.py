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
