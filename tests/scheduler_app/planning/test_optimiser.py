"""The optimiser: the known optimum on small instances (brute force), locks kept, no error left."""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.localtime import (
    end_of_local_date,
    local_days_between,
    start_of_local_date,
    zone,
)
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.planning.optimiser import FEASIBLE, INFEASIBLE, OPTIMAL, Optimiser
from scheduler_app.planning.window import PlanWindow
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.planning.schedules import add_process_equipment

FIRST, LAST = date(2027, 3, 1), date(2027, 3, 10)
WINDOW = PlanWindow(FIRST, LAST)
REACH_DAYS = 80
MOVABLE = [Status.PLANNED, Status.TENTATIVE]
FIXED = [Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETE]


@st.composite
def small_instances(draw: st.DrawFn) -> Schedule:
    """Two movable campaigns in the window, up to two that stay put, maybe a maintenance window
    and due dates; short batches so that a brute force over every placement stays quick."""
    schedule = small_schedule()
    number = 0

    def add(status: Status, first: int, last: int) -> None:
        nonlocal number
        number += 1
        product = draw(st.sampled_from(["ABX-201", "CDX-110"]))
        reactor = draw(
            st.sampled_from(["SYR-BR501", "SDO-BR1501"] if product == "ABX-201" else ["SYR-BR501"])
        )
        day = FIRST + timedelta(days=draw(st.integers(first, last)))
        campaign(
            schedule,
            f"CMP-{number:04d}",
            product=product,
            bioreactor=reactor,
            start=local(day, schedule.time_zone_of(reactor)),
            batches=draw(st.integers(1, 2)),
            batch_days=draw(st.integers(2, 5)),
            turnaround_days=1,
            status=status,
            due=day + timedelta(days=draw(st.integers(3, 20))) if draw(st.booleans()) else None,
        )

    for _ in range(2):
        add(draw(st.sampled_from(MOVABLE)), 0, 9)
    for _ in range(draw(st.integers(0, 2))):
        add(draw(st.sampled_from(FIXED)), -5, 25)
    if draw(st.booleans()):
        opens = local(FIRST + timedelta(days=draw(st.integers(0, 15))))
        schedule.maintenance.append(
            MaintenanceWindow(
                SiteCode("SYR"),
                opens,
                opens + timedelta(days=draw(st.integers(1, 10))),
                "PM",
                bioreactor=BioreactorCode("SYR-BR501"),
            )
        )
    return schedule


def _late(schedule: Schedule, placed: Campaign) -> int:
    if placed.due is None:
        return 0
    tz_name = schedule.time_zone_of(placed.bioreactor)
    over = local_days_between(
        end_of_local_date(placed.due, tz_name), placed.end_in(tz_name), tz_name
    )
    return max(0, math.ceil(over - 1e-9))


def _score(
    schedule: Schedule, movers: list[Campaign], placed: list[Campaign]
) -> tuple[int, int, int]:
    """(days late, campaigns moved, days moved): the optimiser's order of priorities."""
    late = sum(_late(schedule, p) for p in placed)
    pairs = list(zip(movers, placed, strict=True))
    moved = sum(1 for m, p in pairs if (m.bioreactor, m.start) != (p.bioreactor, p.start))
    days = sum(abs(_local_ordinal(schedule, p) - _local_ordinal(schedule, m)) for m, p in pairs)
    return late, moved, days


def _local_ordinal(schedule: Schedule, placed: Campaign) -> int:
    return placed.start.astimezone(zone(schedule.time_zone_of(placed.bioreactor))).toordinal()


def _options(schedule: Schedule, moving: Campaign) -> list[Campaign]:
    product = schedule.products[moving.product]
    here = schedule.site_of(moving.bioreactor).code
    tz_name = schedule.time_zone_of(moving.bioreactor)
    late_already = (
        moving.due is not None and moving.start.astimezone(zone(tz_name)).date() > moving.due
    )
    out = []
    for reactor in schedule.bioreactors.values():
        site = schedule.site_of(reactor.code).code
        if reactor.working_volume_l not in product.validated_scales_l:
            continue
        if site != here and site not in product.qualified_sites:
            continue
        for offset in range(REACH_DAYS):
            day = FIRST + timedelta(days=offset)
            if moving.due is not None and day > moving.due and not late_already:
                continue  # a start after the due date is an edit the service refuses
            start = start_of_local_date(day, schedule.time_zone_of(reactor.code))
            out.append(dataclasses.replace(moving, bioreactor=reactor.code, start=start))
    return out


ALONE = {"overlap", "maintenance", "unavailable", "scale", "seed", "downstream"}
"""Error kinds a placement has with what stays put whatever the other movable campaign does (the
other one can only add demand to a pool); changeover and material depend on where it goes."""


def _errors(engine: ConflictEngine, placed: list[Campaign]) -> set[str]:
    ids = {p.id for p in placed}
    return {
        c.kind
        for c in engine.preview(placed)
        if ids.intersection(c.campaigns) and c.severity is Severity.ERROR
    }


def brute_force(schedule: Schedule) -> tuple[int, int, int] | None:
    """The best score over every placement of the two movable campaigns, each pair judged by
    the conflict engine with every rule (no error-severity conflict naming either)."""
    movers = [c for c in schedule.campaigns.values() if c.status in MOVABLE]
    fixed = schedule.copy()
    for mover in movers:
        fixed.remove_campaign(mover.id)
    engine = ConflictEngine(fixed)
    engine.check_all()
    scored = [
        [
            (_score(schedule, [m], [p]), p)
            for p in _options(schedule, m)
            if not _errors(engine, [p]) & ALONE
        ]
        for m in movers
    ]
    pairs = sorted(
        (
            (tuple(map(sum, zip(a, b, strict=True))), first, second)
            for (a, first), (b, second) in itertools.product(*scored)
        ),
        key=lambda found: found[0],
    )
    for score, first, second in pairs:
        if not _errors(engine, [first, second]):
            return (score[0], score[1], score[2])
    return None


@settings(max_examples=12)
@given(schedule=small_instances())
def test_the_optimiser_finds_the_brute_force_optimum(schedule: Schedule) -> None:
    result = Optimiser(schedule, WINDOW, time_limit_s=20).run()
    best = brute_force(schedule)

    if best is None:
        assert result.status == INFEASIBLE
        return
    assert result.status == OPTIMAL
    movers = [c for c in schedule.campaigns.values() if c.status in MOVABLE]
    moved = {b.id: a for b, a in result.moves}
    placed = [moved.get(m.id, m) for m in movers]
    assert _score(schedule, movers, placed) == best


@settings(max_examples=12)
@given(schedule=small_instances())
def test_locked_and_confirmed_campaigns_never_move_and_no_error_is_left(schedule: Schedule) -> None:
    result = Optimiser(schedule, WINDOW, time_limit_s=20).run()

    assert all(b.status in MOVABLE for b, _ in result.moves)
    if result.status in (OPTIMAL, FEASIBLE):
        after = schedule.copy()
        for _, placed in result.moves:
            after.put_campaign(placed)
        movers = {c.id for c in schedule.campaigns.values() if c.status in MOVABLE}
        errors = [
            c
            for c in ConflictEngine(after).check_all()
            if c.severity is Severity.ERROR and movers.intersection(c.campaigns)
        ]
        assert errors == []


@st.composite
def process_instances(draw: st.DrawFn) -> Schedule:
    """Small instances with a seed bioreactor shared by two 5,000 L vessels, a downstream train,
    seed and harvest days, and sometimes a campaign that needs another (material)."""
    schedule = draw(small_instances())
    add_process_equipment(schedule, draw)
    ids = sorted(schedule.campaigns)
    if draw(st.booleans()):
        later, earlier = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if later != earlier:
            schedule.put_campaign(
                dataclasses.replace(
                    schedule.campaigns[later], needs=earlier, lag_days=draw(st.integers(0, 5))
                )
            )
    return schedule


@settings(max_examples=12)
@given(schedule=process_instances())
def test_with_shared_equipment_and_material_the_optimiser_finds_the_brute_force_optimum(
    schedule: Schedule,
) -> None:
    result = Optimiser(schedule, WINDOW, time_limit_s=20).run()
    best = brute_force(schedule)

    if best is None:
        assert result.status == INFEASIBLE
        return
    assert result.status == OPTIMAL, result.reason
    movers = [c for c in schedule.campaigns.values() if c.status in MOVABLE]
    moved = {b.id: a for b, a in result.moves}
    placed = [moved.get(m.id, m) for m in movers]
    assert _score(schedule, movers, placed) == best


@settings(max_examples=20)
@given(schedule=process_instances())
def test_process_rules_are_in_the_model_and_no_error_is_left(schedule: Schedule) -> None:
    result = Optimiser(schedule, WINDOW, time_limit_s=20).run()

    # The engine refused nothing the model proposed (a refusal is noted, then forbidden).
    assert result.notes == []
    if result.status in (OPTIMAL, FEASIBLE):
        after = schedule.copy()
        for _, placed in result.moves:
            after.put_campaign(placed)
        movers = {c.id for c in schedule.campaigns.values() if c.status in MOVABLE}
        assert not [
            c
            for c in ConflictEngine(after).check_all()
            if c.severity is Severity.ERROR and movers.intersection(c.campaigns)
        ]


def test_a_campaign_with_no_room_stays_put_named_and_the_rest_is_cleared() -> None:
    schedule = small_schedule()
    # SYR-BR501 is taken for over a year by a locked campaign; CDX-110 runs nowhere else.
    campaign(schedule, "CMP-0001", start="2027-02-20", batches=30, status=Status.IN_PROGRESS)
    campaign(schedule, "CMP-0002", product="CDX-110", start="2027-03-02", batches=1)
    campaign(schedule, "CMP-0003", product="ABX-201", start="2027-03-03", batches=1)

    result = Optimiser(schedule, WINDOW, time_limit_s=10).run()

    assert result.status == INFEASIBLE
    assert result.stuck == ["CMP-0002"]
    assert "every start day from 2027-03-01" in result.reason
    assert "could not be placed: CMP-0002 (no error-free start" in result.reason
    moved = {b.id: a for b, a in result.moves}
    assert set(moved) == {"CMP-0003"} and moved["CMP-0003"].bioreactor == "SDO-BR1501"
    after = schedule.copy()
    after.put_campaign(moved["CMP-0003"])
    assert not [
        c
        for c in ConflictEngine(after).check_all()
        if c.severity is Severity.ERROR and "CMP-0003" in c.campaigns
    ]


def test_campaigns_that_stay_put_sharing_a_day_leave_the_window_plannable() -> None:
    schedule = small_schedule()
    # Two Confirmed campaigns back to back at 19:00 New York: as whole days they share one.
    first = campaign(
        schedule,
        "CMP-0001",
        start=local("2027-06-01") + timedelta(hours=19),
        batches=1,
        status=Status.CONFIRMED,
    )
    end = schedule.campaign_end(first)
    campaign(schedule, "CMP-0002", start=end, batches=1, status=Status.CONFIRMED)
    campaign(schedule, "CMP-0003", start="2027-03-02", batches=1)
    campaign(schedule, "CMP-0004", start="2027-03-03", batches=1)

    result = Optimiser(schedule, WINDOW, time_limit_s=10).run()

    assert result.status in (OPTIMAL, FEASIBLE), result.reason
    after = schedule.copy()
    for _, placed in result.moves:
        after.put_campaign(placed)
    assert result.moves
    assert not [
        c
        for c in ConflictEngine(after).check_all()
        if c.severity is Severity.ERROR and {"CMP-0003", "CMP-0004"} & set(c.campaigns)
    ]


def test_a_campaign_kept_at_its_exact_time_is_not_moved_for_the_whole_day_model() -> None:
    schedule = small_schedule()
    # Back to back at 19:00 New York (each end includes its turnaround): the model, in whole
    # days, cannot keep CMP-0002 there; the greedy pass (and the engine) can.
    second = campaign(schedule, "CMP-0002", start=local("2027-03-03") + timedelta(hours=19))
    first = campaign(schedule, "CMP-0001", batches=1, status=Status.CONFIRMED)
    for _ in range(2):  # wall-clock days: fit the end to the next start exactly
        first_start = first.start + (second.start - schedule.campaign_end(first))
        first = campaign(
            schedule, "CMP-0001", start=first_start, batches=1, status=Status.CONFIRMED
        )
    assert schedule.campaign_end(first) == second.start
    third_start = schedule.campaign_end(second)
    campaign(schedule, "CMP-0003", start=third_start, batches=1, status=Status.CONFIRMED)
    assert not [c for c in ConflictEngine(schedule).check_all() if c.severity is Severity.ERROR]

    result = Optimiser(schedule, WINDOW, time_limit_s=10).run()

    assert result.status == FEASIBLE
    assert result.moves == []
    assert result.days_late_after == 0
    assert any("greedy plan (0 moved" in note for note in result.notes), result.notes
    # The solver's bound (whole days) says nothing of a plan that beats it: no gap is claimed.
    assert result.gap is None
