"""The process-rule fields (equipment role and serves, product seed/harvest days, max batches and
dated qualification, campaign purpose/needs/lag, the changeover matrix) survive storage on SQLite
and PostgreSQL, and the service writes, audits and version-checks the matrix."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from scheduler_app.campaigns import Purpose
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, small_schedule
from tests.scheduler_app.storage.helpers import save

ABX, CDX = ProductCode("ABX-201"), ProductCode("CDX-110")


def process_schedule():
    s = small_schedule()
    s.bioreactors[BioreactorCode("SYR-N1-01")] = Bioreactor(
        BioreactorCode("SYR-N1-01"), SuiteCode("SYR-S1"), 1000, role=EquipmentRole.SEED
    )
    s.bioreactors[BioreactorCode("SDO-DSP1")] = Bioreactor(
        BioreactorCode("SDO-DSP1"),
        SuiteCode("SDO-S1"),
        15000,
        role=EquipmentRole.DOWNSTREAM,
        serves=("SDO-S1", "SYR-BR501"),
    )
    s.products[ABX] = dataclasses.replace(
        s.products[ABX],
        seed_days=5,
        harvest_days=4,
        max_batches=6,
        qualified_from=((SiteCode("SDO"), date(2027, 3, 1)),),
    )
    s.changeovers = {(ABX, CDX): 21, (CDX, ABX): 9}
    campaign(s, "CMP-0001", batches=3, purpose=Purpose.PPQ)
    campaign(
        s,
        "CMP-0002",
        start="2027-06-01",
        purpose=Purpose.ENGINEERING,
        needs=CampaignId("CMP-0001"),
        lag_days=35,
    )
    return s


def test_process_fields_survive_save_and_load(store: Store) -> None:
    stored = save(store, process_schedule())
    loaded = store.load()
    assert loaded == stored
    assert loaded.bioreactors["SDO-DSP1"].serves == ("SDO-S1", "SYR-BR501")
    assert loaded.bioreactors["SYR-N1-01"].role is EquipmentRole.SEED
    assert loaded.products["ABX-201"].qualified_date("SDO") == date(2027, 3, 1)
    assert loaded.changeovers == {(ABX, CDX): 21, (CDX, ABX): 9}
    second = loaded.campaigns["CMP-0002"]
    assert (second.purpose, second.needs, second.lag_days) == (Purpose.ENGINEERING, "CMP-0001", 35)


def test_the_service_replaces_the_matrix_with_audit_rows(database_url: str) -> None:
    with Store.open(database_url) as store:
        service = ScheduleService(store, user="ann")
        service.apply_schedule(process_schedule(), action="demo")
        incoming = service.schedule.copy()
        incoming.changeovers = {(ABX, CDX): 28}
        change_set = service.apply_schedule(incoming)
        assert change_set.master_data_changed
        assert service.schedule.changeovers == {(ABX, CDX): 28}
        assert store.load().changeovers == {(ABX, CDX): 28}
        rows = store.audit_entries(entity="changeover")
        seen = {(r.key, r.old, r.new) for r in rows}
        assert ("ABX-201 → CDX-110", "21", "28") in seen
        assert ("CDX-110 → ABX-201", "9", None) in seen


def test_a_matrix_changed_by_someone_else_is_refused(database_url: str) -> None:
    with Store.open(database_url) as first_store, Store.open(database_url) as second_store:
        first = ScheduleService(first_store, user="ann")
        first.apply_schedule(process_schedule(), action="demo")
        second = ScheduleService(second_store, user="bob")
        mine = first.schedule.copy()
        mine.changeovers = {(ABX, CDX): 30}
        first.apply_schedule(mine)
        theirs = second.schedule.copy()
        theirs.changeovers = {(CDX, ABX): 3}
        with pytest.raises(StaleEditError, match="changeover matrix"):
            second.apply_schedule(theirs)
        assert first_store.load().changeovers == {(ABX, CDX): 30}


def test_an_unchanged_matrix_writes_nothing(database_url: str) -> None:
    with Store.open(database_url) as store:
        service = ScheduleService(store, user="ann")
        service.apply_schedule(process_schedule(), action="demo")
        again = service.apply_schedule(service.schedule.copy())
        assert again.changes == () and not again.master_data_changed


def test_campaigns_go_on_production_bioreactors_only(database_url: str) -> None:
    with Store.open(database_url) as store:
        service = ScheduleService(store, user="ann")
        service.apply_schedule(process_schedule(), action="demo")
        with pytest.raises(ValidationError, match="seed unit"):
            service.move_campaign("CMP-0001", bioreactor="SYR-N1-01")
        with pytest.raises(ValidationError, match="its own output"):
            service.edit_campaign("CMP-0001", needs="CMP-0001")
        change = service.edit_campaign("CMP-0001", purpose="eng", lag_days=40, needs="CMP-0002")
        edited = change.after("CMP-0001")
        assert edited is not None
        assert (edited.purpose, edited.lag_days, edited.needs) == (
            Purpose.ENGINEERING,
            40,
            "CMP-0002",
        )
        assert store.load().campaigns["CMP-0001"] == edited
        fields = {r.field for r in store.audit_entries(key="CMP-0001")}
        assert {"purpose", "lag_days", "needs"} <= fields


def test_a_matrix_pair_naming_an_unknown_product_is_refused(database_url: str) -> None:
    with Store.open(database_url) as store:
        service = ScheduleService(store, user="ann")
        incoming = process_schedule()
        incoming.changeovers[(ABX, ProductCode("ZZZ-1"))] = 5
        with pytest.raises(Exception, match="ZZZ-1"):
            service.apply_schedule(incoming, action="demo")
        assert store.is_empty()
