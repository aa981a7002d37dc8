from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.localtime import add_local_days, start_of_local_date, zone
from scheduler_app.rules.zone_table import ZoneTable

ZONES = [
    "America/New_York",
    "Asia/Seoul",
    "Europe/London",
    "Australia/Lord_Howe",  # 30-minute DST
    "Antarctica/Troll",  # 2-hour DST
    "Pacific/Apia",  # skipped 2011-12-30 entirely
]
# DST changes and the like, where wall-clock times are skipped or repeated.
EDGES = [
    datetime(2027, 3, 14, 7, tzinfo=UTC),
    datetime(2027, 11, 7, 6, tzinfo=UTC),
    datetime(2027, 3, 28, 1, tzinfo=UTC),
    datetime(2027, 10, 31, 1, tzinfo=UTC),
    datetime(2027, 4, 3, 15, tzinfo=UTC),
    datetime(2027, 10, 2, 15, tzinfo=UTC),
    datetime(2011, 12, 30, 10, tzinfo=UTC),
]


@given(
    tz=st.sampled_from(ZONES),
    edge=st.sampled_from(EDGES),
    minutes=st.integers(-3 * 24 * 60, 3 * 24 * 60),
    days=st.integers(-40, 40),
    seconds=st.sampled_from([0, 0, 0, 1, 59, 1800]),
)
def test_add_days_matches_add_local_days_near_offset_changes(
    tz: str, edge: datetime, minutes: int, days: int, seconds: int
) -> None:
    target = edge + timedelta(minutes=minutes, seconds=seconds)
    instant = target - timedelta(days=days)
    table = ZoneTable(tz)

    got = table.add_days(np.array([instant.timestamp()]), np.array([float(days)]))

    assert got[0] == add_local_days(instant, days, tz).timestamp()
    # A fresh table answers one instant the same way, and so does the one that did the array.
    expected = add_local_days(instant, days, tz).timestamp()
    assert ZoneTable(tz).add_days_at(instant.timestamp(), days) == expected
    assert table.add_days_at(instant.timestamp(), days) == expected
    offset = instant.astimezone(zone(tz)).utcoffset()
    assert offset is not None
    assert ZoneTable(tz).offset_at(instant.timestamp()) == offset.total_seconds()


@given(
    tz=st.sampled_from(ZONES),
    seconds=st.lists(st.integers(0, 60 * 365 * 86400), min_size=1, max_size=30),
    days=st.integers(0, 30),
)
def test_add_days_over_decades(tz: str, seconds: list[int], days: int) -> None:
    base = datetime(1995, 1, 1, tzinfo=UTC)
    instants = [base + timedelta(seconds=s) for s in seconds]
    table = ZoneTable(tz)

    got = table.add_days(np.array([i.timestamp() for i in instants]), np.full(len(instants), days))

    assert got.tolist() == [add_local_days(i, days, tz).timestamp() for i in instants]


def test_offsets_at_new_york() -> None:
    table = ZoneTable("America/New_York")
    instants = [datetime(2027, 1, 15, tzinfo=UTC), datetime(2027, 7, 15, tzinfo=UTC)]

    got = table.offsets_at(np.array([i.timestamp() for i in instants]))

    assert got.tolist() == [-5 * 3600, -4 * 3600]


@given(
    tz=st.sampled_from([*ZONES, "America/Havana", "America/Santiago", "Asia/Beirut"]),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
)
def test_from_wall_reads_local_midnight_like_zoneinfo(tz: str, day: date) -> None:
    wall = (day - date(1970, 1, 1)).days * 86_400.0

    got = ZoneTable(tz).from_wall(np.array([wall]))

    assert got[0] == start_of_local_date(day, tz).timestamp()


ZONES_WITH_ODD_HISTORIES = [
    "America/New_York",
    "Asia/Seoul",
    "Asia/Gaza",  # changes less than a week apart around Ramadan in coming years
    "America/Noronha",  # two changes a week apart in 2000
    "Africa/Casablanca",  # DST suspended for Ramadan
    "Australia/Lord_Howe",  # half-hour DST
    "Antarctica/Troll",  # two-hour DST
    "Europe/Dublin",  # negative DST in the data
]


def test_offset_changes_read_from_tzdata_equal_daily_probing() -> None:
    """The fast path (the zone's own transition list and rule, each change checked against the
    public utcoffset) finds exactly what probing every day finds, across odd zones and years."""
    from scheduler_app.rules.zone_table import _listed_changes, _probed_changes

    for tz_name in ZONES_WITH_ODD_HISTORIES:
        for year in (*range(1996, 2004), *range(2024, 2060, 3), 2087):
            listed = _listed_changes(tz_name, year)
            assert listed is not None, (tz_name, year)
            assert listed == _probed_changes(tz_name, year), (tz_name, year)


def test_a_span_of_years_read_at_once_equals_its_years_read_one_by_one() -> None:
    """The table covers the years a schedule spans in one go (the rule worked out once a year,
    utcoffset asked at the changes only): the same changes as the years read one at a time."""
    from scheduler_app.rules.zone_table import _listed_span, _year_changes

    for tz_name in ZONES_WITH_ODD_HISTORIES:
        for first, last in ((1995, 2005), (2024, 2077), (2036, 2040), (2087, 2087)):
            span = _listed_span(tz_name, first, last)
            assert span is not None, (tz_name, first, last)
            years = tuple(
                c for year in range(first, last + 1) for c in _year_changes(tz_name, year)
            )
            assert span == years, (tz_name, first, last)


def test_a_span_that_does_not_check_out_is_read_year_by_year(monkeypatch) -> None:
    from scheduler_app.rules import zone_table

    monkeypatch.setattr(zone_table, "_listed_span", lambda tz_name, first, last: None)
    zone_table._span_changes.cache_clear()
    try:
        found = zone_table._span_changes("America/New_York", 2030, 2032)
        assert found == tuple(
            c
            for year in (2030, 2031, 2032)
            for c in zone_table._probed_changes("America/New_York", year)
        )
        assert len(found) == 6
    finally:
        zone_table._span_changes.cache_clear()


def test_no_year_needs_the_reference_zoneinfo_reader() -> None:
    """The reference zoneinfo reader (and the calendar module it imports) cost a fresh process's
    first check more than the check itself; the tzdata file's own list and its footer rule,
    read here, cover the years before and after its last listed transition."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np; from scheduler_app.rules.zone_table import zone_table; "
        "zone_table('America/New_York').offsets_at(np.array([1.8e9, 2.6e9, 3.5e9])); "
        "zone_table('Australia/Lord_Howe').offsets_at(np.array([2.6e9])); "
        "print('zoneinfo._zoneinfo' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_posix_rules_give_the_changes_zoneinfo_makes() -> None:
    """Footer rules of each form (Mm.w.d with a last week, a time past midnight, Jn and n days,
    negative daylight time) against the offsets the standard library reports."""
    from scheduler_app.rules import posix_tz

    cases = {
        "America/New_York": "EST5EDT,M3.2.0,M11.1.0",
        "Europe/Dublin": "IST-1GMT0,M10.5.0,M3.5.0/1",
        "Asia/Gaza": "EET-2EEST,M3.4.4/50,M10.4.4/50",
        "Australia/Lord_Howe": "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
    }
    for tz_name, text in cases.items():
        rule = posix_tz.parse(text)
        assert rule is not None
        for year in (2045, 2052, 2096):
            for moment, after in rule.changes(year):
                at = datetime.fromtimestamp(moment, tz=zone(tz_name))
                before = datetime.fromtimestamp(moment - 1, tz=zone(tz_name))
                assert at.utcoffset() == timedelta(seconds=after), (tz_name, year)
                assert before.utcoffset() != at.utcoffset(), (tz_name, year)
    assert posix_tz.parse("KST-9") is None
    julian = posix_tz.parse("AAA3BBB,J60/0,300/0")
    assert julian is not None
    (start, _), (end, _) = julian.changes(2028)  # a leap year: J60 is 1 March, day 300 27 October
    assert datetime.fromtimestamp(start + julian.std, UTC).date() == date(2028, 3, 1)
    assert datetime.fromtimestamp(end + julian.dst, UTC).date() == date(2028, 10, 27)
    with pytest.raises(ValueError):
        posix_tz.parse("EST5EDT")  # daylight time without dates
