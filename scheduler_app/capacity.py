"""Monthly capacity per site, suite or bioreactor: how busy the production bioreactors are and
how many litres are booked.

Utilisation is bioreactor-days occupied by campaigns (batches and the turnarounds between them)
over bioreactor-days available, counted on each site's own calendar. Only production bioreactors
count: seed bioreactors and downstream trains hold no campaigns, so they are not capacity. A
bioreactor is available from the later of its own and its site's available-from date, less the
time maintenance windows take it down (its own, its suite's and its site's windows, overlapping
windows counted once). Booked litres are batches × working volume, each batch counted in the
month it starts. Cancelled campaigns are ignored, as the rules ignore them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule

Month = date
"""The first day of a calendar month."""


class Level(StrEnum):
    """What one row of the capacity figures adds up."""

    SITE = "Site"
    SUITE = "Suite"
    BIOREACTOR = "Bioreactor"


@dataclass(frozen=True, slots=True)
class MonthCapacity:
    """One site, suite or bioreactor (``unit``, standing at ``site``) in one month.
    ``available_days`` are the days it may run, maintenance already taken off; ``down_days`` are
    the days maintenance took off. ``utilisation_pct`` is ``None`` when nothing is available
    (a site before it opens, a bioreactor shut down all month); it may exceed 100 when campaigns
    overlap each other or a shutdown."""

    unit: str
    site: SiteCode
    month: Month
    available_days: float
    occupied_days: float
    booked_litres: int
    down_days: float = 0.0

    @property
    def utilisation_pct(self) -> float | None:
        if self.available_days <= 0:
            return None
        return 100.0 * self.occupied_days / self.available_days


def month_of(day: date | datetime) -> Month:
    return date(day.year, day.month, 1)


def next_month(month: Month) -> Month:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    out = []
    month = month_of(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def _split_by_month(begin: datetime, end: datetime) -> Iterable[tuple[Month, float]]:
    """Days of the naive wall-clock interval ``[begin, end)`` that fall in each month."""
    month = month_of(begin)
    while True:
        month_start = datetime(month.year, month.month, 1)
        following = next_month(month)
        month_end = datetime(following.year, following.month, 1)
        overlap = (min(end, month_end) - max(begin, month_start)).total_seconds() / 86_400.0
        if overlap > 0:
            yield month, overlap
        if end <= month_end:
            return
        month = following


def bioreactor_usage(
    schedule: Schedule, code: BioreactorCode, campaigns: Iterable[Campaign] | None = None
) -> dict[Month, tuple[float, int]]:
    """Occupied days and booked litres per month on one bioreactor; ``campaigns`` are the ones
    on it, if the caller has already grouped them."""
    reactor = schedule.bioreactors[code]
    tz_name = schedule.time_zone_of(code)
    usage: dict[Month, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for campaign in schedule.campaigns_on(code) if campaigns is None else campaigns:
        if campaign.status is Status.CANCELLED:
            continue
        _add_campaign(usage, campaign, tz_name, reactor.working_volume_l)
    return {month: (days, int(litres)) for month, (days, litres) in usage.items()}


def _add_campaign(
    usage: dict[Month, list[float]], campaign: Campaign, tz_name: str, volume_l: int
) -> None:
    begin = utc_to_local_naive(campaign.start, tz_name)
    end = begin + timedelta(days=campaign.duration_days)
    for month, days in _split_by_month(begin, end):
        usage[month][0] += days
    step = timedelta(days=campaign.batch_days + campaign.turnaround_days)
    for index in range(campaign.batches):
        usage[month_of(begin + index * step)][1] += volume_l


def opening_date(schedule: Schedule, code: BioreactorCode) -> date | None:
    """The later of the bioreactor's and its site's available-from dates."""
    reactor = schedule.bioreactors[code]
    site = schedule.site_of(code)
    return max((d for d in (reactor.available_from, site.available_from) if d), default=None)


def down_spans(schedule: Schedule, code: BioreactorCode) -> list[tuple[datetime, datetime]]:
    """The maintenance windows that take the bioreactor down, as wall-clock intervals on its
    site's calendar, sorted, with overlapping or touching windows merged."""
    tz_name = schedule.time_zone_of(code)
    spans = sorted(
        (utc_to_local_naive(window.start, tz_name), utc_to_local_naive(window.end, tz_name))
        for window in schedule.maintenance_for(code)
    )
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > begin:
            merged.append((begin, end))
    return merged


def available_days(schedule: Schedule, code: BioreactorCode, month: Month) -> float:
    """Days of ``month`` on which the bioreactor may run: open, and not down for maintenance."""
    return _open_and_down(opening_date(schedule, code), down_spans(schedule, code), month)[0]


def _open_and_down(
    opens: date | None, down: list[tuple[datetime, datetime]], month: Month
) -> tuple[float, float]:
    """(available days, days lost to maintenance) of ``month``; maintenance before the opening
    date is not counted twice."""
    first = month if opens is None else max(month, opens)
    following = next_month(month)
    open_days = float(max((following - first).days, 0))
    if open_days == 0:
        return 0.0, 0.0
    begin = datetime(first.year, first.month, first.day)
    end = datetime(following.year, following.month, 1)
    lost = sum(
        max((min(stop, end) - max(start, begin)).total_seconds(), 0.0) for start, stop in down
    )
    lost_days = lost / 86_400.0
    return open_days - lost_days, lost_days


Unit = tuple[str, SiteCode, list[BioreactorCode]]
"""A row of the figures: its name, its site and the production bioreactors it adds up."""


def units(schedule: Schedule, level: Level) -> list[Unit]:
    """The sites, suites or bioreactors of ``level`` in display order, each with its production
    bioreactors. Every site is listed (a site without production bioreactors has nothing
    available); a suite only when it holds a production bioreactor."""
    found: dict[str, Unit] = {}
    if level is Level.SITE:
        for site in schedule.sites_in_order():
            found[site.code] = (site.code, site.code, [])
    for reactor in schedule.production_bioreactors():
        site_code = schedule.suites[reactor.suite].site
        name = {Level.SITE: site_code, Level.SUITE: reactor.suite}.get(level, reactor.code)
        found.setdefault(name, (name, site_code, []))[2].append(reactor.code)
    return list(found.values())


class CapacityTracker:
    """Keeps per-bioreactor monthly usage and recomputes only the bioreactors a change touched,
    so that a chart can follow every edit without rescanning the whole schedule."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._usage: dict[BioreactorCode, dict[Month, tuple[float, int]]] = {}
        self._sums: dict[tuple[Level, SiteCode, str, Month, Month], list[MonthCapacity]] = {}
        # Available days depend on master data and maintenance only, which a full update()
        # re-reads.
        self._available: dict[tuple[BioreactorCode, Month], tuple[float, float]] = {}
        self._down: dict[BioreactorCode, list[tuple[datetime, datetime]]] = {}
        self.update()

    def update(self, bioreactors: Iterable[str] | None = None) -> None:
        """Recompute ``bioreactors`` (all when ``None``, which also re-reads master data and
        maintenance); forget bioreactors that are gone or no longer production."""
        production = {reactor.code for reactor in self.schedule.production_bioreactors()}
        codes = list(production if bioreactors is None else bioreactors)
        grouped: dict[str, list[Campaign]] = {code: [] for code in codes}
        if len(codes) > 1:
            # One pass over the schedule instead of one per bioreactor.
            for campaign in self.schedule.campaigns.values():
                found = grouped.get(campaign.bioreactor)
                if found is not None:
                    found.append(campaign)
        for code in codes:
            reactor_code = BioreactorCode(code)
            if reactor_code in production:
                on_it = grouped[code] if len(codes) > 1 else None
                self._usage[reactor_code] = bioreactor_usage(self.schedule, reactor_code, on_it)
            else:
                self._usage.pop(reactor_code, None)
        for gone in set(self._usage) - production:
            del self._usage[gone]
        if bioreactors is None:
            self._sums.clear()
            self._available.clear()
            self._down.clear()
            return
        stale = set()
        for code in codes:
            reactor = self.schedule.bioreactors.get(BioreactorCode(code))
            suite = self.schedule.suites.get(reactor.suite) if reactor else None
            stale.add(suite.site if suite else None)
        if None in stale:
            self._sums.clear()
        for key in [key for key in self._sums if key[1] in stale]:
            del self._sums[key]

    def span(self) -> tuple[Month, Month] | None:
        """First and last month with any booking, or ``None`` for an empty schedule."""
        months = [month for usage in self._usage.values() for month in usage]
        return (min(months), max(months)) if months else None

    def by_site(
        self, first: Month | None = None, last: Month | None = None
    ) -> dict[SiteCode, list[MonthCapacity]]:
        """:meth:`by_level` for sites (the running site first, as the timeline shows them)."""
        return {
            SiteCode(name): rows for name, rows in self.by_level(Level.SITE, first, last).items()
        }

    def by_level(
        self, level: Level, first: Month | None = None, last: Month | None = None
    ) -> dict[str, list[MonthCapacity]]:
        """Per site, suite or bioreactor (in display order), one entry per month from ``first``
        to ``last`` (default: the span of the bookings). Units at sites no change touched since
        the last call over the same months are not summed again."""
        span = self.span()
        if first is None or last is None:
            if span is None:
                return {name: [] for name, _site, _codes in units(self.schedule, level)}
            first, last = first or span[0], last or span[1]
        months = months_between(first, last)
        out: dict[str, list[MonthCapacity]] = {}
        for name, site_code, codes in units(self.schedule, level):
            key = (level, site_code, name, first, last)
            cached = self._sums.get(key)
            if cached is None:
                cached = self._sums[key] = self._sum(name, site_code, codes, months)
            out[name] = cached
        return out

    def _sum(
        self, name: str, site_code: SiteCode, codes: list[BioreactorCode], months: list[Month]
    ) -> list[MonthCapacity]:
        rows = []
        for month in months:
            occupied = available = down = 0.0
            litres = 0
            for code in codes:
                days, booked = self._usage.get(code, {}).get(month, (0.0, 0))
                occupied += days
                litres += booked
                free, lost = self._available_of(code, month)
                available += free
                down += lost
            rows.append(MonthCapacity(name, site_code, month, available, occupied, litres, down))
        return rows

    def _available_of(self, code: BioreactorCode, month: Month) -> tuple[float, float]:
        found = self._available.get((code, month))
        if found is None:
            down = self._down.get(code)
            if down is None:
                down = self._down[code] = down_spans(self.schedule, code)
            opens = opening_date(self.schedule, code)
            found = self._available[(code, month)] = _open_and_down(opens, down, month)
        return found


def monthly_capacity(
    schedule: Schedule,
    first: Month | None = None,
    last: Month | None = None,
    level: Level = Level.SITE,
) -> dict[str, list[MonthCapacity]]:
    """One-shot monthly capacity per unit of ``level`` (see :class:`CapacityTracker` to follow
    changes)."""
    return CapacityTracker(schedule).by_level(level, first, last)
