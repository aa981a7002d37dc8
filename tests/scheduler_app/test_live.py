"""The live change feed (SQLite ``PRAGMA data_version``, PostgreSQL ``LISTEN/NOTIFY``): a service
picks up what another one committed through ``sync()``, skips its own change sets, and after a
killed PostgreSQL backend reconnects and resynchronises without losing anything."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from scheduler_app.change_set import ChangeSet
from scheduler_app.ids import ProductCode
from scheduler_app.live import LiveFeed, RemoteChange
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule


@pytest.fixture
def planners(database_url: str) -> Iterator[tuple[ScheduleService, ScheduleService]]:
    setup = ScheduleService(Store.open(database_url), user="setup")
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    campaign(schedule, "CMP-0002", start="2027-09-01", product="CDX-110", batches=1)
    setup.apply_schedule(schedule)
    setup.store.close()
    ann = ScheduleService(Store.open(database_url), user="ann")
    bob = ScheduleService(Store.open(database_url), user="bob")
    yield ann, bob
    for service in (ann, bob):
        service.stop_live()
        service.store.close()


def wait_for(poll: Callable[[], list[RemoteChange]], seconds: float = 5.0) -> list[RemoteChange]:
    """Call ``poll`` (as the UI's timer does) until it reports something or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = poll()
        if found:
            return found
        time.sleep(0.05)
    return []


def test_sync_picks_up_another_planners_move_and_skips_its_own(planners) -> None:
    ann, bob = planners
    bob.sync()  # the first look reads the log once
    heard: list[ChangeSet] = []
    bob.add_observer(heard.append)
    ann.move_campaign("CMP-0001", start=local("2027-04-05"), reason="client call")

    [change] = wait_for(bob.sync)

    assert (change.user, change.action, change.campaigns) == ("ann", "move", ("CMP-0001",))
    assert change.description == "ann moved CMP-0001 (start) — client call"
    assert bob.schedule.campaigns["CMP-0001"].start == local("2027-04-05")
    assert [cs.remote_user for cs in heard] == ["ann"]
    assert bob.sync() == []
    # Bob's own change is not reported back to him, but Ann hears it.
    bob.set_batches("CMP-0002", 2)
    time.sleep(0.3)
    assert bob.sync() == []
    [theirs] = wait_for(ann.sync)
    assert (theirs.user, theirs.action) == ("bob", "resize")
    assert ann.schedule.campaigns["CMP-0002"].batches == 2


def test_an_import_elsewhere_reloads_master_data(planners) -> None:
    ann, bob = planners
    bob.sync()
    incoming = ann.schedule.copy()
    product = incoming.products[ProductCode("ABX-201")]
    incoming.products[product.code] = dataclasses.replace(product, name="Abexumab (new)")
    ann.apply_schedule(incoming, description="Import names.xlsx")
    [change] = wait_for(bob.sync)
    assert change.master and change.action == "import"
    assert bob.schedule.products["ABX-201"].name == "Abexumab (new)"


def test_a_feed_reports_nothing_when_nothing_changed(database_url: str, planners) -> None:
    ann, _ = planners
    feed = LiveFeed(ann.store)
    try:
        feed.poll()
        started = time.perf_counter()
        for _ in range(200):
            assert feed.poll().changes == []
        assert (time.perf_counter() - started) / 200 < 0.005
    finally:
        feed.close()


def test_a_killed_postgres_backend_reconnects_and_resynchronises(postgres_url: str) -> None:
    setup = ScheduleService(Store.open(postgres_url), user="setup")
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    setup.apply_schedule(schedule)
    watcher = ScheduleService(Store.open(postgres_url), user="watcher")
    try:
        watcher.sync()
        signal = watcher._feed._signal  # type: ignore[union-attr]
        deadline = time.monotonic() + 5
        while signal.backend_pid is None and time.monotonic() < deadline:
            time.sleep(0.05)
        pid = signal.backend_pid
        assert pid is not None
        with setup.store.engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # A change committed while nobody listens is not lost.
        setup.move_campaign("CMP-0001", start=local("2027-05-03"))
        found = wait_for(watcher.sync, seconds=10)
        actions = [change.action for change in found]
        while "resync" not in actions:
            more = wait_for(watcher.sync, seconds=10)
            assert more, "no resync after the backend was killed"
            found += more
            actions = [change.action for change in found]
        assert "move" in actions
        assert watcher.schedule.campaigns["CMP-0001"].start == local("2027-05-03")
        assert signal.backend_pid not in (None, pid)
        assert not watcher.live_lost
        # And it keeps listening.
        setup.set_batches("CMP-0001", 3)
        [again] = wait_for(watcher.sync)
        assert again.action == "resize"
    finally:
        watcher.stop_live()
        watcher.store.close()
        setup.store.close()
