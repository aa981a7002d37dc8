"""Opening a large plan in two steps: first the campaigns that may run in the view a window shows
first (every one running in it, however long ago it started), nothing checked and nothing
writable; then the whole plan, checked, told to the observers as a reload."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler_app import held_schedule
from scheduler_app.errors import SchedulerError
from scheduler_app.rules.engine import check_schedule
from scheduler_app.service import ChangeSet, ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule

VIEW = (local("2027-05-01"), local("2027-08-01"))


def spread_schedule():
    """Campaigns before, across, inside and after VIEW on SYR-BR501, and one long one on
    SDO-BR1501 that starts a year before VIEW and runs into it."""
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-04")  # ends mid-February: before the view
    campaign(s, "CMP-0002", start="2027-04-20")  # runs into the view
    campaign(s, "CMP-0003", start="2027-06-01")  # inside
    campaign(s, "CMP-0004", start="2027-06-10")  # inside, overlapping CMP-0003: an error
    campaign(s, "CMP-0005", start="2027-08-01")  # starts as the view ends: after it
    campaign(s, "CMP-0006", bioreactor="SDO-BR1501", start="2026-05-01", batches=30)
    return s


@pytest.fixture
def spread_db(database_url: str) -> str:
    with Store.open(database_url) as store:
        ScheduleService(store, user="ann").apply_schedule(spread_schedule(), description="Base")
    return database_url


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(held_schedule, "LOAD_IN_TWO_FROM", 1)


def running_in_view(service: ScheduleService) -> set[str]:
    schedule = service.schedule
    return {
        c.id
        for c in schedule.campaigns.values()
        if c.start < VIEW[1] and schedule.campaign_end(c) > VIEW[0]
    }


def test_the_first_step_holds_every_campaign_running_in_the_view(
    spread_db: str, in_two: None
) -> None:
    with Store.open(spread_db) as store:
        whole = ScheduleService(store, user="ann")
        first = ScheduleService(store, user="ann", first_view=VIEW)
        assert first.loading and not whole.loading
        assert running_in_view(whole) == {"CMP-0002", "CMP-0003", "CMP-0004", "CMP-0006"}
        # It looks back by the longest campaign stored (CMP-0006, 30 batches), so CMP-0001,
        # which starts within that, comes too; CMP-0005, starting as the view ends, does not.
        assert set(first.schedule.campaigns) == running_in_view(whole) | {"CMP-0001"}
        assert first.schedule.campaigns["CMP-0006"] == whole.schedule.campaigns["CMP-0006"]
        assert first.schedule.bioreactors == whole.schedule.bioreactors
        assert first.schedule.maintenance == whole.schedule.maintenance
        # Nothing is checked on part of a plan: a gap or a neighbour may be missing.
        assert first.engine.conflicts == [] and first.engine.counts()["error"] == 0


def test_the_second_step_holds_and_checks_the_whole_plan_and_tells_the_views(
    spread_db: str, in_two: None
) -> None:
    with Store.open(spread_db) as store:
        first = ScheduleService(store, user="ann", first_view=VIEW)
        held = first.schedule
        heard: list[ChangeSet] = []
        first.add_observer(heard.append)
        told = first.finish_loading()
        assert told is not None and heard == [told]
        assert told.action == "reload" and told.master_data_changed and told.remote_user is None
        assert not first.loading
        assert first.schedule is held  # the views keep the schedule object they were given
        assert first.schedule == store.load()
        assert first.engine.conflicts == check_schedule(store.load())
        assert first.engine.counts()["error"] > 0
        assert first.finish_loading() is None and heard == [told]


def test_nothing_is_written_or_synced_until_the_whole_plan_is_held(
    spread_db: str, in_two: None
) -> None:
    with Store.open(spread_db) as store:
        first = ScheduleService(store, user="ann", first_view=VIEW)
        other = ScheduleService(store, user="bob")
        other.move_campaign("CMP-0003", local("2027-06-03"), "SYR-BR501")
        audit = len(store.audit_entries(limit=None))
        with pytest.raises(SchedulerError, match="still loading"):
            first.move_campaign("CMP-0004", local("2027-07-01"), "SYR-BR501")
        assert len(store.audit_entries(limit=None)) == audit
        assert first.sync() == []
        first.finish_loading()
        # Bob's move, committed before the whole load, is in it.
        assert first.schedule.campaigns["CMP-0003"].start == local("2027-06-03")
        first.move_campaign("CMP-0004", local("2027-07-01"), "SYR-BR501")
        assert store.load().campaigns["CMP-0004"].start == local("2027-07-01")


def test_a_small_plan_is_loaded_whole_at_once(spread_db: str) -> None:
    with Store.open(spread_db) as store:
        service = ScheduleService(store, user="ann", first_view=VIEW)
        assert not service.loading and len(service.schedule.campaigns) == 6
        assert service.finish_loading() is None


def test_a_view_before_every_campaign_reads_none(spread_db: str) -> None:
    with Store.open(spread_db) as store:
        early = (local("2020-01-01"), local("2020-01-01") + timedelta(days=90))
        assert store.load(running=early).campaigns == {}
        assert store.campaign_count() == 6


def test_without_a_long_campaign_it_looks_back_no_further_than_the_longest(
    database_url: str, in_two: None
) -> None:
    s = spread_schedule()
    s.remove_campaign("CMP-0006")
    with Store.open(database_url) as store:
        ScheduleService(store, user="ann").apply_schedule(s, description="Base")
        first = ScheduleService(store, user="ann", first_view=VIEW)
        assert set(first.schedule.campaigns) == {"CMP-0002", "CMP-0003", "CMP-0004"}
