from __future__ import annotations

import gc

from scheduler_app.rules.conflict import Conflict
from scheduler_app.rules.engine import ConflictEngine
from tests.factories import campaign, small_schedule


def _schedule_with_conflicts() -> ConflictEngine:
    s = small_schedule()
    for n in range(6):
        campaign(s, f"CMP-{n:04d}", start="2027-03-01")  # all on one date: overlaps
    return ConflictEngine(s)


def test_a_full_check_leaves_collection_on_and_its_objects_out_of_the_younger_generations() -> None:
    # Collection is paused during the check and the check's objects are collected once before it
    # returns, through the middle generation: left there, the next middle-generation collection
    # (some edits later) would scan them all again, a pause as long as the check's own.
    engine = _schedule_with_conflicts()
    assert gc.isenabled()

    found = engine.check_all()

    assert gc.isenabled()
    assert found
    young = [o for generation in (0, 1) for o in gc.get_objects(generation)]
    assert not any(isinstance(o, Conflict) for o in young)


def test_a_full_check_leaves_collection_off_when_the_caller_turned_it_off() -> None:
    engine = _schedule_with_conflicts()
    gc.disable()
    try:
        engine.check_all()
        assert not gc.isenabled()
    finally:
        gc.enable()
