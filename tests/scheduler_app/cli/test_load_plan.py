"""The command line's load (``load_plan``, what ``check`` reads) moves the schedule out of the
collector's way: a command lives for one schedule, and a first full check after the load no
longer scans all of it. A load through the store alone, which the desktop app repeats during a
session (reloads, compares, promotes), freezes nothing."""

from __future__ import annotations

import argparse
import gc
import weakref
from pathlib import Path

from scheduler_app.cli.common import load_plan
from scheduler_app.storage import Store


def _young() -> set[int]:
    return {id(item) for generation in range(3) for item in gc.get_objects(generation)}


def test_the_command_lines_schedule_leaves_the_collectors_generations(demo_db: Path) -> None:
    gc.unfreeze()
    try:
        schedule, _ = load_plan(argparse.Namespace(db=str(demo_db), scenario=None))
        assert gc.get_freeze_count() > len(schedule.campaigns)
        assert not _young() & {id(campaign) for campaign in schedule.campaigns.values()}
        gone = weakref.ref(schedule)
        del schedule
        assert gone() is None  # frozen objects are still freed once no longer referenced
    finally:
        gc.unfreeze()


def test_a_store_load_freezes_nothing(demo_db: Path) -> None:
    gc.unfreeze()
    store = Store.open(str(demo_db))
    try:
        schedule = store.load()
        assert gc.get_freeze_count() == 0
        assert _young() >= {id(campaign) for campaign in schedule.campaigns.values()}
    finally:
        store.close()
        gc.unfreeze()
