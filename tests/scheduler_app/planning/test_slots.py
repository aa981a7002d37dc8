"""The slot finder against a slow, obviously right reference that tries every day."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.errors import ValidationError
from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import add_local_days, start_of_local_date
from scheduler_app.planning.slots import earliest_start, find_slots
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.planning.schedules import ORIGIN, REACTORS, busy_schedules

SEARCH_DAYS = 450


def brute_force(
    engine: ConflictEngine, moving: Campaign, bioreactor: str, after: date
) -> datetime | None:
    """Every site-local midnight from ``after`` on, one at a time, asking the engine."""
    tz_name = engine.schedule.time_zone_of(bioreactor)
    start = start_of_local_date(after, tz_name)
    for _ in range(SEARCH_DAYS):
        trial = dataclasses.replace(moving, bioreactor=BioreactorCode(bioreactor), start=start)
        errors = [
            c
            for c in engine.preview([trial])
            if c.severity is Severity.ERROR and moving.id in c.campaigns
        ]
        if not errors:
            return start
        start = add_local_days(start, 1, tz_name)
    return None


def _unlocked(schedule: Schedule) -> list[Campaign]:
    return [c for c in schedule.campaigns.values() if not c.status.locked]


@given(
    schedule=busy_schedules(),
    pick=st.integers(0, 50),
    reactor=st.sampled_from(REACTORS),
    after=st.integers(-20, 120),
    fresh=st.booleans(),
    batches=st.integers(1, 3),
)
def test_the_earliest_start_is_the_first_clear_day(
    schedule: Schedule, pick: int, reactor: str, after: int, fresh: bool, batches: int
) -> None:
    candidates = _unlocked(schedule)
    if fresh or not candidates:
        moving = campaign(schedule, "CMP-9999", product="CDX-110", batches=batches)
    else:
        moving = candidates[pick % len(candidates)]
    engine = ConflictEngine(schedule)
    engine.check_all()
    day = ORIGIN + timedelta(days=after)
    floor = start_of_local_date(day, schedule.time_zone_of(reactor))

    found = earliest_start(engine, moving, reactor, floor)

    assert found == brute_force(engine, moving, reactor, day)


@given(schedule=busy_schedules(), after=st.integers(0, 100))
def test_find_slots_gives_one_clear_option_per_validated_bioreactor_earliest_first(
    schedule: Schedule, after: int
) -> None:
    moving = campaign(schedule, "CMP-9999", product="ABX-201", batches=2)
    engine = ConflictEngine(schedule)
    engine.check_all()
    day = ORIGIN + timedelta(days=after)

    slots = find_slots(engine, moving.id, after=day)

    # ABX-201 is validated at 5,000 and 15,000 L: never the 2,000 L SDO-SU01, and never a seed
    # bioreactor or a downstream train.
    assert {s.bioreactor for s in slots} <= {"SYR-BR501", "SYR-BR502", "SDO-BR1501"}
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    for slot in slots:
        assert slot.start == brute_force(engine, moving, slot.bioreactor, day)
        placed = slot.placed(moving)
        assert slot.end == placed.end_in(schedule.time_zone_of(slot.bioreactor))
        kinds = {c.kind for c in engine.preview([placed]) if moving.id in c.campaigns}
        assert set(slot.warnings) == kinds


def test_a_bioreactor_of_the_wrong_scale_never_has_a_slot() -> None:
    schedule = small_schedule()
    moving = campaign(schedule, "CMP-0001", product="ABX-201")
    engine = ConflictEngine(schedule)

    assert earliest_start(engine, moving, "SDO-SU01", local("2027-03-01")) is None
    assert find_slots(engine, moving.id, bioreactors=["SDO-SU01"], after=date(2027, 3, 1)) == []


def test_the_slot_after_a_campaign_keeps_the_changeover_and_skips_maintenance() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", product="CDX-110", start="2027-03-01", batches=1)  # to 03-13
    moving = campaign(schedule, "CMP-0002", product="ABX-201", start="2027-03-05", batches=1)
    engine = ConflictEngine(schedule)

    [slot] = find_slots(engine, moving.id, bioreactors=["SYR-BR501"], after=date(2027, 3, 1))

    # CDX-110 ends 2027-03-13; the larger changeover is ABX-201's 10 days.
    assert slot.start == local("2027-03-23")
    assert slot.warnings == ()


def test_a_locked_campaign_has_no_slots() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", status=Status.IN_PROGRESS)

    with pytest.raises(ValidationError, match="locked"):
        find_slots(ConflictEngine(schedule), "CMP-0001")


def test_a_packed_lane_is_crossed_in_one_jump_not_a_question_per_campaign(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schedule = small_schedule()
    # Sixty 12-day CDX-110 campaigns 40 days apart: every hole (28 days) is shorter than a
    # 2-batch ABX-201 campaign (30 days) with a 10-day changeover on each side.
    first = date(2027, 3, 1)
    for number in range(60):
        day = first + timedelta(days=40 * number)
        campaign(schedule, f"CMP-{number:04d}", product="CDX-110", start=day.isoformat(), batches=1)
    moving = campaign(schedule, "CMP-9999", product="ABX-201", bioreactor="SDO-BR1501")
    engine = ConflictEngine(schedule)
    engine.check_all()
    asked: list[Campaign] = []
    real = engine.next_start_after

    def counting(placed: Campaign) -> datetime | None:
        asked.append(placed)
        return real(placed)

    monkeypatch.setattr(engine, "next_start_after", counting)

    found = earliest_start(engine, moving, "SYR-BR501", local(first))

    last_end = first + timedelta(days=40 * 59 + 12)
    assert found == local(last_end + timedelta(days=10))
    assert len(asked) == 1  # the engine is asked once, about the start it then accepts
