from __future__ import annotations

from datetime import date

from scheduler_app.campaigns import Status
from scheduler_app.rules import late
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_ending_at_midnight_after_the_due_day_is_on_time() -> None:
    s = small_schedule()
    # Ends 2027-03-29 00:00 New York (DST began on the 14th), which is the end of the 28th.
    campaign(s, "CMP-0001", start="2027-03-15", batches=1, due=date(2027, 3, 28))

    assert run_rule(s, late) == []


def test_ending_after_the_due_day_is_a_warning() -> None:
    s = small_schedule()
    made = campaign(s, "CMP-0001", start="2027-03-15", batches=1, due=date(2027, 3, 26))

    [found] = run_rule(s, late)

    assert found.kind == "late"
    assert found.severity is Severity.WARNING
    assert (found.start, found.end) == (local("2027-03-27"), s.campaign_end(made))
    assert found.message == (
        "late: CMP-0001 ends 2027-03-29, 2 days after its due date 2027-03-26 (end of day, New "
        "York) — start it on or before 2027-03-13 or agree a later due date"
    )


def test_due_date_is_the_end_of_the_day_in_seoul() -> None:
    s = small_schedule()
    campaign(
        s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1, due=date(2027, 3, 14)
    )
    assert run_rule(s, late) == []

    campaign(
        s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1, due=date(2027, 3, 13)
    )
    [found] = run_rule(s, late)
    assert found.start == local("2027-03-14", SEOUL)


def test_no_due_date_is_never_late() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-15", batches=4)

    assert run_rule(s, late) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-15", due=date(2027, 3, 16), status=Status.CANCELLED)

    assert run_rule(s, late) == []
