from __future__ import annotations

from dataclasses import replace
from datetime import date

from scheduler_app.campaigns import Status
from scheduler_app.ids import ProductCode, SiteCode
from scheduler_app.rules import qualification
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_product_not_qualified_at_the_site_is_a_warning() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-SU01", start="2027-03-01")

    [found] = run_rule(s, qualification)

    assert found.kind == "qualification"
    assert found.severity is Severity.WARNING
    assert found.campaigns == ("CMP-0001",)
    assert found.message == (
        "qualification: CDX-110 is not qualified at SDO (qualified at SYR only) — complete the "
        "tech transfer to SDO before CMP-0001 starts or move it to a SYR bioreactor"
    )


def test_qualified_sites_pass() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", start="2027-03-01")
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-01")

    assert run_rule(s, qualification) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(
        s,
        "CMP-0001",
        product="CDX-110",
        bioreactor="SDO-SU01",
        start="2027-03-01",
        status=Status.CANCELLED,
    )

    assert run_rule(s, qualification) == []


def test_product_qualified_nowhere() -> None:
    s = small_schedule()
    code = ProductCode("CDX-110")
    s.products[code] = replace(s.products[code], qualified_sites=())
    campaign(s, "CMP-0001", product="CDX-110", start="2027-03-01")

    [found] = run_rule(s, qualification)

    assert "(not qualified at any site)" in found.message


def test_qualified_from_a_date_warns_before_it() -> None:
    s = small_schedule()
    code = ProductCode("ABX-201")
    s.products[code] = replace(
        s.products[code], qualified_from=((SiteCode("SDO"), date(2027, 6, 1)),)
    )
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-05-10", batches=2)
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-06-01", batches=1)

    [found] = run_rule(s, qualification)

    assert found.campaigns == ("CMP-0001",)
    assert (found.start, found.end) == (local("2027-05-10", SEOUL), local("2027-06-01", SEOUL))
    assert found.message == (
        "qualification: ABX-201 is qualified at SDO from 2027-06-01 (Seoul) — move CMP-0001 to "
        "start on or after 2027-06-01 or to a bioreactor of a site where it is qualified already"
    )
