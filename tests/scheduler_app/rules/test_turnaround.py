from __future__ import annotations

from scheduler_app.campaigns import Status
from scheduler_app.rules import turnaround
from scheduler_app.rules.conflict import Severity
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_same_product_too_soon_is_a_warning() -> None:
    s = small_schedule()
    first = campaign(s, "CMP-0001", start="2027-01-01", batches=1)  # ends 01-15
    campaign(s, "CMP-0002", start="2027-01-16", batches=1)

    [found] = run_rule(s, turnaround)

    assert found.kind == "turnaround"
    assert found.severity is Severity.WARNING
    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert (found.start, found.end) == (s.campaign_end(first), local("2027-01-16"))
    assert found.message == (
        "turnaround: 1 day after CMP-0001 (same product ABX-201), needs 2 — move CMP-0002 to "
        "start on or after 2027-01-17 (New York)"
    )


def test_the_product_turnaround_is_enough() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1)
    campaign(s, "CMP-0002", start="2027-01-17", batches=1)

    assert run_rule(s, turnaround) == []


def test_only_the_same_product_is_a_turnaround() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1)
    campaign(s, "CMP-0002", product="CDX-110", start="2027-01-16", batches=1)

    assert run_rule(s, turnaround) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1)
    campaign(s, "CMP-0002", start="2027-01-16", batches=1, status=Status.CANCELLED)

    assert run_rule(s, turnaround) == []


def test_turnaround_across_spring_dst_counts_local_days() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-02-27", batches=1)  # ends 2027-03-13 00:00 New York
    campaign(s, "CMP-0002", start="2027-03-15", batches=1)  # 2 local days, 47 hours

    assert run_rule(s, turnaround) == []
