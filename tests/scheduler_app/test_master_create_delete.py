"""New and deleted products, bioreactors and sites through the service, on SQLite and PostgreSQL:
validated, one transaction with audit rows, one undo step (undo and redo), the conflicts checked
at once, stale deletes refused; a delete of something campaigns, windows, scenarios or published
plans still use is refused naming them, with nothing written."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, ProductCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.scenarios import create_scenario
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from scheduler_app.versions import publish_plan
from tests.factories import campaign, local, small_schedule

NEW_PRODUCT = {
    "name": "Zentamab",
    "client": "Client Z",
    "modality": "mAb",
    "validated_scales_l": (5000,),
    "qualified_sites": (SiteCode("SYR"),),
    "colour": "#aa3377",
}


@pytest.fixture
def service(database_url: str):
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
    opened = ScheduleService(Store.open(database_url), user="ann")
    opened.apply_schedule(s)
    yield opened
    opened.store.close()


def stored(service: ScheduleService):
    return service.store.load()


def test_a_new_product_is_one_audited_undo_step(service) -> None:
    change_set = service.create_product("ZNT-300", **NEW_PRODUCT)
    made = service.schedule.products[ProductCode("ZNT-300")]
    assert (made.name, made.batch_days, made.validated_scales_l) == ("Zentamab", 14, (5000,))
    assert stored(service).products["ZNT-300"] == made
    entries = service.store.audit_entries(change_set=change_set.audit_change_set, limit=None)
    assert [(e.entity, e.key, e.old) for e in entries] == [("product", "ZNT-300", None)]
    assert change_set.description == "New product ZNT-300"
    # Campaigns can be booked on it at once.
    service.create_campaign(
        product="ZNT-300", bioreactor="SYR-BR501", start=local("2028-01-03"), batches=1
    )
    service.delete_campaigns([c for c in service.schedule.campaigns if c > "CMP-0002"])
    service.undo(change_set)
    assert "ZNT-300" not in service.schedule.products and "ZNT-300" not in stored(service).products
    service.redo(change_set)
    assert stored(service).products["ZNT-300"] == made


def test_new_records_are_validated(service) -> None:
    bad = [
        (lambda: service.create_product("ABX-201", **NEW_PRODUCT), "already a product ABX-201"),
        (lambda: service.create_product("", **NEW_PRODUCT), "needs a code"),
        (lambda: service.create_product("ZNT 300", **NEW_PRODUCT), "no spaces"),
        (lambda: service.create_product("ZNT\u2013300", **NEW_PRODUCT), "dash"),
        (
            lambda: service.create_product("ZNT-300", **{**NEW_PRODUCT, "name": " "}),
            "needs a name",
        ),
        (
            lambda: service.create_product("ZNT-300", **{**NEW_PRODUCT, "validated_scales_l": ()}),
            "validated scale",
        ),
        (
            lambda: service.create_bioreactor("SYR-BR502", "SYR-S1", reactor_type="Stainless"),
            "working volume",
        ),
        (
            lambda: service.create_bioreactor("SYR-BR502", "SYR-S9", working_volume_l=5000),
            "say at which site",
        ),
        (
            lambda: service.create_bioreactor(
                "SYR-BR502", "SDO-S1", site="SYR", working_volume_l=5000
            ),
            "is at SDO",
        ),
        (lambda: service.create_site("SYR", name="x", time_zone="UTC"), "already a site"),
        (lambda: service.create_site("BOS", name="Boston", time_zone="Mars/Base"), "time zone"),
    ]
    before = stored(service)
    audit = len(service.store.audit_entries(limit=None))
    for action, message in bad:
        with pytest.raises((ValidationError, LookupError), match=message):
            action()
    assert stored(service) == before
    assert len(service.store.audit_entries(limit=None)) == audit


def test_a_new_bioreactor_in_a_new_suite_and_site_then_deleted_with_undo(service) -> None:
    site_set = service.create_site(
        "BOS", name="Boston Plant", time_zone="America/New_York", available_from=date(2028, 1, 1)
    )
    made_set = service.create_bioreactor(
        "BOS-BR101", "BOS-S1", site="BOS", working_volume_l=2000, reactor_type="Single-use"
    )
    assert made_set.description == "New bioreactor BOS-BR101 in BOS-S1 (new)"
    fresh = stored(service)
    assert fresh.suites["BOS-S1"].site == "BOS"
    assert fresh.bioreactors["BOS-BR101"].working_volume_l == 2000
    assert fresh == service.schedule
    # Booked before the new site is available, and where the product is not qualified: both
    # are told at once.
    booked = service.create_campaign(
        product="CDX-110", bioreactor="BOS-BR101", start=local("2027-06-01"), batches=1
    )
    assert sorted(c.kind for c in booked.new_conflicts) == ["qualification", "unavailable"]
    [new_id] = [c.campaign_id for c in booked.changes]
    with pytest.raises(ValidationError, match=f"BOS-BR101 is still used by campaigns {new_id}"):
        service.delete_bioreactor("BOS-BR101")
    with pytest.raises(ValidationError, match="Site BOS is still used by bioreactors BOS-BR101"):
        service.delete_site("BOS")
    service.delete_campaign(new_id)

    gone = service.delete_bioreactor("BOS-BR101")
    assert "BOS-BR101" not in stored(service).bioreactors
    site_gone = service.delete_site("BOS")  # its empty suite goes with it
    fresh = stored(service)
    assert "BOS" not in fresh.sites and "BOS-S1" not in fresh.suites
    assert fresh == service.schedule
    # One undo step each, in turn.
    service.undo(site_gone)
    assert stored(service).suites["BOS-S1"].site == "BOS"
    service.undo(gone)
    assert stored(service).bioreactors["BOS-BR101"].reactor_type.value == "Single-use"
    service.undo(made_set)
    service.undo(site_set)
    assert "BOS" not in stored(service).sites and stored(service) == service.schedule


def test_deletes_are_refused_naming_what_uses_them(service) -> None:
    before = stored(service)
    with pytest.raises(
        ValidationError, match=r"Product ABX-201 is still used by campaigns CMP-0001"
    ):
        service.delete_product("ABX-201")
    with pytest.raises(ValidationError, match="Bioreactor SYR-BR501 is still used by campaigns"):
        service.delete_bioreactor("SYR-BR501")
    with pytest.raises(ValidationError, match="Site SDO is still used by bioreactors SDO-BR1501"):
        service.delete_site("SDO")
    service.add_window(
        MaintenanceWindow(
            SiteCode("SDO"),
            local("2027-09-01"),
            local("2027-09-08"),
            "PM",
            bioreactor=BioreactorCode("SDO-SU01"),
        )
    )
    with pytest.raises(ValidationError, match="SDO-SU01 is still used by 1 maintenance window"):
        service.delete_bioreactor("SDO-SU01")
    assert stored(service).products == before.products


def test_scenarios_and_published_plans_keep_what_they_use(service) -> None:
    service.create_product("ZNT-300", **NEW_PRODUCT)
    create_scenario(service.store, "trial", user="ann")
    what_if = ScheduleService(service.store, user="ann", scenario="trial")
    what_if.create_campaign(
        product="ZNT-300",
        bioreactor="SYR-BR501",
        start=local("2028-03-06"),
        batches=1,
        campaign_id="CMP-0100",
    )
    with pytest.raises(ValidationError, match="used by scenario “trial” \\(CMP-0100\\)"):
        service.delete_product("ZNT-300")
    what_if.delete_campaign("CMP-0100")
    service.create_campaign(
        product="ZNT-300",
        bioreactor="SYR-BR501",
        start=local("2028-03-06"),
        batches=1,
        campaign_id="CMP-0101",
    )
    publish_plan(service.store, reason="sent", user="ann")
    service.delete_campaign("CMP-0101")
    with pytest.raises(
        ValidationError, match=r"published plan v1 \(CMP-0101\)\. A published plan is never"
    ):
        service.delete_product("ZNT-300")
    assert "ZNT-300" in stored(service).products


def test_a_product_goes_with_its_changeover_rows_in_one_step(service) -> None:
    service.create_product("ZNT-300", **NEW_PRODUCT)
    service.set_changeover("ZNT-300", "ABX-201", 12)
    service.set_changeover("ABX-201", "ZNT-300", 9)
    gone = service.delete_product("ZNT-300")
    fresh = stored(service)
    assert "ZNT-300" not in fresh.products
    assert all("ZNT-300" not in pair for pair in fresh.changeovers)
    service.undo(gone)
    fresh = stored(service)
    assert fresh.changeovers[(ProductCode("ZNT-300"), ProductCode("ABX-201"))] == 12
    assert fresh.changeovers[(ProductCode("ABX-201"), ProductCode("ZNT-300"))] == 9


def test_a_stale_delete_is_refused_and_a_just_used_one_writes_nothing(service) -> None:
    service.create_product("ZNT-300", **NEW_PRODUCT)
    kim = ScheduleService(Store.open(service.store.url), user="kim")
    try:
        kim.edit_product("ZNT-300", name="Zentamab (renamed)")
        with pytest.raises(StaleEditError, match="kim"):
            service.delete_product("ZNT-300")
        assert service.schedule.products["ZNT-300"].name == "Zentamab (renamed)"  # reloaded
        # Kim books a campaign on it; Ann's window has not heard yet.
        kim.sync()
        kim.create_campaign(
            product="ZNT-300", bioreactor="SYR-BR501", start=local("2028-03-06"), batches=1
        )
    finally:
        kim.store.close()
    held = dataclasses.replace(service.schedule.products[ProductCode("ZNT-300")])
    audit = len(service.store.audit_entries(limit=None))
    with pytest.raises(ValidationError, match="just taken into use"):
        service.delete_product("ZNT-300")
    assert stored(service).products["ZNT-300"] == held
    assert len(service.store.audit_entries(limit=None)) == audit


def test_a_scenario_window_is_told_what_live_uses(service) -> None:
    service.create_product("ZNT-300", **NEW_PRODUCT)
    service.create_campaign(
        product="ZNT-300",
        bioreactor="SYR-BR501",
        start=local("2028-03-06"),
        batches=1,
        campaign_id="CMP-0102",
    )
    create_scenario(service.store, "without", user="ann")
    what_if = ScheduleService(service.store, user="ann", scenario="without")
    what_if.delete_campaign("CMP-0102")  # gone from the scenario, still in Live
    with pytest.raises(ValidationError, match=r"still used by Live \(CMP-0102\)\. Move"):
        what_if.delete_product("ZNT-300")
    what_if.create_campaign(
        product="ZNT-300",
        bioreactor="SYR-BR501",
        start=local("2028-05-01"),
        batches=1,
        campaign_id="CMP-0103",
    )
    with pytest.raises(ValidationError) as refused:
        what_if.delete_product("ZNT-300")
    # The scenario's own campaign is named once, among its campaigns.
    assert str(refused.value).startswith(
        "Product ZNT-300 is still used by campaigns CMP-0103; Live"
    )
    assert "scenario “without”" not in str(refused.value)


def test_undoing_a_creation_someone_has_used_since_is_refused_naming_it(service) -> None:
    made = service.create_product("ZNT-300", **NEW_PRODUCT)
    kim = ScheduleService(Store.open(service.store.url), user="kim")
    try:
        kim.create_campaign(
            product="ZNT-300",
            bioreactor="SYR-BR501",
            start=local("2028-03-06"),
            batches=1,
            campaign_id="CMP-0104",
        )
    finally:
        kim.store.close()
    # Ann's service has not heard of kim's campaign yet: the database is asked.
    before = stored(service)
    with pytest.raises(
        ValidationError, match=r"Product ZNT-300 is still used by Live \(CMP-0104\)"
    ):
        service.undo(made)
    assert stored(service) == before
    service.reload()
    service.delete_campaign("CMP-0104")
    service.undo(made)
    assert "ZNT-300" not in stored(service).products
