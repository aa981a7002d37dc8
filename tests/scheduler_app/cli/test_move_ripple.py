"""``move --ripple``: the following campaigns pushed in the same change set; a lock in the way
refuses the whole move with exit 2 and nothing applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.cli.main import main
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import local, small_schedule


def _lane(path: Path, third: Status) -> None:
    store = Store.open(str(path))
    service = ScheduleService(store, user="planner")
    service.apply_schedule(small_schedule(), action="demo")
    for number, start, status in (
        (1, "2027-03-01", Status.PLANNED),
        (2, "2027-03-20", Status.PLANNED),
        (3, "2027-04-06", third),
    ):
        service.create_campaign(
            product="ABX-201",
            bioreactor="SYR-BR501",
            start=local(start),
            batches=1,
            status=status,
            campaign_id=f"CMP-000{number}",
        )
    store.close()


def _campaigns(path: Path) -> dict[str, Any]:
    store = Store.open(str(path))
    try:
        return dict(store.load().campaigns)
    finally:
        store.close()


def test_move_ripple_pushes_the_following_campaigns_in_one_change_set(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(sqlite_url)
    _lane(path, Status.PLANNED)

    code = main(["move", "CMP-0001", "--by", "9", "--ripple", "--db", str(path), "--json"])

    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["applied"] is True
    assert [m["campaign"] for m in payload["moved"]] == ["CMP-0001", "CMP-0002", "CMP-0003"]
    held = _campaigns(path)
    # CMP-0001 to 03-10 ends 03-24; +2 days turnaround: CMP-0002 03-26 to 04-09; CMP-0003 04-11.
    assert held["CMP-0001"].start == local("2027-03-10")
    assert held["CMP-0002"].start == local("2027-03-26")
    assert held["CMP-0003"].start == local("2027-04-11")


def test_move_ripple_blocked_by_a_lock_applies_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(sqlite_url)
    _lane(path, Status.IN_PROGRESS)
    before = _campaigns(path)

    code = main(["move", "CMP-0001", "--by", "9", "--ripple", "--db", str(path)])

    err = capsys.readouterr().err
    assert code == 2
    assert "CMP-0003 is In progress and locked" in err and "Nothing was moved" in err
    assert _campaigns(path) == before
