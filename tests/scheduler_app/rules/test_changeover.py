from __future__ import annotations

from datetime import timedelta

from scheduler_app.campaigns import Status
from scheduler_app.ids import ProductCode
from scheduler_app.rules import changeover
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_short_gap_between_products_names_the_day_to_move_to() -> None:
    s = small_schedule()
    first = campaign(s, "CMP-0012", start="2027-03-01", batches=1)  # ABX ends 03-15
    campaign(s, "CMP-0042", product="CDX-110", start="2027-03-20", batches=1)

    [found] = run_rule(s, changeover)

    assert found.kind == "changeover"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0012", "CMP-0042")
    assert (found.start, found.end) == (s.campaign_end(first), local("2027-03-20"))
    assert found.message == (
        "changeover: 5 days after ABX-201 (CMP-0012), needs 10 — move CMP-0042 to start on or "
        "after 2027-03-25 (New York)"
    )


def test_a_gap_of_exactly_the_changeover_days_is_enough() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1)  # ends 01-15
    campaign(s, "CMP-0002", product="CDX-110", start="2027-01-25", batches=1)
    assert run_rule(s, changeover) == []

    campaign(s, "CMP-0002", product="CDX-110", start="2027-01-24", batches=1)
    assert len(run_rule(s, changeover)) == 1


def test_the_larger_changeover_of_the_two_products_applies() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", start="2027-01-01", batches=1)  # 7 days, ends 01-13
    campaign(s, "CMP-0002", start="2027-01-21", batches=1)  # 8 days later; ABX-201 needs 10

    [found] = run_rule(s, changeover)

    assert "needs 10" in found.message
    assert "on or after 2027-01-23" in found.message


def test_zero_gap_between_products_is_a_changeover_not_an_overlap() -> None:
    s = small_schedule()
    first = campaign(s, "CMP-0001", start="2027-01-01", batches=1)
    campaign(s, "CMP-0002", product="CDX-110", start=s.campaign_end(first), batches=1)

    [found] = run_rule(s, changeover)

    assert found.start == found.end == s.campaign_end(first)
    assert found.message.startswith("changeover: 0 days after ABX-201 (CMP-0001), needs 10")


def test_same_product_is_left_to_the_turnaround_rule() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1)
    campaign(s, "CMP-0002", start="2027-01-16", batches=1)

    assert run_rule(s, changeover) == []


def test_cancelled_predecessor_does_not_count() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-01-01", batches=1, status=Status.CANCELLED)
    campaign(s, "CMP-0002", product="CDX-110", start="2027-01-17", batches=1)

    assert run_rule(s, changeover) == []


def test_predecessor_is_the_latest_ending_earlier_campaign() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=2)  # ABX to 03-31
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-05", batches=1)  # inside, to 03-17
    # 11 days after ABX-201 ends (needs 10), 25 days after CDX-110 ends (needs 10).
    campaign(s, "CMP-0003", product="CDX-110", start="2027-04-11", batches=1)

    assert run_rule(s, changeover) == []

    campaign(s, "CMP-0003", product="CDX-110", start="2027-04-09", batches=1)
    [found] = run_rule(s, changeover)
    assert found.campaigns == ("CMP-0001", "CMP-0003")


def test_days_are_counted_on_the_new_york_calendar_across_spring_dst() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-02-19", batches=1)  # ends 2027-03-05 00:00 New York
    # DST starts 2027-03-14: ten local days are only 239 hours, and that is enough.
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-15", batches=1)
    assert run_rule(s, changeover) == []

    campaign(s, "CMP-0002", product="CDX-110", start=local("2027-03-15") - timedelta(minutes=30))
    assert len(run_rule(s, changeover)) == 1


def test_days_are_counted_on_the_new_york_calendar_across_autumn_dst() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-10-18", batches=1)  # ends 2027-11-01 00:00 New York
    # DST ends 2027-11-07: 10 days + 30 minutes of real time is still short of 10 local days.
    late_start = local("2027-11-11") - timedelta(minutes=30)
    assert late_start - local("2027-11-01") > timedelta(days=10)
    campaign(s, "CMP-0002", product="CDX-110", start=late_start, batches=1)

    [found] = run_rule(s, changeover)

    assert "on or after 2027-11-11 (New York)" in found.message


def test_seoul_campaigns_are_counted_on_the_seoul_calendar() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-SU01", start="2027-05-01")
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-06-05", batches=1)

    [found] = run_rule(s, changeover)

    assert found.site == "SDO"
    assert found.start == local("2027-05-28", SEOUL)
    assert found.message == (
        "changeover: 8 days after CDX-110 (CMP-0001), needs 10 — move CMP-0002 to start on or "
        "after 2027-06-07 (Seoul)"
    )


def test_seoul_has_no_dst_in_the_new_york_dst_week() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", product="CDX-110", bioreactor="SDO-SU01", start="2027-02-27", batches=1)
    # Ends 2027-03-11 00:00 Seoul; ten days later is 240 hours later, whatever New York does.
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-21", batches=1)
    assert run_rule(s, changeover) == []

    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-20", batches=1)
    [found] = run_rule(s, changeover)
    assert found.end - found.start == timedelta(days=9)


def test_boundary_is_exact_to_the_microsecond() -> None:
    s = small_schedule()
    tick = timedelta(microseconds=1)
    first = campaign(s, "CMP-0001", start=local("2027-03-01") + tick, batches=1)
    required = local("2027-03-25") + tick  # ends 03-15 + 1 µs, needs 10 days
    campaign(s, "CMP-0002", product="CDX-110", start=required, batches=1)
    assert run_rule(s, changeover) == []

    campaign(s, "CMP-0002", product="CDX-110", start=required - tick, batches=1)
    [found] = run_rule(s, changeover)
    assert found.start == s.campaign_end(first)


def test_the_changeover_matrix_sets_the_days_for_an_ordered_pair() -> None:
    s = small_schedule()
    s.changeovers[(ProductCode("ABX-201"), ProductCode("CDX-110"))] = 16
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)  # ABX ends 03-15
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-28", batches=1)  # ends 04-09
    campaign(s, "CMP-0003", start="2027-04-19", batches=1)  # CDX -> ABX: 10 days, unlisted

    [found] = run_rule(s, changeover)

    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert found.message == (
        "changeover: 13 days after ABX-201 (CMP-0001), needs 16 — move CMP-0002 to start on or "
        "after 2027-03-31 (New York)"
    )


def test_a_matrix_entry_may_allow_less_than_the_products_defaults() -> None:
    s = small_schedule()
    s.changeovers[(ProductCode("ABX-201"), ProductCode("CDX-110"))] = 2
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-17", batches=1)

    assert run_rule(s, changeover) == []
