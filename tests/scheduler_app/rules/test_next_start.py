"""``ConflictEngine.next_start_after``: the bound the slot finder loops on, held against stepping
day by day through the site's midnights with ``preview``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import add_local_days
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.test_incremental import REACTORS, _schedule, campaign_specs, windows

HORIZON_DAYS = 200


def _erred(engine: ConflictEngine, placed: Campaign) -> bool:
    return any(c.severity is Severity.ERROR for c in engine.preview([placed]))


def _midnights_after(placed: Campaign, tz: str, until: datetime) -> list[datetime]:
    days = []
    day = add_local_days(placed.start, 1, tz)
    while day < until:
        days.append(day)
        day = add_local_days(day, 1, tz)
    return days


@settings(max_examples=60, deadline=None)
@given(
    specs=st.lists(campaign_specs(), min_size=1, max_size=12),
    window_specs=windows,
    pick=st.integers(0, 99),
    reactor=st.sampled_from(REACTORS),
    day=st.integers(-30, 300),
)
def test_no_error_free_midnight_is_jumped_over(
    specs: list[dict[str, object]],
    window_specs: list[tuple[str, int, int]],
    pick: int,
    reactor: str,
    day: int,
) -> None:
    s = _schedule(specs, window_specs)
    engine = ConflictEngine(s)
    engine.check_all()
    stored = s.campaigns[sorted(s.campaigns)[pick % len(s.campaigns)]]
    tz = s.time_zone_of(reactor)
    start = local(date(2026, 12, 1) + timedelta(days=day), tz)
    placed = replace(stored, bioreactor=BioreactorCode(reactor), start=start)

    answer = engine.next_start_after(placed)

    if not _erred(engine, placed):
        assert answer == placed.start
        return
    horizon = add_local_days(start, HORIZON_DAYS, tz)
    if answer is None:
        for d in _midnights_after(placed, tz, horizon):
            assert _erred(engine, replace(placed, start=d)), d
        return
    assert answer > placed.start
    for d in _midnights_after(placed, tz, min(answer, horizon)):
        assert _erred(engine, replace(placed, start=d)), d
    assert s.campaigns[stored.id] is stored  # nothing changed


def test_jumps_over_an_overlap_then_the_changeover() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")  # ABX-201, 2 batches: to 2027-03-31
    moving = campaign(s, "CMP-0002", product="CDX-110", start="2027-06-01", batches=1)
    engine = ConflictEngine(s)
    engine.check_all()

    first = engine.next_start_after(replace(moving, start=local("2027-03-10")))
    second = engine.next_start_after(replace(moving, start=first)) if first else None

    assert first == local("2027-03-31")  # the end of CMP-0001: overlap
    assert second == local("2027-04-10")  # plus the larger changeover, 10 days
    assert engine.next_start_after(replace(moving, start=local("2027-04-10"))) == local(
        "2027-04-10"
    )


def test_an_unvalidated_scale_has_no_later_start() -> None:
    s = small_schedule()
    moving = campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-BR1501", start="2027-03-01")
    engine = ConflictEngine(s)

    assert engine.next_start_after(moving) is None


def test_site_opening_is_jumped_to() -> None:
    s = small_schedule()
    moving = campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2026-11-01")
    engine = ConflictEngine(s)

    assert engine.next_start_after(moving) == local("2027-01-01", "Asia/Seoul")
