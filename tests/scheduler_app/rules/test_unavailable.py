from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from scheduler_app.campaigns import Status
from scheduler_app.ids import BioreactorCode
from scheduler_app.rules import unavailable
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_campaign_before_the_site_opens() -> None:
    s = small_schedule()  # SDO is available from 2027-01-01
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2026-12-20", batches=1)

    [found] = run_rule(s, unavailable)

    assert found.kind == "unavailable"
    assert found.severity is Severity.ERROR
    assert (found.start, found.end) == (local("2026-12-20", SEOUL), local("2027-01-01", SEOUL))
    assert found.message == (
        "unavailable: site SDO (Songdo Bio Campus Plant 1) is available from 2027-01-01 (Seoul) — "
        "move CMP-0001 to start on or after 2027-01-01 or to another bioreactor"
    )


def test_available_from_is_the_site_local_midnight() -> None:
    s = small_schedule()
    # 2026-12-31 20:00 UTC is already 2027-01-01 05:00 in Seoul: allowed.
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start=datetime(2026, 12, 31, 20, tzinfo=UTC))
    assert run_rule(s, unavailable) == []

    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start=local("2027-01-01", SEOUL))
    assert run_rule(s, unavailable) == []

    just_before = local("2027-01-01", SEOUL) - timedelta(minutes=1)
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start=just_before)
    assert len(run_rule(s, unavailable)) == 1


def test_bioreactor_available_later_than_its_site() -> None:
    s = small_schedule()
    code = BioreactorCode("SDO-SU01")
    s.bioreactors[code] = replace(s.bioreactors[code], available_from=date(2027, 4, 1))
    campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-SU01", start="2027-03-01")
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-01")

    [found] = run_rule(s, unavailable)

    assert found.campaigns == ("CMP-0001",)
    assert found.message.startswith(
        "unavailable: bioreactor SDO-SU01 is available from 2027-04-01 (Seoul)"
    )


def test_sites_without_a_date_are_always_available() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2020-01-01")

    assert run_rule(s, unavailable) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2026-12-01", status=Status.CANCELLED)

    assert run_rule(s, unavailable) == []
