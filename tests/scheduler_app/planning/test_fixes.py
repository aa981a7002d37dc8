"""Fix options for a conflict: ranked, locked campaigns kept, each previewed by the engine."""

from __future__ import annotations

from datetime import date

from scheduler_app.campaigns import Status
from scheduler_app.planning.fixes import fix_options
from scheduler_app.rules.engine import ConflictEngine
from tests.factories import campaign, local, small_schedule

TODAY = date(2027, 1, 1)


def test_a_changeover_offers_the_same_bioreactor_later_and_a_ripple() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", product="CDX-110", start="2027-03-01", batches=1)  # to 03-13
    campaign(schedule, "CMP-0002", product="ABX-201", start="2027-03-15", batches=1)  # to 03-29
    campaign(schedule, "CMP-0003", product="ABX-201", start="2027-04-01", batches=1)
    engine = ConflictEngine(schedule)
    [changeover] = [c for c in engine.check_all() if c.kind == "changeover"]

    options = fix_options(engine, changeover, TODAY)

    kinds = [o.kind for o in options]
    assert set(kinds) == {"same", "other", "ripple"}
    for option in options:
        assert [b.id for b, _ in option.moves][0] == "CMP-0002"
        assert all(c.severity.value != "error" for c in option.conflicts)
    assert [o.rank() for o in options] == sorted(o.rank() for o in options)
    ripple = next(o for o in options if o.kind == "ripple")
    # CDX-110 ends 2027-03-13 and ABX-201 needs 10 days: CMP-0002 from 03-23, CMP-0003 pushed.
    assert [(a.id, a.start) for _, a in ripple.moves] == [
        ("CMP-0002", local("2027-03-23")),
        ("CMP-0003", local("2027-04-08")),
    ]
    other = next(o for o in options if o.kind == "other")
    assert other.moves[0][1].bioreactor == "SDO-BR1501"


def test_a_locked_offender_moves_the_other_campaign_and_locks_are_never_moved() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", product="ABX-201", start="2027-03-01", batches=1)
    campaign(schedule, "CMP-0002", start="2027-03-05", batches=1, status=Status.IN_PROGRESS)
    engine = ConflictEngine(schedule)
    [overlap] = [c for c in engine.check_all() if c.kind == "overlap"]

    options = fix_options(engine, overlap, TODAY)

    assert options
    for option in options:
        assert all(not before.status.locked for before, _ in option.moves)
        assert option.moves[0][0].id == "CMP-0001"


def test_nothing_to_offer_when_every_campaign_is_locked() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01", status=Status.COMPLETE)
    campaign(schedule, "CMP-0002", start="2027-03-05", status=Status.IN_PROGRESS)
    engine = ConflictEngine(schedule)
    [overlap] = [c for c in engine.check_all() if c.kind == "overlap"]

    assert fix_options(engine, overlap, TODAY) == []
