"""Ripple: following campaigns pushed just enough; a lock in the way refuses everything."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Status
from scheduler_app.localtime import add_local_days
from scheduler_app.planning.actions import apply_ripple
from scheduler_app.planning.ripple import RippleBlockedError, ripple_moves
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import NEW_YORK, campaign, local, small_schedule

GAP_KINDS = {"overlap", "changeover", "turnaround"}
NEEDS = {
    ("ABX-201", "ABX-201"): 2,
    ("CDX-110", "CDX-110"): 3,
    ("ABX-201", "CDX-110"): 10,
    ("CDX-110", "ABX-201"): 10,
}


def test_pushes_each_following_campaign_just_enough() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", product="ABX-201", start="2027-03-01", batches=1)  # to 03-15
    campaign(schedule, "CMP-0002", product="ABX-201", start="2027-03-20", batches=1)  # to 04-03
    campaign(schedule, "CMP-0003", product="CDX-110", start="2027-04-20", batches=1)  # to 05-02
    campaign(schedule, "CMP-0004", product="CDX-110", start="2027-07-01", batches=1)

    moves = ripple_moves(schedule, "CMP-0001", local("2027-03-10"))

    after = {a.id: a.start for _, a in moves}
    # CMP-0001 now ends 03-24; same product needs 2 days; CMP-0002 ends 04-09 and CDX-110 needs
    # max(10, 7) = 10 days; CMP-0004 is far enough and stays.
    assert after == {
        "CMP-0001": local("2027-03-10"),
        "CMP-0002": local("2027-03-26"),
    }
    assert [b.id for b, _ in moves] == ["CMP-0001", "CMP-0002"]


def test_a_locked_campaign_in_the_way_refuses_and_nothing_is_applied(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    service = ScheduleService(store, user="planner")
    service.apply_schedule(small_schedule(), action="demo")
    for number, start, status in (
        (1, "2027-03-01", Status.PLANNED),
        (2, "2027-03-20", Status.PLANNED),
        (3, "2027-04-06", Status.IN_PROGRESS),
    ):
        service.create_campaign(
            product="ABX-201",
            bioreactor="SYR-BR501",
            start=local(start),
            batches=1,
            status=status,
            campaign_id=f"CMP-000{number}",
        )
    held = dict(service.schedule.campaigns)

    with pytest.raises(RippleBlockedError, match=r"CMP-0003 is In progress and locked.*2027-04-11"):
        apply_ripple(service, "CMP-0001", local("2027-03-10"))

    assert service.schedule.campaigns == held
    assert store.load().campaigns == held
    store.close()


def test_a_ripple_is_one_change_set(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    service = ScheduleService(store, user="planner")
    service.apply_schedule(small_schedule(), action="demo")
    for number, start in ((1, "2027-03-01"), (2, "2027-03-16")):
        service.create_campaign(
            product="ABX-201",
            bioreactor="SYR-BR501",
            start=local(start),
            batches=1,
            campaign_id=f"CMP-000{number}",
        )

    change_set = apply_ripple(service, "CMP-0001", local("2027-03-05"))

    assert change_set.ids("changed") == ["CMP-0001", "CMP-0002"]
    assert store.load().campaigns["CMP-0002"].start == local("2027-03-21")
    store.close()


@st.composite
def clean_lanes(draw: st.DrawFn) -> Schedule:
    """One bioreactor with up to six campaigns, each keeping the gap it needs."""
    schedule = small_schedule()
    start = local("2027-02-01")
    previous = None
    for number in range(draw(st.integers(1, 6))):
        product = draw(st.sampled_from(["ABX-201", "CDX-110"]))
        if previous is not None:
            need = NEEDS[(previous.product, product)]
            spare = draw(st.integers(0, 6))
            start = add_local_days(previous.end_in(NEW_YORK), need + spare, NEW_YORK)
        previous = campaign(
            schedule,
            f"CMP-{number + 1:04d}",
            product=product,
            start=start,
            batches=draw(st.integers(1, 2)),
        )
    return schedule


@given(schedule=clean_lanes(), days=st.integers(1, 40))
def test_after_a_ripple_the_lane_keeps_every_gap_and_no_push_is_larger_than_needed(
    schedule: Schedule, days: int
) -> None:
    first = schedule.campaigns["CMP-0001"]
    moves = ripple_moves(schedule, first.id, add_local_days(first.start, days, NEW_YORK))
    for _, placed in moves:
        schedule.put_campaign(placed)
    engine = ConflictEngine(schedule)

    assert not [c for c in engine.check_all() if c.kind in GAP_KINDS]
    for _, pushed in moves[1:]:
        earlier = dataclasses.replace(pushed, start=add_local_days(pushed.start, -1, NEW_YORK))
        assert [c for c in engine.preview([earlier]) if c.kind in GAP_KINDS]
