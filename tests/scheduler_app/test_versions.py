"""Published plan versions on SQLite and PostgreSQL: numbered, frozen (even raw SQL through the
app's connection cannot change one), compared with Live, and the slip of each campaign."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from scheduler_app.errors import NotFoundError, ValidationError
from scheduler_app.ids import SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from scheduler_app.versions import (
    diff_since_version,
    latest_version,
    list_versions,
    load_version,
    publish_plan,
    slip_days,
)
from tests.factories import SEOUL, campaign, local, small_schedule


@pytest.fixture
def live(database_url: str):
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
    campaign(s, "CMP-0003", bioreactor="SDO-BR1501", start=local("2027-03-01", SEOUL))
    s.maintenance.append(
        MaintenanceWindow(SiteCode("SYR"), local("2027-09-01"), local("2027-09-15"), "Shutdown")
    )
    opened = ScheduleService(Store.open(database_url), user="ann")
    opened.apply_schedule(s)
    yield opened
    opened.store.close()


def test_publish_numbers_versions_and_keeps_them(live: ScheduleService) -> None:
    assert latest_version(live.store) is None
    first = publish_plan(
        live.store, reason="sent to operations", user="ann", meaning="approved for operations"
    )
    live.move_campaign("CMP-0001", start=local("2027-03-11"))
    second = publish_plan(live.store, reason="weekly", user="bo")
    assert (first.number, second.number) == (1, 2)
    assert [v.number for v in list_versions(live.store)] == [1, 2]
    assert list_versions(live.store)[0].meaning == "approved for operations"
    assert first.campaigns == 3 and latest_version(live.store) == 2
    assert [w.reason for w in load_version(live.store, 1).maintenance] == ["Shutdown"]
    v1 = load_version(live.store, 1)
    assert v1.campaigns["CMP-0001"].start == local("2027-03-01")
    assert load_version(live.store, 2).campaigns["CMP-0001"].start == local("2027-03-11")
    with pytest.raises(NotFoundError):
        load_version(live.store, 9)
    with pytest.raises(ValidationError, match="reason"):
        publish_plan(live.store, reason="  ", user="ann")
    entries = live.store.audit_entries(entity="plan version", limit=None)
    assert {e.key for e in entries} == {"1", "2"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE plan_versions SET reason = 'rewritten'",
        "DELETE FROM plan_versions",
        "UPDATE plan_version_campaigns SET batches = 9",
        "DELETE FROM plan_version_campaigns",
        "DELETE FROM plan_version_maintenance",
    ],
)
def test_a_published_version_cannot_be_changed_even_with_raw_sql(
    live: ScheduleService, statement: str
) -> None:
    publish_plan(live.store, reason="frozen", user="ann")
    before = (list_versions(live.store), load_version(live.store, 1))
    with (
        pytest.raises(DBAPIError, match="cannot be changed"),
        live.store.engine.begin() as connection,
    ):
        connection.execute(text(statement))
    assert (list_versions(live.store), load_version(live.store, 1)) == before


def test_diff_since_version_and_slip(live: ScheduleService) -> None:
    publish_plan(live.store, reason="baseline", user="ann")
    live.move_campaign("CMP-0001", start=local("2027-03-15"))  # 14 days later, across DST
    live.move_campaign("CMP-0003", start=local("2027-02-25", SEOUL))  # 4 days earlier
    live.delete_campaign("CMP-0002")
    diff = diff_since_version(live.store, 1)
    assert [c.campaign_id for c in diff.changed] == ["CMP-0001", "CMP-0003"]
    assert [c.id for c in diff.removed] == ["CMP-0002"]
    baseline = load_version(live.store, 1)
    slips = slip_days(live.schedule.campaigns, baseline.campaigns, live.schedule)
    assert slips == {"CMP-0001": 14, "CMP-0003": -4}
