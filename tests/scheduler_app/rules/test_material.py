from __future__ import annotations

from dataclasses import replace

from scheduler_app.campaigns import Status
from scheduler_app.ids import CampaignId
from scheduler_app.rules import material
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule

NEEDS = CampaignId("CMP-0001")


def test_consumer_before_the_material_is_released() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)  # ABX to 03-15
    campaign(
        s, "CMP-0002", product="CDX-110", start="2027-03-18", batches=1, needs=NEEDS, lag_days=7
    )

    [found] = run_rule(s, material)

    assert found.kind == "material"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert (found.start, found.end) == (local("2027-03-18"), local("2027-03-22"))
    assert found.message == (
        "material: CMP-0002 starts 2027-03-18 but needs CMP-0001 (ABX-201) plus 7 days QC "
        "release, ready 2027-03-22 (New York) — move CMP-0002 to start on or after 2027-03-22 "
        "or move CMP-0001 earlier"
    )


def test_starting_when_released_is_fine() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(
        s, "CMP-0002", product="CDX-110", start="2027-03-22", batches=1, needs=NEEDS, lag_days=7
    )

    assert run_rule(s, material) == []


def test_cancelled_or_missing_material() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1, status=Status.CANCELLED)
    campaign(s, "CMP-0002", product="CDX-110", start="2027-06-01", batches=1, needs=NEEDS)
    campaign(
        s,
        "CMP-0003",
        product="CDX-110",
        start="2027-08-01",
        batches=1,
        needs=CampaignId("CMP-0099"),
    )

    cancelled, missing = run_rule(s, material)

    assert cancelled.campaigns == ("CMP-0001", "CMP-0002")
    assert "which is cancelled — link CMP-0002 to another ABX-201 campaign" in cancelled.message
    assert missing.campaigns == ("CMP-0003",)
    assert "needs CMP-0099, which is not in the schedule" in missing.message


def test_moving_the_needed_campaign_rechecks_its_consumer_on_another_site() -> None:
    s = small_schedule()
    needed = campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-04-01", batches=1, needs=NEEDS)
    engine = ConflictEngine(s)
    assert not [c for c in engine.check_all() if c.kind == "material"]

    later = replace(needed, start=local("2027-03-25"))
    preview = [c for c in engine.preview([later]) if c.kind == "material"]
    s.put_campaign(later)
    found = [c for c in engine.update({"SYR-BR501"}) if c.kind == "material"]

    assert [c.campaigns for c in found] == [("CMP-0001", "CMP-0002")]
    assert preview == found
    assert engine.next_start_after(later) is None  # its consumer would wait longer still
    consumer = s.campaigns[CampaignId("CMP-0002")]
    assert engine.next_start_after(consumer) == found[0].end
