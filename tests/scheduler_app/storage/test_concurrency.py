"""Two planners saving the same campaign at the same moment: the second waits for the first
transaction (a row lock in PostgreSQL, the write lock in SQLite), then is refused as stale
instead of overwriting."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta

import pytest

from scheduler_app.errors import StaleEditError
from scheduler_app.storage import Store
from tests.factories import campaign, small_schedule
from tests.scheduler_app.storage.helpers import save


def test_a_concurrent_writer_waits_and_is_then_refused(database_url: str) -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0042")
    first, second = Store.open(database_url), Store.open(database_url)
    try:
        save(first, schedule)
        base = first.load().campaigns["CMP-0042"]
        second.load()
        inside, release = threading.Event(), threading.Event()
        outcome: list[object] = []

        def slow_writer() -> None:
            with first.transaction(user="kim", source="app", action="move") as work:
                work.update_campaigns(
                    [(base, dataclasses.replace(base, start=base.start + timedelta(days=3)))]
                )
                inside.set()
                release.wait(10)

        def second_writer() -> None:
            try:
                with second.transaction(user="ann", source="app", action="resize") as work:
                    work.update_campaigns([(base, dataclasses.replace(base, batches=5))])
            except StaleEditError as error:
                outcome.append(error)
            else:
                outcome.append("written")

        holder = threading.Thread(target=slow_writer)
        holder.start()
        assert inside.wait(10)
        contender = threading.Thread(target=second_writer)
        contender.start()
        contender.join(0.5)
        assert contender.is_alive(), "the second writer must wait for the first transaction"
        release.set()
        holder.join(10)
        contender.join(10)
        [result] = outcome
        assert isinstance(result, StaleEditError)
        assert str(result).startswith("CMP-0042 was changed by kim at ")
        stored = first.load().campaigns["CMP-0042"]
        assert (stored.batches, stored.start, stored.version) == (
            base.batches,
            base.start + timedelta(days=3),
            base.version + 1,
        )
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("target", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_sqlite_database_keeps_its_schema(target: str) -> None:
    store = Store.open(target)
    try:
        save(store, small_schedule())
        assert set(store.load().sites) == {"SYR", "SDO"}
    finally:
        store.close()
