"""The rule a tzdata file gives for the years after its last listed transition: the POSIX TZ
string in its footer (RFC 8536, section 3.3), such as ``EST5EDT,M3.2.0,M11.1.0``.

:mod:`scheduler_app.rules.zone_table` needs the two offset changes such a rule makes in a year.
CPython's reference reader of these files brings ``calendar`` and more with it, which cost a
fresh process's first conflict check more than the check itself; this reads the rule alone.
Every change found here is checked against the public ``utcoffset`` before it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_EPOCH_DAY = date(1970, 1, 1).toordinal()
_DAY = 86_400
_NAME = r"(?:<[^>]*>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?"
_WHEN = r"(J\d{1,3}|\d{1,3}|M\d{1,2}\.\d\.\d)"
_RULE = re.compile(
    rf"{_NAME}{_OFFSET}"
    rf"(?:({_NAME})(?:{_OFFSET})?(?:,{_WHEN}(?:/{_OFFSET})?,{_WHEN}(?:/{_OFFSET})?)?)?"
)


@dataclass(frozen=True)
class DaylightRule:
    """Standard and daylight offsets (seconds east of UTC) and when daylight time starts (on the
    standard wall clock) and ends (on the daylight wall clock): a day and a time of day."""

    std: int
    dst: int
    start: tuple[str, int]
    end: tuple[str, int]

    def changes(self, year: int) -> tuple[tuple[float, int], tuple[float, int]]:
        """``(UTC epoch, offset after)`` of the start and of the end of daylight time in
        ``year`` (worked out once per rule and year: a zone table asks for each year three
        times, as the year before, the year and the year after the one it covers)."""
        return _changes(self, year)

    def _work_out(self, year: int) -> tuple[tuple[float, int], tuple[float, int]]:
        start_day, start_time = self.start
        end_day, end_time = self.end
        start = (_day(year, start_day) - _EPOCH_DAY) * _DAY + start_time - self.std
        end = (_day(year, end_day) - _EPOCH_DAY) * _DAY + end_time - self.dst
        return (float(start), self.dst), (float(end), self.std)


@lru_cache(maxsize=1024)
def _changes(rule: DaylightRule, year: int) -> tuple[tuple[float, int], tuple[float, int]]:
    return rule._work_out(year)


def parse(text: str) -> DaylightRule | None:
    """The daylight rule of a POSIX TZ string; None when it has no daylight time (``KST-9``).
    Raises ``ValueError`` for a string it cannot read, or daylight time without dates."""
    found = _RULE.fullmatch(text)
    if found is None:
        raise ValueError(f"not a POSIX TZ string: {text!r}")
    parts = found.groups()
    std = -_seconds(*parts[0:4])
    if parts[4] is None:
        return None
    dst = -_seconds(*parts[5:9]) if parts[6] is not None else std + 3600
    if parts[9] is None:
        raise ValueError(f"daylight time without dates: {text!r}")
    start_time = _seconds(*parts[10:14]) if parts[11] is not None else 7200
    end_time = _seconds(*parts[15:19]) if parts[16] is not None else 7200
    return DaylightRule(std, dst, (parts[9], start_time), (parts[14], end_time))


def _seconds(sign: str | None, hours: str, minutes: str | None, seconds: str | None) -> int:
    total = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return -total if sign == "-" else total


def _day(year: int, when: str) -> int:
    """The proleptic ordinal of ``when`` in ``year``: ``Jn`` (1-365, February 29 never
    counted), ``n`` (0-365, counted) or ``Mm.w.d`` (weekday d, Sunday 0, of week w, 5 the last,
    of month m)."""
    first = date(year, 1, 1).toordinal()
    if when.startswith("J"):
        number = int(when[1:])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return first + number - 1 + (1 if leap and number >= 60 else 0)
    if not when.startswith("M"):
        return first + int(when)
    month, week, weekday = (int(part) for part in when[1:].split("."))
    start = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    length = following.toordinal() - start.toordinal()
    day = 1 + (weekday - (start.weekday() + 1) % 7) % 7 + (week - 1) * 7
    while day > length:
        day -= 7
    return start.toordinal() + day - 1
