"""Site-local whole days, the unit every planning answer is given in."""

from __future__ import annotations

from datetime import date, datetime

from scheduler_app.localtime import add_local_days, local_midnight, zone


def next_midnight(instant: datetime, tz_name: str) -> datetime:
    """The first site-local midnight at or after ``instant`` (UTC): a start a planner can book."""
    floor = local_midnight(instant, tz_name)
    return floor if floor >= instant else add_local_days(floor, 1, tz_name)


def local_date(instant: datetime, tz_name: str) -> date:
    """The site-local calendar date holding ``instant``."""
    return instant.astimezone(zone(tz_name)).date()


def is_midnight(instant: datetime, tz_name: str) -> bool:
    return local_midnight(instant, tz_name) == instant
