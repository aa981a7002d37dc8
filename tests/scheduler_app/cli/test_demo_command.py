"""``demo [--force]``: fills an empty database, refuses a non-empty one, replaces with --force."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.demo import demo_schedule
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule


def load(target: str) -> Schedule:
    from scheduler_app.storage import Store

    store = Store.open(target)
    try:
        return store.load()
    finally:
        store.close()


def test_demo_fills_an_empty_database_with_the_demo_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "fresh.db")

    assert main(["demo", "--db", target]) == 0

    assert "163 campaigns on 20 bioreactors" in capsys.readouterr().out
    stored, expected = load(target), demo_schedule()
    assert stored.campaigns == expected.campaigns
    assert (stored.sites, stored.suites) == (expected.sites, expected.suites)
    assert (stored.products, stored.bioreactors) == (expected.products, expected.bioreactors)
    assert windows(stored) == windows(expected)


def windows(schedule: Schedule) -> list[MaintenanceWindow]:
    """Maintenance windows without their storage identity, in a stable order."""
    plain = [dataclasses.replace(w, id=None, version=1) for w in schedule.maintenance]
    return sorted(plain, key=lambda w: (w.start, w.site, w.suite or "", w.bioreactor or ""))


def test_demo_refuses_a_database_that_holds_a_schedule(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler_app.storage import Store

    store = Store.open(str(demo_db))
    audit_before = len(store.audit_entries(limit=None))
    store.close()

    assert main(["demo", "--db", str(demo_db)]) == 2

    err = capsys.readouterr().err
    assert "--force" in err and len(err.strip().splitlines()) == 1
    store = Store.open(str(demo_db))
    assert len(store.audit_entries(limit=None)) == audit_before
    store.close()


def test_demo_force_replaces_the_schedule(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

    store = Store.open(str(demo_db))
    service = ScheduleService(store, source=Source.CLI)
    moved = service.move_campaign("CMP-0100", bioreactor="SDO-BR1508").campaigns[0]
    service.delete_campaign("CMP-0101")
    stray = service.create_campaign(
        product="ABX-201", bioreactor="SYR-BR501", start=moved.start, batches=1
    ).campaigns[0]
    store.close()

    assert main(["demo", "--force", "--db", str(demo_db)]) == 0

    stored, expected = load(str(demo_db)), demo_schedule()
    assert stray.id not in stored.campaigns
    unversioned = {k: dataclasses.replace(c, version=1) for k, c in stored.campaigns.items()}
    assert unversioned == expected.campaigns
    assert stored.campaigns["CMP-0100"].version > 1


def test_demo_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", postgres_url]) == 0
    assert main(["check", "--db", postgres_url]) == 1
    assert "8 errors, 4 warnings in 163 campaigns" in capsys.readouterr().out
