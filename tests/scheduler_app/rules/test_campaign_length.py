from __future__ import annotations

from scheduler_app.rules import campaign_length
from scheduler_app.rules.conflict import Severity
from tests.factories import campaign
from tests.scheduler_app.rules.support import process_schedule, run_rule


def test_more_batches_than_cleaning_validation_allows() -> None:
    s = process_schedule()  # CDX-110 at most 2 batches back to back
    campaign(s, "CMP-0001", product="CDX-110", start="2027-03-01", batches=3)
    campaign(s, "CMP-0002", product="CDX-110", start="2027-06-01", batches=2)
    campaign(s, "CMP-0003", start="2027-09-01", batches=9)  # ABX-201 has no limit

    [found] = run_rule(s, campaign_length)

    assert found.kind == "campaign-length"
    assert found.severity is Severity.WARNING
    assert found.campaigns == ("CMP-0001",)
    assert found.message == (
        "campaign-length: CMP-0001 runs 3 batches of CDX-110 back to back but cleaning "
        "validation allows 2 — split it into campaigns of at most 2 batches with a cleaning "
        "between them"
    )
