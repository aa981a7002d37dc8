"""Monthly capacity: utilisation per site and booked litres on a small, hand-checked schedule."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.capacity import CapacityTracker, monthly_capacity, months_between
from scheduler_app.ids import BioreactorCode, CampaignId
from tests.factories import SEOUL, campaign, local, small_schedule


def _month(rows, month):
    return next(row for row in rows if row.month == month)


def test_campaign_across_dst_counts_wall_clock_days_and_litres_per_batch_start() -> None:
    schedule = small_schedule()
    # 2 × 14 days + 2 days turnaround from 1 March (New York, DST starts 14 March) = 30 days.
    campaign(schedule, "CMP-0001", start="2027-03-01", batches=2)
    rows = monthly_capacity(schedule, date(2027, 2, 1), date(2027, 4, 1))["SYR"]
    march = _month(rows, date(2027, 3, 1))
    assert march.occupied_days == pytest.approx(30.0)
    assert march.available_days == 31.0
    assert march.utilisation_pct == pytest.approx(100 * 30 / 31)
    assert march.booked_litres == 2 * 5000
    assert _month(rows, date(2027, 2, 1)).occupied_days == 0
    assert _month(rows, date(2027, 4, 1)).booked_litres == 0


def test_campaign_spanning_two_months_is_split_and_batches_land_in_their_start_month() -> None:
    schedule = small_schedule()
    # 20 April + 14 + 2 + 14 days: batch 1 starts in April, batch 2 on 6 May, end 20 May.
    campaign(schedule, "CMP-0001", start="2027-04-20", batches=2)
    rows = monthly_capacity(schedule, date(2027, 4, 1), date(2027, 5, 1))["SYR"]
    assert _month(rows, date(2027, 4, 1)).occupied_days == pytest.approx(11.0)
    assert _month(rows, date(2027, 5, 1)).occupied_days == pytest.approx(19.0)
    assert _month(rows, date(2027, 4, 1)).booked_litres == 5000
    assert _month(rows, date(2027, 5, 1)).booked_litres == 5000


def test_site_before_it_opens_has_no_utilisation_and_reactors_add_up() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", bioreactor="SDO-BR1501", start="2027-01-01", batches=1)
    campaign(schedule, "CMP-0002", bioreactor="SDO-BR1501", start="2027-01-10")
    campaign(schedule, "CMP-0003", "CDX-110", bioreactor="SDO-SU01", start="2027-01-05", batches=1)
    rows = monthly_capacity(schedule, date(2026, 12, 1), date(2027, 1, 1))["SDO"]
    december, january = rows
    assert december.available_days == 0 and december.utilisation_pct is None
    # Two bioreactors × 31 days; 14 + (30 → 22 days left in January) + 12 days occupied.
    assert january.available_days == 62.0
    assert january.occupied_days == pytest.approx(14 + 22 + 12)
    assert january.booked_litres == 15000 * 3 + 2000


def test_cancelled_campaigns_are_ignored() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01", batches=1, status=Status.CANCELLED)
    rows = monthly_capacity(schedule, date(2027, 3, 1), date(2027, 3, 1))["SYR"]
    assert rows[0].occupied_days == 0 and rows[0].booked_litres == 0


def test_tracker_follows_a_move_when_told_which_bioreactors_changed() -> None:
    schedule = small_schedule()
    made = campaign(schedule, "CMP-0001", start="2027-03-01", batches=1)
    tracker = CapacityTracker(schedule)
    assert tracker.span() == (date(2027, 3, 1), date(2027, 3, 1))
    june_before = tracker.by_site(date(2027, 6, 1), date(2027, 6, 1))
    assert june_before["SDO"][0].booked_litres == 0
    moved = dataclasses.replace(
        made, bioreactor=BioreactorCode("SDO-BR1501"), start=local("2027-06-01", SEOUL)
    )
    schedule.put_campaign(moved)
    tracker.update(["SYR-BR501", "SDO-BR1501"])
    june = tracker.by_site(date(2027, 6, 1), date(2027, 6, 1))
    assert june["SDO"][0].booked_litres == 15000
    assert june["SYR"][0].booked_litres == 0
    assert tracker.span() == (date(2027, 6, 1), date(2027, 6, 1))
    schedule.remove_campaign(CampaignId("CMP-0001"))
    tracker.update(["SDO-BR1501"])
    assert tracker.span() is None


def test_months_between_crosses_year_end() -> None:
    months = months_between(date(2026, 11, 1), date(2027, 2, 1))
    assert months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
