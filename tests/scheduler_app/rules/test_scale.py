from __future__ import annotations

from dataclasses import replace

from scheduler_app.campaigns import Status
from scheduler_app.ids import ProductCode
from scheduler_app.rules import scale
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_product_not_validated_at_the_bioreactor_volume() -> None:
    s = small_schedule()
    made = campaign(s, "CMP-0001", bioreactor="SDO-SU01", start="2027-03-01")

    [found] = run_rule(s, scale)

    assert found.kind == "scale"
    assert found.severity is Severity.ERROR
    assert (found.site, found.bioreactor) == ("SDO", "SDO-SU01")
    assert (found.start, found.end) == (local("2027-03-01", SEOUL), s.campaign_end(made))
    assert found.message == (
        "scale: ABX-201 is validated at 5,000 and 15,000 L but SDO-SU01 holds 2,000 L — move "
        "CMP-0001 to a 5,000 or 15,000 L bioreactor"
    )


def test_validated_scales_pass() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-SU01", start="2027-03-01")
    campaign(s, "CMP-0002", start="2027-03-01")
    campaign(s, "CMP-0003", bioreactor="SDO-BR1501", start="2027-03-01")

    assert run_rule(s, scale) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-SU01", start="2027-03-01", status=Status.CANCELLED)

    assert run_rule(s, scale) == []


def test_product_without_any_validated_scale() -> None:
    s = small_schedule()
    code = ProductCode("ABX-201")
    s.products[code] = replace(s.products[code], validated_scales_l=())
    campaign(s, "CMP-0001", start="2027-03-01")

    [found] = run_rule(s, scale)

    assert "has no validated scale" in found.message
