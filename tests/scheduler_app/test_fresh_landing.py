"""Decided on fresh data when the neighbour came from elsewhere: another planner moved a campaign
onto a bioreactor from one this change does not touch; the change still sees it (SQLite and
PostgreSQL)."""

from __future__ import annotations

from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import SEOUL, campaign, local, small_schedule


def test_a_drop_sees_a_campaign_moved_there_from_an_untouched_bioreactor(database_url: str) -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    campaign(schedule, "CMP-0003", bioreactor="SDO-BR1501", start=local("2027-05-03", SEOUL))
    setup = ScheduleService(Store.open(database_url), user="setup")
    setup.apply_schedule(schedule, description="base")
    setup.store.close()
    ann = ScheduleService(Store.open(database_url), user="ann")
    bob = ScheduleService(Store.open(database_url), user="bob")
    try:
        # Ann moves CMP-0003 from Songdo onto SYR-BR501; Bob's copy still has it in Songdo.
        ann.move_campaign("CMP-0003", start=local("2027-06-07"), bioreactor="SYR-BR501")
        assert bob.schedule.campaigns["CMP-0003"].bioreactor == "SDO-BR1501"
        # Bob moves CMP-0001 along its own bioreactor, into the weeks Ann just filled.
        dropped = bob.move_campaign("CMP-0001", start=local("2027-06-14"))
        overlaps = [c for c in dropped.new_conflicts if c.kind == "overlap"]
        assert [sorted(c.campaigns) for c in overlaps] == [["CMP-0001", "CMP-0003"]]
        assert bob.schedule.campaigns["CMP-0003"].bioreactor == "SYR-BR501"
        assert bob.engine.conflicts_for("CMP-0003")
    finally:
        ann.store.close()
        bob.store.close()
