"""How conflict messages speak: site-local dates, day counts, sizes, in a planner's words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from functools import lru_cache

from scheduler_app.localtime import DAY_SECONDS, local_days_between, zone
from scheduler_app.rules.zone_table import zone_table

_EPOCH_DAY = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=64)
def place(tz_name: str) -> str:
    """``America/New_York`` → ``New York``: the clock a message's dates are read on."""
    return tz_name.rsplit("/", 1)[-1].replace("_", " ")


def local_day(instant: datetime, tz_name: str) -> str:
    """The site-local date, with the time of day only when it is not midnight."""
    local = instant.astimezone(zone(tz_name))
    if local.time() == time(0):
        return local.date().isoformat()
    return local.strftime("%Y-%m-%d %H:%M")


def local_day_at(seconds: float, tz_name: str) -> str:
    """:func:`local_day` of an instant given as epoch seconds, read off the zone's table (several
    times cheaper than converting a datetime, and the cost of a cold check is mostly messages)."""
    wall = seconds + zone_table(tz_name).offset_at(seconds)
    day = int(wall // DAY_SECONDS)
    text = date.fromordinal(day + _EPOCH_DAY).isoformat()
    if wall == day * DAY_SECONDS:
        return text
    minutes = int(wall - day * DAY_SECONDS) // 60
    return f"{text} {minutes // 60:02d}:{minutes % 60:02d}"


def days(count: float) -> str:
    """``1 day``, ``5 days``, ``2.5 days``."""
    rounded = round(count, 1)
    text = f"{rounded:g}"
    return f"{text} day" if rounded == 1 else f"{text} days"


def days_between(earlier: datetime, later: datetime, tz_name: str) -> str:
    """Site-local days from ``earlier`` to ``later``, as :func:`days` says them."""
    return days(local_days_between(earlier, later, tz_name))


def days_between_at(earlier: float, later: float, tz_name: str) -> str:
    """:func:`days_between` of instants given as epoch seconds."""
    table = zone_table(tz_name)
    walls = (later + table.offset_at(later)) - (earlier + table.offset_at(earlier))
    return days(walls / DAY_SECONDS)


def litres(volumes: Iterable[int]) -> str:
    """``2,000 L``, ``5,000 and 15,000 L``: every scale in a list."""
    return _join([f"{v:,}" for v in sorted(volumes)], "and") + " L"


def litres_any(volumes: Iterable[int]) -> str:
    """``5,000 or 15,000 L``: any one scale of a list."""
    return _join([f"{v:,}" for v in sorted(volumes)], "or") + " L"


def campaign_list(ids: Sequence[str], most: int = 5) -> str:
    """``CMP-0001, CMP-0002``: every ID when there are at most ``most``, else the first ``most``
    and how many more (``… and 995 more``), so that a cluster of thousands stays one short line."""
    if len(ids) <= most:
        return ", ".join(ids)
    return ", ".join(ids[:most]) + f" and {len(ids) - most:,} more"


def campaign_list_within(ids: Sequence[str], limit: int) -> str:
    """Every ID, comma-separated, when that fits in ``limit`` characters; else as many of the
    first as fit with how many more (for a cell with a length limit)."""
    whole = ", ".join(ids)
    if len(whole) <= limit:
        return whole
    used, kept = len(" and 9,999,999 more"), 0
    for campaign_id in ids:
        used += len(campaign_id) + 2
        if used > limit:
            break
        kept += 1
    return campaign_list(ids, kept)


def _join(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]
