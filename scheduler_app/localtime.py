"""Site-local calendar arithmetic over UTC instants.

Instants are stored in UTC; day arithmetic is done on the site's wall clock, so a 14-day batch that
starts at local midnight ends at local midnight 14 days later even across a DST change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_SECONDS = 86_400.0


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The zone for an IANA name; raises ``ZoneInfoNotFoundError`` (a KeyError) if unknown."""
    return ZoneInfo(name)


def ensure_utc(instant: datetime) -> datetime:
    """An aware UTC datetime; naive datetimes are taken to be UTC already."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def add_local_days(instant: datetime, days: float, tz_name: str) -> datetime:
    """``instant`` plus ``days`` calendar days on the wall clock of ``tz_name``, in UTC."""
    local = instant.astimezone(zone(tz_name))
    whole = int(days)
    moved = local + timedelta(days=whole)
    if days != whole:
        moved += timedelta(seconds=(days - whole) * DAY_SECONDS)
    # Re-attach the zone so that the offset is the one valid on the new wall-clock date.
    return moved.replace(tzinfo=None).replace(tzinfo=zone(tz_name)).astimezone(UTC)


def local_midnight(instant: datetime, tz_name: str) -> datetime:
    """The start (00:00 local) of the site-local day holding ``instant``, in UTC."""
    local = instant.astimezone(zone(tz_name))
    return datetime.combine(local.date(), time(0), tzinfo=zone(tz_name)).astimezone(UTC)


def nearest_local_midnight(instant: datetime, tz_name: str) -> datetime:
    """The site-local midnight closest to ``instant`` (what a drag snaps to), in UTC."""
    floor = local_midnight(instant, tz_name)
    ceil = add_local_days(floor, 1, tz_name)
    return floor if (instant - floor) <= (ceil - instant) else ceil


def local_datetime_to_utc(wall_clock: datetime, tz_name: str) -> datetime:
    """A naive site-local wall-clock time (as Excel carries it) as a UTC instant."""
    return wall_clock.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def utc_to_local_naive(instant: datetime, tz_name: str) -> datetime:
    """A UTC instant as the naive site-local wall-clock time Excel shows."""
    return instant.astimezone(zone(tz_name)).replace(tzinfo=None)


def start_of_local_date(day: date, tz_name: str) -> datetime:
    """00:00 site-local on ``day``, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone(tz_name)).astimezone(UTC)


def end_of_local_date(day: date, tz_name: str) -> datetime:
    """The end of ``day`` site-local (00:00 of the next day), in UTC: what a due date means."""
    return start_of_local_date(day + timedelta(days=1), tz_name)


def local_days_between(earlier: datetime, later: datetime, tz_name: str) -> float:
    """Calendar days from ``earlier`` to ``later`` on the site's wall clock (may be fractional)."""
    tz = zone(tz_name)
    a = earlier.astimezone(tz).replace(tzinfo=None)
    b = later.astimezone(tz).replace(tzinfo=None)
    return (b - a).total_seconds() / DAY_SECONDS


def to_epoch(instant: datetime) -> float:
    """Seconds since 1970 UTC as a float (what the timeline and the engine's arrays use)."""
    return instant.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
