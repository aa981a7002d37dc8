"""Two planners on one database (SQLite and PostgreSQL): changes are decided on what the database
holds at commit time, undo never overwrites another planner's work, an import is undone whole,
Confirmed campaigns need a reason, and the recorded user is not taken from the environment."""

from __future__ import annotations

import dataclasses
import os
import pwd
from collections.abc import Iterator
from datetime import timedelta

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.errors import ReasonRequiredError, StaleEditError
from scheduler_app.ids import BioreactorCode, ProductCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.engine import check_schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import SEOUL, campaign, local, small_schedule


def base_schedule():
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start=local("2027-03-01", SEOUL))
    campaign(s, "CMP-0003", start="2027-09-01", product="CDX-110", batches=1)
    return s


@pytest.fixture
def planners(database_url: str) -> Iterator[tuple[ScheduleService, ScheduleService]]:
    setup = ScheduleService(Store.open(database_url), user="setup")
    setup.apply_schedule(base_schedule(), description="Import base.xlsx")
    setup.store.close()
    ann = ScheduleService(Store.open(database_url), user="ann")
    bob = ScheduleService(Store.open(database_url), user="bob")
    yield ann, bob
    ann.store.close()
    bob.store.close()


def in_step(service: ScheduleService) -> bool:
    stored = service.store.load()
    return service.schedule.campaigns == stored.campaigns and service.engine.conflicts == (
        check_schedule(stored)
    )


def test_a_drop_onto_a_bioreactor_someone_just_filled_reports_the_overlap(planners) -> None:
    ann, bob = planners
    target = local("2027-05-03", SEOUL)
    filled = ann.move_campaign("CMP-0001", start=target, bioreactor="SDO-BR1501")
    assert filled.new_conflicts == ()
    # Bob still shows the old plan: SDO-BR1501 holds only CMP-0002 in his copy.
    assert bob.schedule.campaigns["CMP-0001"].bioreactor == "SYR-BR501"
    assert bob.engine.preview([bob.schedule.campaigns["CMP-0001"]]) == []
    heard = []
    bob.add_observer(heard.append)

    dropped = bob.move_campaign(
        "CMP-0003", start=target + timedelta(days=3), bioreactor="SDO-BR1501"
    )

    overlaps = [c for c in dropped.new_conflicts if c.kind == "overlap"]
    assert [sorted(c.campaigns) for c in overlaps] == [["CMP-0001", "CMP-0003"]]
    assert "CMP-0001" in overlaps[0].message
    # His copy now holds Ann's move too, and the conflicts he sees are the database's.
    assert bob.schedule.campaigns["CMP-0001"].bioreactor == "SDO-BR1501"
    assert [cs.action for cs in heard] == ["reload", "move"]
    assert in_step(bob)
    assert any(c.kind == "overlap" for c in bob.engine.conflicts_for("CMP-0003"))


def test_undo_after_someone_else_edited_is_refused_and_overwrites_nothing(planners) -> None:
    ann, bob = planners
    moved = ann.move_campaign("CMP-0001", start=local("2027-04-05"), reason="client call")
    bob.reload()
    noted = bob.edit_campaign("CMP-0001", notes="Hold for the client").after("CMP-0001")
    audit_rows = len(ann.store.audit_entries(limit=None))

    with pytest.raises(StaleEditError) as refused:
        ann.undo(moved)

    message = str(refused.value)
    assert message.startswith("CMP-0001 was changed by bob at ")
    assert "(notes)" in message and "was not undone" in message
    assert ann.store.load().campaigns["CMP-0001"] == noted
    assert len(ann.store.audit_entries(limit=None)) == audit_rows
    assert ann.schedule.campaigns["CMP-0001"] == noted  # reloaded, as the message says
    # Once her copy is current, a new change of hers can be undone and redone.
    again = ann.move_campaign("CMP-0001", start=local("2027-04-12"), reason="again")
    back = ann.undo(again)
    assert ann.schedule.campaigns["CMP-0001"].start == local("2027-04-05")
    assert ann.schedule.campaigns["CMP-0001"].notes == "Hold for the client"
    assert back.reason == "again" and back.description.startswith("Undo Move CMP-0001")
    ann.redo(again)
    assert ann.store.load().campaigns["CMP-0001"].start == local("2027-04-12")
    assert in_step(ann)


def test_redo_after_someone_else_edited_is_refused(planners) -> None:
    ann, bob = planners
    deleted = ann.delete_campaign("CMP-0003")
    ann.undo(deleted)
    bob.reload()
    bob.set_batches("CMP-0003", 2)
    with pytest.raises(StaleEditError, match="CMP-0003 was changed by bob .*was not redone"):
        ann.redo(deleted)
    assert ann.store.load().campaigns["CMP-0003"].batches == 2


def test_undoing_an_import_restores_products_maintenance_and_campaigns(planners) -> None:
    ann, _ = planners
    before = ann.store.load()
    incoming = ann.schedule.copy()
    product = incoming.products[ProductCode("ABX-201")]
    incoming.products[product.code] = dataclasses.replace(product, batch_days=16, name="Abex")
    new_product = dataclasses.replace(product, code=ProductCode("NEW-1"), name="Newcomer")
    incoming.products[new_product.code] = new_product
    incoming.maintenance = [
        MaintenanceWindow(
            SiteCode("SYR"), local("2027-07-01"), local("2027-07-15"), "Annual shutdown"
        )
    ]
    incoming.campaigns = dict(incoming.campaigns)
    campaign(incoming, "CMP-0009", product="NEW-1", start="2028-01-03")
    first = incoming.campaigns["CMP-0001"]
    incoming.campaigns[first.id] = dataclasses.replace(first, batches=3, notes="from Excel")
    imported = ann.apply_schedule(incoming, description="Import plan.xlsx")
    after_import = ann.store.load()
    assert after_import.products[ProductCode("NEW-1")].name == "Newcomer"
    assert len(after_import.maintenance) == 1

    ann.undo(imported)

    restored = ann.store.load()
    assert restored.products == before.products
    assert restored.bioreactors == before.bioreactors
    assert [(w.site, w.start, w.end) for w in restored.maintenance] == [
        (w.site, w.start, w.end) for w in before.maintenance
    ]
    assert restored.campaigns.keys() == before.campaigns.keys()
    assert restored.campaigns["CMP-0001"].notes == ""
    assert ann.schedule.products == restored.products and in_step(ann)

    ann.redo(imported)
    assert ann.store.load().products[ProductCode("ABX-201")].batch_days == 16
    assert len(ann.store.load().maintenance) == 1 and in_step(ann)


def test_an_import_undo_is_refused_when_a_product_changed_since(planners) -> None:
    ann, bob = planners
    incoming = ann.schedule.copy()
    product = incoming.products[ProductCode("CDX-110")]
    incoming.products[product.code] = dataclasses.replace(product, colour="#000000")
    imported = ann.apply_schedule(incoming, description="Import colours.xlsx")
    bob.reload()
    later = bob.schedule.copy()
    later.products[product.code] = dataclasses.replace(product, colour="#123456")
    bob.apply_schedule(later, description="Import theirs.xlsx")
    with pytest.raises(StaleEditError, match="Product CDX-110 was changed by bob"):
        ann.undo(imported)
    assert ann.store.load().products[product.code].colour == "#123456"


def test_a_confirmed_campaign_needs_a_reason_and_the_reason_is_audited(planners) -> None:
    ann, _ = planners
    ann.edit_campaign("CMP-0001", status=Status.CONFIRMED)
    assert ann.needs_reason(["CMP-0001"]) and not ann.needs_reason(["CMP-0003"])
    held = ann.store.load()
    with pytest.raises(ReasonRequiredError, match="CMP-0001 is Confirmed"):
        ann.move_campaign("CMP-0001", start=local("2027-03-08"))
    with pytest.raises(ReasonRequiredError):
        ann.delete_campaign("CMP-0001", reason="   ")
    assert ann.store.load() == held
    done = ann.move_campaign("CMP-0001", start=local("2027-03-08"), reason="Client PO moved")
    rows = ann.store.audit_entries(change_set=done.audit_change_set)
    assert [(row.field, row.reason, row.user) for row in rows] == [
        ("start", "Client PO moved", "ann")
    ]


def test_the_require_reason_setting_applies_to_every_change(planners) -> None:
    ann, bob = planners
    ann.set_require_reason(True, reason="QA decision")
    bob.reload()
    assert bob.require_reason and bob.needs_reason(["CMP-0003"])
    with pytest.raises(ReasonRequiredError, match="requires a reason for every change"):
        bob.set_batches("CMP-0003", 2)
    bob.set_batches("CMP-0003", 2, reason="more material")
    ann.set_require_reason(False)
    bob.reload()
    assert not bob.needs_reason(["CMP-0003"])


def test_the_user_is_the_account_not_an_environment_variable(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "qa.head")
    monkeypatch.setenv("USER", "qa.head")
    monkeypatch.setenv("USERNAME", "qa.head")
    with Store.open(database_url) as store:
        service = ScheduleService(store)
        if database_url.startswith("postgresql"):
            from sqlalchemy.engine import make_url

            expected = make_url(database_url).username
        else:
            expected = pwd.getpwuid(os.getuid()).pw_name
        assert service.user == expected != "qa.head"
        service.apply_schedule(base_schedule())
        assert {row.user for row in store.audit_entries(limit=None)} == {expected}


def test_new_conflicts_are_only_the_ones_the_change_made(planners) -> None:
    ann, _ = planners
    on_top = ann.move_campaign("CMP-0003", start=local("2027-03-08"))
    assert {c.kind for c in on_top.new_conflicts} >= {"overlap"}
    nudged = ann.move_campaign("CMP-0003", start=local("2027-03-09"))
    assert [c.kind for c in nudged.new_conflicts if c.kind == "overlap"] == []
    assert BioreactorCode("SYR-BR501") in nudged.touched_bioreactors


def test_running_as_the_audit_tables_owner_is_warned_about(database_url: str) -> None:
    with Store.open(database_url) as store:
        warning = ScheduleService(store).audit_warning
    if database_url.startswith("postgresql"):
        # The tests connect as a superuser that owns the tables: exactly what to warn about.
        assert warning is not None and "could rewrite the audit trail" in warning
    else:
        assert warning is None
