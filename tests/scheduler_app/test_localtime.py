from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.localtime import (
    add_local_days,
    end_of_local_date,
    local_datetime_to_utc,
    local_days_between,
    local_midnight,
    nearest_local_midnight,
    start_of_local_date,
    utc_to_local_naive,
)

NY = "America/New_York"
SEOUL = "Asia/Seoul"


def test_fourteen_day_batch_ends_at_local_midnight_across_spring_dst() -> None:
    start = start_of_local_date(date(2027, 3, 1), NY)  # EST, UTC-5
    end = add_local_days(start, 14, NY)
    assert start == datetime(2027, 3, 1, 5, tzinfo=UTC)
    assert end == datetime(2027, 3, 15, 4, tzinfo=UTC)  # EDT, UTC-4: 13 days 23 hours later
    assert utc_to_local_naive(end, NY) == datetime(2027, 3, 15)


def test_autumn_dst_week_is_one_hour_longer() -> None:
    start = start_of_local_date(date(2027, 11, 1), NY)
    end = add_local_days(start, 7, NY)
    assert (end - start).total_seconds() == 7 * 86400 + 3600
    assert local_days_between(start, end, NY) == 7


def test_seoul_has_no_dst() -> None:
    start = start_of_local_date(date(2027, 3, 1), SEOUL)
    assert start == datetime(2027, 2, 28, 15, tzinfo=UTC)
    assert (add_local_days(start, 14, SEOUL) - start).days == 14


def test_due_date_means_end_of_that_local_day() -> None:
    assert end_of_local_date(date(2027, 3, 13), NY) == datetime(2027, 3, 14, 5, tzinfo=UTC)
    assert end_of_local_date(date(2027, 3, 14), NY) == datetime(2027, 3, 15, 4, tzinfo=UTC)


def test_local_midnight_is_the_site_day_not_the_utc_day() -> None:
    instant = datetime(2027, 6, 1, 2, tzinfo=UTC)  # still 31 May in New York, 1 June in Seoul
    assert local_midnight(instant, NY) == datetime(2027, 5, 31, 4, tzinfo=UTC)
    assert local_midnight(instant, SEOUL) == datetime(2027, 5, 31, 15, tzinfo=UTC)


def test_nearest_midnight_rounds_both_ways() -> None:
    assert nearest_local_midnight(datetime(2027, 6, 1, 9, tzinfo=UTC), NY) == datetime(
        2027, 6, 1, 4, tzinfo=UTC
    )
    assert nearest_local_midnight(datetime(2027, 6, 1, 20, tzinfo=UTC), NY) == datetime(
        2027, 6, 2, 4, tzinfo=UTC
    )


def test_excel_wall_clock_round_trips() -> None:
    wall = datetime(2027, 3, 14, 8, 30)
    assert utc_to_local_naive(local_datetime_to_utc(wall, NY), NY) == wall


@pytest.mark.parametrize("tz_name", [NY, SEOUL, "UTC"])
@given(day=st.dates(date(2026, 1, 1), date(2030, 12, 31)), days=st.integers(0, 400))
def test_adding_days_keeps_local_midnight(tz_name: str, day: date, days: int) -> None:
    start = start_of_local_date(day, tz_name)
    end = add_local_days(start, days, tz_name)
    assert utc_to_local_naive(end, tz_name).time() == datetime.min.time()
    assert local_days_between(start, end, tz_name) == days
