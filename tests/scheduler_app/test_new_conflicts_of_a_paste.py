"""A change's new conflicts when it pastes many campaigns onto one date: the overlap cluster they
make is one new conflict naming them all, found in one pass over the conflicts (asking campaign
by campaign would rescan the cluster once per campaign: quadratic in the rows pasted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, small_schedule


def test_a_pasted_stack_is_one_new_overlap_found_without_asking_per_campaign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = ScheduleService(Store.open(str(tmp_path / "plan.db")), user="ann")
    try:
        base = small_schedule()
        campaign(base, "CMP-0001", start="2027-03-01")
        service.apply_schedule(base, description="Import base.xlsx")
        pasted = service.schedule.copy()
        for number in range(2, 402):
            campaign(pasted, f"CMP-{number:04d}", start="2027-03-01", batches=1)
        asked: list[str] = []
        original = ConflictEngine.conflicts_for

        def counted(engine: ConflictEngine, campaign_id: str) -> object:
            asked.append(campaign_id)
            return original(engine, campaign_id)

        monkeypatch.setattr(ConflictEngine, "conflicts_for", counted)

        change_set = service.apply_schedule(pasted, description="Import pasted.xlsx")

        [overlap] = [c for c in change_set.new_conflicts if c.kind == "overlap"]
        assert overlap.campaigns == tuple(f"CMP-{n:04d}" for n in range(1, 402))
        assert len(change_set.new_conflicts) == len(service.engine.conflicts) == 1
        assert asked == []
    finally:
        service.store.close()


def test_a_few_changed_campaigns_keep_their_new_conflicts_in_order(tmp_path: Path) -> None:
    service = ScheduleService(Store.open(str(tmp_path / "plan.db")), user="ann")
    try:
        base = small_schedule()
        campaign(base, "CMP-0001", start="2027-03-01")
        campaign(base, "CMP-0002", start="2027-06-01")
        service.apply_schedule(base, description="Import base.xlsx")
        moved = service.schedule.copy()
        campaign(moved, "CMP-0003", start="2027-03-05", batches=1)
        campaign(moved, "CMP-0004", start="2027-06-03", batches=1)

        change_set = service.apply_schedule(moved, description="Import two.xlsx")

        assert [c.campaigns for c in change_set.new_conflicts] == [
            ("CMP-0001", "CMP-0003"),
            ("CMP-0002", "CMP-0004"),
        ]
    finally:
        service.store.close()
