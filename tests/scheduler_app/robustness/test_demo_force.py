"""Issue 13.8: ``demo --force`` on a larger database leaves exactly the demo's master data: its
extra bioreactors, products, suites and sites are removed with the schedule they carried."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scheduler_app.cli.main import main
from scheduler_app.demo import demo_schedule
from scheduler_app.ids import BioreactorCode, ProductCode, SiteCode, SuiteCode
from scheduler_app.service import ScheduleService
from scheduler_app.sites import Site, Suite
from scheduler_app.storage import Store


def test_demo_force_removes_extra_master_data(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        service = ScheduleService(store)
        bigger = service.schedule.copy()
        reactor = next(iter(bigger.bioreactors.values()))
        product = next(iter(bigger.products.values()))
        bigger.sites[SiteCode("XTR")] = Site(SiteCode("XTR"), "Extra site", "Europe/Berlin")
        bigger.suites[SuiteCode("XTR-S1")] = Suite(SuiteCode("XTR-S1"), SiteCode("XTR"), "X")
        extra_reactor = dataclasses.replace(
            reactor, code=BioreactorCode("XTR-BR1"), suite=SuiteCode("XTR-S1"), serves=()
        )
        bigger.bioreactors[extra_reactor.code] = extra_reactor
        extra_product = dataclasses.replace(product, code=ProductCode("XTR-P1"))
        bigger.products[extra_product.code] = extra_product
        service.apply_schedule(bigger)
        assert "XTR-BR1" in store.load().bioreactors

    assert main(["demo", "--force", "--db", str(demo_db)]) == 0

    expected = demo_schedule()
    with Store.open(demo_db) as store:
        after = store.load()
    assert set(after.sites) == set(expected.sites)
    assert set(after.suites) == set(expected.suites)
    assert set(after.bioreactors) == set(expected.bioreactors)
    assert set(after.products) == set(expected.products)
    assert set(after.campaigns) == set(expected.campaigns)
