from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.rules import wording

ZONES = ["America/New_York", "Asia/Seoul", "Europe/London", "Australia/Lord_Howe"]


@given(
    tz=st.sampled_from(ZONES),
    instant=st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
    ),
    whole=st.booleans(),
)
def test_local_day_at_reads_the_date_like_the_datetime_version(
    tz: str, instant: datetime, whole: bool
) -> None:
    if whole:
        instant = instant.replace(microsecond=0)

    assert wording.local_day_at(instant.timestamp(), tz) == wording.local_day(instant, tz)


@given(
    tz=st.sampled_from(ZONES),
    earlier=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
    ),
    seconds=st.integers(-90 * 86_400, 90 * 86_400),
)
def test_days_between_at_counts_like_the_datetime_version(
    tz: str, earlier: datetime, seconds: int
) -> None:
    earlier = earlier.replace(microsecond=0)
    later = earlier + timedelta(seconds=seconds)

    got = wording.days_between_at(earlier.timestamp(), later.timestamp(), tz)

    assert got == wording.days_between(earlier, later, tz)


def test_local_day_at_shows_the_time_only_off_midnight() -> None:
    midnight = datetime(2027, 3, 14, 5, tzinfo=UTC)  # 00:00 in New York, the day DST starts
    assert wording.local_day_at(midnight.timestamp(), "America/New_York") == "2027-03-14"
    later = midnight + timedelta(hours=3, minutes=7, seconds=59)  # 04:07 after the jump
    assert wording.local_day_at(later.timestamp(), "America/New_York") == "2027-03-14 04:07"


def test_campaign_list_names_a_few_and_counts_the_rest() -> None:
    ids = [f"CMP-{n:04d}" for n in range(1, 1001)]

    assert wording.campaign_list(ids[:3]) == "CMP-0001, CMP-0002, CMP-0003"
    assert wording.campaign_list(ids[:5]) == "CMP-0001, CMP-0002, CMP-0003, CMP-0004, CMP-0005"
    assert wording.campaign_list(ids) == (
        "CMP-0001, CMP-0002, CMP-0003, CMP-0004, CMP-0005 and 995 more"
    )


def test_campaign_list_within_keeps_every_id_that_fits_a_cell() -> None:
    ids = [f"CMP-{n:05d}" for n in range(1, 10_001)]

    assert wording.campaign_list_within(ids[:100], 32_767) == ", ".join(ids[:100])
    text = wording.campaign_list_within(ids, 32_767)
    assert len(text) <= 32_767
    shown = text.split(" and ")[0].split(", ")
    assert shown == ids[: len(shown)]
    assert len(shown) > 2_500
    assert text.endswith(f" and {10_000 - len(shown):,} more")
