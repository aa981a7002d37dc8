"""An update reads the campaigns the schedule's journal names, not every campaign of a touched
bioreactor; and it still equals a full check whenever the journal cannot vouch (the campaigns dict
replaced, a campaign added or deleted behind its back, the journal's older entries dropped)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import CampaignId
from scheduler_app.rules.engine import ConflictEngine, check_schedule
from scheduler_app.schedule import CampaignJournal, Schedule
from scheduler_app.synthetic import synthetic_schedule


class _Counting(dict[CampaignId, Campaign]):
    """A campaigns dict counting the lookups of single campaigns."""

    reads = 0

    def __getitem__(self, key: CampaignId) -> Campaign:
        type(self).reads += 1
        return super().__getitem__(key)

    def get(self, key: CampaignId, default: object = None) -> object:  # type: ignore[override]
        type(self).reads += 1
        return super().get(key, default)


def _schedule() -> Schedule:
    return synthetic_schedule(n_campaigns=600, n_bioreactors=6, seed=3, shared_equipment=True)


def _moved(s: Schedule, number: int, reactor: str | None = None) -> Campaign:
    old = s.campaigns[sorted(s.campaigns)[number]]
    return replace(old, start=old.start + timedelta(days=2), bioreactor=reactor or old.bioreactor)


def test_an_update_reads_only_the_journaled_campaigns() -> None:
    s = _schedule()
    s.campaigns = _Counting(s.campaigns)
    engine = ConflictEngine(s)
    engine.check_all()
    other = sorted(r.code for r in s.production_bioreactors())[-1]
    for number in range(6):
        moved = _moved(s, 7 * number, other if number % 2 else None)
        old = s.campaigns[moved.id]
        s.put_campaign(moved)
        _Counting.reads = 0
        answer = engine.update({old.bioreactor, moved.bioreactor})
        # About a hundred campaigns a bioreactor: comparing them all reads every one.
        assert _Counting.reads < 20
        assert answer == check_schedule(s)


def _onto_neighbour(s: Schedule, number: int) -> Campaign:
    """A live campaign moved onto the start of another live one on its bioreactor: an overlap
    that a full check reports and an update that missed the move would not."""
    live = [c for c in s.campaigns.values() if c.status is not Status.CANCELLED]
    campaign = sorted(live, key=lambda c: c.id)[number]
    other = next(c for c in live if c.bioreactor == campaign.bioreactor and c.id != campaign.id)
    return replace(campaign, start=other.start)


def _checked() -> tuple[Schedule, ConflictEngine]:
    s = _schedule()
    engine = ConflictEngine(s)
    engine.check_all()
    return s, engine


def test_an_update_equals_a_full_check_after_a_deletion_behind_the_journal() -> None:
    # One deleted behind its back and one added through put_campaign: the engine's count of
    # campaigns holds, the journal's does not.
    s, engine = _checked()
    hidden = _onto_neighbour(s, 3)
    s.put_campaign(hidden)
    assert engine.update({hidden.bioreactor}) == check_schedule(s)
    del s.campaigns[hidden.id]
    new = replace(_onto_neighbour(s, 10), id=CampaignId("CMP-9980"))
    s.put_campaign(new)
    assert engine.update({hidden.bioreactor, new.bioreactor}) == check_schedule(s)


def test_an_update_equals_a_full_check_after_the_dict_was_replaced() -> None:
    s, engine = _checked()
    s.campaigns = dict(s.campaigns)
    moved = _onto_neighbour(s, 4)
    s.campaigns[moved.id] = moved  # into the new dict, which the journal does not watch
    assert engine.update({moved.bioreactor}) == check_schedule(s)
    again = _onto_neighbour(s, 11)
    s.put_campaign(again)  # the journal starts over on the new dict
    assert engine.update({again.bioreactor}) == check_schedule(s)


def test_an_update_equals_a_full_check_after_additions_behind_the_journal() -> None:
    s, engine = _checked()
    added = replace(_onto_neighbour(s, 5), id=CampaignId("CMP-9990"))
    s.campaigns[added.id] = added
    last = _onto_neighbour(s, 20)
    s.put_campaign(last)
    assert engine.update({added.bioreactor, last.bioreactor}) == check_schedule(s)


def test_an_update_equals_a_full_check_after_the_journal_dropped_its_older_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(CampaignJournal, "LIMIT", 8)  # fewer than an update reads at most
    s, engine = _checked()
    first = _onto_neighbour(s, 5)
    s.put_campaign(first)  # never updated before the journal drops it
    untouched = s.campaigns[sorted(s.campaigns)[30]]
    for _ in range(CampaignJournal.LIMIT):
        s.put_campaign(untouched)
    assert engine.update({first.bioreactor}) == check_schedule(s)


def test_an_update_follows_a_campaign_moved_twice_between_updates() -> None:
    s = _schedule()
    engine = ConflictEngine(s)
    engine.check_all()
    reactors = sorted(r.code for r in s.production_bioreactors())
    start = s.campaigns[sorted(s.campaigns)[8]]
    there = _moved(s, 8, reactors[1] if start.bioreactor != reactors[1] else reactors[2])
    s.put_campaign(there)
    back = replace(there, bioreactor=start.bioreactor, start=there.start + timedelta(days=1))
    s.put_campaign(back)
    assert engine.update({start.bioreactor, there.bioreactor}) == check_schedule(s)
    s.remove_campaign(back.id)
    s.put_campaign(start)
    assert engine.update({start.bioreactor}) == check_schedule(s)
