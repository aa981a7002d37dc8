"""``demo [--force]``: fills an empty database, refuses a non-empty one, replaces with --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.demo import demo_schedule


def load(target: str) -> object:
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

    assert "173 campaigns" in capsys.readouterr().out
    stored, expected = load(target), demo_schedule()
    assert stored.campaigns.keys() == expected.campaigns.keys()
    assert stored.campaigns["CMP-0055"].start == expected.campaigns["CMP-0055"].start
    assert stored.products == expected.products
    assert stored.bioreactors == expected.bioreactors
    assert len(stored.maintenance) == len(expected.maintenance)


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
    moved = service.move_campaign("CMP-0100", bioreactor="SDO-BR1508")
    service.delete_campaign("CMP-0101")
    stray = service.create_campaign(
        product="ABX-201", bioreactor="SYR-BR501", start=moved.start, batches=1
    )
    store.close()

    assert main(["demo", "--force", "--db", str(demo_db)]) == 0

    stored, expected = load(str(demo_db)), demo_schedule()
    assert stray.id not in stored.campaigns
    assert stored.campaigns.keys() == expected.campaigns.keys()
    assert stored.campaigns["CMP-0100"].bioreactor == expected.campaigns["CMP-0100"].bioreactor


def test_demo_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", postgres_url]) == 0
    assert main(["check", "--db", postgres_url]) == 1
    assert "5 errors, 3 warnings in 173 campaigns" in capsys.readouterr().out
