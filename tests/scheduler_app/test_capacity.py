"""Monthly capacity: utilisation per site, suite and bioreactor, less shutdowns, and booked litres,
on a small, hand-checked schedule."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.capacity import (
    CapacityTracker,
    Level,
    available_days,
    monthly_capacity,
    months_between,
)
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Suite
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


def _with_seed_train_and_second_suite(schedule: Schedule) -> Schedule:
    """Adds, at SYR, a seed bioreactor and a downstream train in SYR-S1, a suite SYR-DSP holding
    only a downstream train, and a second production suite SYR-S2 with SYR-BR502 (5,000 L,
    available from 11 March 2027)."""
    syr = SiteCode("SYR")
    schedule.suites[SuiteCode("SYR-S2")] = Suite(SuiteCode("SYR-S2"), syr, "Suite 2")
    schedule.suites[SuiteCode("SYR-DSP")] = Suite(SuiteCode("SYR-DSP"), syr, "Purification")
    for code, suite, volume, role, opens in [
        ("SYR-N1-01", "SYR-S1", 1000, EquipmentRole.SEED, None),
        ("SYR-DS-01", "SYR-S1", 5000, EquipmentRole.DOWNSTREAM, None),
        ("SYR-DS-02", "SYR-DSP", 5000, EquipmentRole.DOWNSTREAM, None),
        ("SYR-BR502", "SYR-S2", 5000, EquipmentRole.PRODUCTION, date(2027, 3, 11)),
    ]:
        schedule.bioreactors[BioreactorCode(code)] = Bioreactor(
            BioreactorCode(code), SuiteCode(suite), volume, available_from=opens, role=role
        )
    return schedule


def _window(start: str, end: str, suite: str | None = None, bioreactor: str | None = None):
    return MaintenanceWindow(
        SiteCode("SYR"),
        local(start),
        local(end),
        "shutdown",
        SuiteCode(suite) if suite else None,
        BioreactorCode(bioreactor) if bioreactor else None,
    )


MARCH = date(2027, 3, 1)


def test_only_production_bioreactors_count_at_every_level() -> None:
    schedule = _with_seed_train_and_second_suite(small_schedule())
    campaign(schedule, "CMP-0001", start="2027-03-01", batches=1)  # 14 days on SYR-BR501
    site = monthly_capacity(schedule, MARCH, MARCH, Level.SITE)
    suite = monthly_capacity(schedule, MARCH, MARCH, Level.SUITE)
    reactor = monthly_capacity(schedule, MARCH, MARCH, Level.BIOREACTOR)
    # SYR-BR501 all 31 days of March, SYR-BR502 from 11 March: 21 days. Seed and trains: none.
    assert site["SYR"][0].available_days == 31 + 21
    assert site["SYR"][0].occupied_days == pytest.approx(14.0)
    assert site["SYR"][0].utilisation_pct == pytest.approx(100 * 14 / 52)
    assert list(suite) == ["SYR-S1", "SYR-S2", "SDO-S1"]  # SYR-DSP holds no production unit
    assert suite["SYR-S1"][0].available_days == 31 and suite["SYR-S2"][0].available_days == 21
    assert suite["SYR-S1"][0].site == "SYR" and suite["SYR-S1"][0].unit == "SYR-S1"
    assert list(reactor) == ["SYR-BR501", "SYR-BR502", "SDO-BR1501", "SDO-SU01"]
    assert reactor["SYR-BR501"][0].booked_litres == 5000
    assert reactor["SYR-BR502"][0].booked_litres == 0
    assert reactor["SYR-BR502"][0].occupied_days == 0


def test_maintenance_windows_are_taken_off_available_days_once() -> None:
    schedule = _with_seed_train_and_second_suite(small_schedule())
    schedule.maintenance += [
        _window("2027-03-01", "2027-03-11"),  # the whole site, 10 days
        _window("2027-03-06", "2027-03-16", bioreactor="SYR-BR501"),  # overlaps: 5 days more
        _window("2027-03-28", "2027-04-04", suite="SYR-S2"),  # 4 days of March, 3 of April
        _window("2027-03-01", "2027-03-31", bioreactor="SYR-N1-01"),  # a seed unit: no effect
    ]
    reactor = monthly_capacity(schedule, MARCH, date(2027, 4, 1), Level.BIOREACTOR)
    br501_march, br501_april = reactor["SYR-BR501"]
    # SYR-BR501: down 1-16 March (the site's 1-11 and its own 6-16 merged) = 15 days.
    assert br501_march.down_days == pytest.approx(15.0)
    assert br501_march.available_days == pytest.approx(16.0)
    assert br501_april.available_days == 30 and br501_april.down_days == 0
    br502_march, br502_april = reactor["SYR-BR502"]
    # SYR-BR502 opens 11 March (the site shutdown before then is not counted again): 21 days
    # open, 28-31 March down: 17 available; April 1-3 down: 27 available.
    assert br502_march.down_days == pytest.approx(4.0)
    assert br502_march.available_days == pytest.approx(17.0)
    assert br502_april.available_days == pytest.approx(27.0)
    site_march = monthly_capacity(schedule, MARCH, MARCH)["SYR"][0]
    assert site_march.available_days == pytest.approx(16.0 + 17.0)
    assert site_march.down_days == pytest.approx(19.0)
    assert available_days(schedule, BioreactorCode("SYR-BR501"), MARCH) == pytest.approx(16.0)


def test_a_month_wholly_shut_down_has_no_utilisation() -> None:
    schedule = small_schedule()
    schedule.maintenance.append(_window("2027-02-20", "2027-03-10", bioreactor="SYR-BR501"))
    february = monthly_capacity(schedule, date(2027, 2, 1), date(2027, 2, 1))["SYR"][0]
    # 20 February to 1 March: 9 of February's 28 days are down.
    assert february.available_days == pytest.approx(19.0)
    schedule.maintenance.append(_window("2027-02-01", "2027-03-01", bioreactor="SYR-BR501"))
    february = monthly_capacity(schedule, date(2027, 2, 1), date(2027, 2, 1))["SYR"][0]
    assert february.available_days == pytest.approx(0.0)
    assert february.utilisation_pct is None


def test_the_tracker_rereads_maintenance_on_a_full_update() -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01", batches=1)
    tracker = CapacityTracker(schedule)
    assert tracker.by_site(MARCH, MARCH)["SYR"][0].available_days == 31
    schedule.maintenance.append(_window("2027-03-01", "2027-03-08"))
    tracker.update(["SYR-BR501"])  # a campaign edit does not re-read maintenance
    assert tracker.by_site(MARCH, MARCH)["SYR"][0].available_days == 31
    tracker.update()
    assert tracker.by_site(MARCH, MARCH)["SYR"][0].available_days == pytest.approx(24.0)


def test_on_the_demo_every_level_adds_up_to_the_same_site_figures() -> None:
    from scheduler_app.demo import demo_schedule

    schedule = demo_schedule()
    first, last = date(2026, 1, 1), date(2028, 12, 1)
    tracker = CapacityTracker(schedule)
    sites = tracker.by_level(Level.SITE, first, last)
    production = {reactor.code for reactor in schedule.production_bioreactors()}
    assert len(production) < len(schedule.bioreactors)  # the demo has seed and downstream units
    for level in (Level.SUITE, Level.BIOREACTOR):
        units = tracker.by_level(level, first, last)
        if level is Level.BIOREACTOR:
            assert set(units) == production
        for site, rows in sites.items():
            for index, row in enumerate(rows):
                mine = [unit_rows[index] for unit_rows in units.values()]
                mine = [unit_row for unit_row in mine if unit_row.site == site]
                assert row.available_days == pytest.approx(sum(r.available_days for r in mine))
                assert row.down_days == pytest.approx(sum(r.down_days for r in mine))
                assert row.occupied_days == pytest.approx(sum(r.occupied_days for r in mine))
                assert row.booked_litres == sum(r.booked_litres for r in mine)
    # A site shutdown in the demo comes off every production bioreactor of the site.
    shutdown = next(w for w in schedule.maintenance if w.suite is None and w.bioreactor is None)
    month = date(shutdown.start.year, shutdown.start.month, 1)
    reactors = tracker.by_level(Level.BIOREACTOR, month, month)
    at_site = [rows[0] for rows in reactors.values() if rows[0].site == shutdown.site]
    assert at_site and all(row.down_days > 0 for row in at_site)
