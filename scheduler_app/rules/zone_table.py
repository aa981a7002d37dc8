"""Site-local day arithmetic on numpy arrays of epoch seconds.

The rules compare thousands of gaps against "N site-local days later". Calling
:func:`scheduler_app.localtime.add_local_days` for each would cost more than the whole check may
take, so a :class:`ZoneTable` learns a zone's UTC-offset changes from ``zoneinfo`` (by probing its
public ``utcoffset``) and does the same wall-clock arithmetic, with the same resolution of skipped
and repeated wall-clock times (PEP 495 ``fold=0``), on whole arrays at once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from scheduler_app.localtime import DAY_SECONDS, zone
from scheduler_app.rules import posix_tz
from scheduler_app.rules.posix_tz import DaylightRule

FloatArray = NDArray[np.float64]

_MIN_YEAR, _MAX_YEAR = 1800, 9000


def _offset(tz_name: str, epoch: float) -> float:
    offset = datetime.fromtimestamp(epoch, tz=zone(tz_name)).utcoffset()
    return offset.total_seconds() if offset is not None else 0.0


@lru_cache(maxsize=1024)
def _year_changes(tz_name: str, year: int) -> tuple[tuple[float, float], ...]:
    """``(utc_epoch, offset_after)`` for each offset change during ``year`` (UTC): read from the
    zone's own transition data where the standard library exposes it (each change then checked
    against the public ``utcoffset``), else found by daily probes."""
    listed = _listed_changes(tz_name, year)
    return listed if listed is not None else _probed_changes(tz_name, year)


def _probed_changes(tz_name: str, year: int) -> tuple[tuple[float, float], ...]:
    """Daily probes refined by bisection to the second (real zones never change twice within a
    day): exact, but some 700 ``utcoffset`` calls a year, which a fresh process's first check
    used to spend most of its time on."""
    begin = datetime(year, 1, 1, tzinfo=UTC).timestamp()
    finish = datetime(year + 1, 1, 1, tzinfo=UTC).timestamp()
    changes = []
    before_t, before_off = begin, _offset(tz_name, begin)
    probe = begin
    while probe < finish:
        probe = min(probe + DAY_SECONDS, finish)
        off = _offset(tz_name, probe)
        if off != before_off:
            low, high = before_t, probe
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz_name, middle) == before_off:
                    low = middle
                else:
                    high = middle
            changes.append((high, off))
        before_t, before_off = probe, off
    return tuple(changes)


@lru_cache(maxsize=64)
def _transition_data(tz_name: str) -> tuple[list[float], list[float], DaylightRule | None] | None:
    """The zone's explicit transitions (UTC epochs and the offset after each) and its rule for
    the years after them, read from the same tzdata file ``zoneinfo`` opens, with its own reader
    (``zoneinfo._common``, loaded with ``zoneinfo``); None if that reader is not there or the
    file or its rule will not read."""
    try:
        from zoneinfo import _common, _tzpath

        path = _tzpath.find_tzfile(tz_name)
        with open(path, "rb") if path is not None else _common.load_tzdata(tz_name) as file:
            kinds, moments, offsets, _, _, footer = _common.load_data(file)
        rule = posix_tz.parse(footer.decode()) if footer else None
        return [float(t) for t in moments], [float(offsets[kind]) for kind in kinds], rule
    except Exception:  # noqa: BLE001 - any surprise falls back to probing, which is exact
        return None


def _listed_changes(tz_name: str, year: int) -> tuple[tuple[float, float], ...] | None:
    """``_year_changes`` from the zone's own data; None where that does not check out."""
    return _listed_span(tz_name, year, year)


@lru_cache(maxsize=256)
def _span_changes(tz_name: str, first: int, last: int) -> tuple[tuple[float, float], ...]:
    """The offset changes of the years ``first`` to ``last`` (UTC), found for the whole span at
    once where the zone's own data checks out (the rule worked out once a year, the public
    ``utcoffset`` asked at each change rather than at every new year), else year by year."""
    found = _listed_span(tz_name, first, last)
    if found is not None:
        return found
    return tuple(c for year in range(first, last + 1) for c in _year_changes(tz_name, year))


def _listed_span(tz_name: str, first: int, last: int) -> tuple[tuple[float, float], ...] | None:
    """The changes from January 1 of ``first`` to the end of ``last`` (UTC), read from the
    zone's transition list and its rule, each checked against the public ``utcoffset`` to the
    second (the offset before it and after it), and the offset at the end too; None if the data
    is not there or any of it disagrees."""
    data = _transition_data(tz_name)
    if data is None:
        return None
    moments, offsets, rule = data
    begin = datetime(first, 1, 1, tzinfo=UTC).timestamp()
    finish = datetime(last + 1, 1, 1, tzinfo=UTC).timestamp()
    # The moments are sorted: the span's are found by bisection, not by reading them all.
    lo, hi = bisect_left(moments, begin), bisect_left(moments, finish)
    candidates = list(zip(moments[lo:hi], offsets[lo:hi], strict=True))
    last_listed = moments[-1] if moments else -np.inf
    if rule is not None and finish > last_listed:
        for ruled_year in range(first - 1, last + 2):
            for moment, after in rule.changes(ruled_year):
                if begin <= moment < finish and moment > last_listed:
                    candidates.append((moment, float(after)))
    candidates.sort()
    changes = []
    current = _offset(tz_name, begin)
    for t, off in candidates:
        if off != current:
            changes.append((t, off))
            current = off
    # Every change must be one the public API agrees with, to the second.
    for t, off in changes:
        if _offset(tz_name, t) != off or _offset(tz_name, t - 1) == off:
            return None
    if _offset(tz_name, finish - 1) != current:
        return None
    return tuple(changes)


class ZoneTable:
    """The offset changes of one zone over the years asked about so far, as sorted arrays."""

    def __init__(self, tz_name: str) -> None:
        self.tz_name = tz_name
        self._first_year = 0
        self._last_year = -1
        self._covered = (np.inf, -np.inf)
        self._utc: FloatArray = np.empty(0)
        self._wall0: FloatArray = np.empty(0)
        self._offsets: FloatArray = np.zeros(1)
        # The same as lists, for one instant at a time (bisect on a list beats numpy per call).
        self._utc_list: list[float] = []
        self._wall0_list: list[float] = []
        self._offset_list: list[float] = [0.0]

    def _cover(self, low: float, high: float) -> None:
        if self._covered[0] <= low and high < self._covered[1]:
            return
        first = _year_of(low) - 1
        last = _year_of(high) + 1
        if self._last_year >= 0:
            first, last = min(first, self._first_year), max(last, self._last_year)
        changes = _span_changes(self.tz_name, first, last)
        begin = datetime(first, 1, 1, tzinfo=UTC).timestamp()
        offsets = [_offset(self.tz_name, begin)] + [after for _, after in changes]
        self._utc = np.array([at for at, _ in changes], dtype=np.float64)
        self._offsets = np.array(offsets, dtype=np.float64)
        # A wall-clock time before max(old, new offset) + change resolves to the old offset: for a
        # skipped time that is the offset before the jump, for a repeated time its first pass.
        self._wall0 = self._utc + np.maximum(self._offsets[:-1], self._offsets[1:])
        self._utc_list = self._utc.tolist()
        self._wall0_list = self._wall0.tolist()
        self._offset_list = self._offsets.tolist()
        self._first_year, self._last_year = first, last
        self._covered = (begin, datetime(last + 1, 1, 1, tzinfo=UTC).timestamp())

    def offsets_at(self, instants: FloatArray) -> FloatArray:
        """UTC offset in seconds in force at each instant."""
        if instants.size:
            self._cover(float(instants.min()), float(instants.max()))
        return self._offsets[np.searchsorted(self._utc, instants, side="right")]

    def add_days(
        self,
        instants: FloatArray,
        days: FloatArray,
        bounds: tuple[float, float] | None = None,
        most_days: float | None = None,
    ) -> FloatArray:
        """``add_local_days`` on arrays: each instant plus its days on this zone's wall clock.
        ``bounds`` (lowest, highest instant) and ``most_days`` (largest absolute day count), if
        the caller knows them, save passes over the arrays."""
        if not instants.size:
            return np.empty(0)
        low, high = bounds if bounds is not None else (instants.min(), instants.max())
        if most_days is None:
            most_days = float(max(days.max(), -days.min()))
        span = (most_days + 2) * DAY_SECONDS
        self._cover(float(low) - span, float(high) + span)
        if not self._utc.size:  # one offset all along (Seoul): plain arithmetic
            return instants + days * DAY_SECONDS
        wall = instants + self._offsets[self._utc.searchsorted(instants, side="right")]
        wall += days * DAY_SECONDS
        return wall - self._offsets[self._wall0.searchsorted(wall, side="right")]

    def offset_at(self, instant: float) -> float:
        """:meth:`offsets_at` for one instant."""
        covered = self._covered
        if not covered[0] <= instant < covered[1]:
            self._cover(instant, instant)
        return self._offset_list[bisect_right(self._utc_list, instant)]

    def add_days_at(self, instant: float, days: float) -> float:
        """:meth:`add_days` for one instant, with the same arithmetic (so the same answer)."""
        span = (abs(days) + 2) * DAY_SECONDS
        low, high = instant - span, instant + span
        covered = self._covered
        if not (covered[0] <= low and high < covered[1]):
            self._cover(low, high)
        wall = instant + self._offset_list[bisect_right(self._utc_list, instant)]
        wall += days * DAY_SECONDS
        return wall - self._offset_list[bisect_right(self._wall0_list, wall)]

    def from_wall_at(self, wall: float) -> float:
        """:meth:`from_wall` for one wall-clock time, with the same arithmetic."""
        covered = self._covered
        low, high = wall - 2 * DAY_SECONDS, wall + 2 * DAY_SECONDS
        if not (covered[0] <= low and high < covered[1]):
            self._cover(low, high)
        return wall - self._offset_list[bisect_right(self._wall0_list, wall)]

    def from_wall(self, walls: FloatArray) -> FloatArray:
        """Wall-clock times (seconds since 1970-01-01 00:00 on this zone's clock) as UTC instants,
        a skipped or repeated time read as ``datetime(..., tzinfo=zone)`` reads it (``fold=0``)."""
        if not walls.size:
            return np.empty(0)
        self._cover(float(walls.min()) - 2 * DAY_SECONDS, float(walls.max()) + 2 * DAY_SECONDS)
        return walls - self._offsets[self._wall0.searchsorted(walls, side="right")]


def _year_of(epoch: float) -> int:
    year = int(1970 + epoch // (365.2425 * DAY_SECONDS))
    return min(max(year, _MIN_YEAR), _MAX_YEAR)


@lru_cache(maxsize=64)
def zone_table(tz_name: str) -> ZoneTable:
    """The shared table for a zone; it only ever grows, so sharing it is safe."""
    return ZoneTable(tz_name)
