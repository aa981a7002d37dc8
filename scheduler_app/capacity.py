"""Monthly capacity per site: how busy the bioreactors are and how many litres are booked.

Utilisation is bioreactor-days occupied by campaigns (batches and the turnarounds between them)
over bioreactor-days available, counted on each site's own calendar; a bioreactor counts as
available from the later of its own and its site's available-from date. Booked litres are
batches × working volume, each batch counted in the month it starts. Cancelled campaigns are
ignored, as the rules ignore them. Maintenance windows do not reduce the available days: a
shutdown shows as a dip in utilisation, which is what planners expect to see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule

Month = date
"""The first day of a calendar month."""


@dataclass(frozen=True, slots=True)
class MonthCapacity:
    """One site in one month. ``utilisation_pct`` is ``None`` when no bioreactor is available
    (a site before it opens); it may exceed 100 when campaigns overlap."""

    site: SiteCode
    month: Month
    available_days: float
    occupied_days: float
    booked_litres: int

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


def available_days(schedule: Schedule, code: BioreactorCode, month: Month) -> float:
    """Calendar days of ``month`` on which the bioreactor may run."""
    return _days_open(opening_date(schedule, code), month)


def _days_open(opens: date | None, month: Month) -> float:
    first = month if opens is None else max(month, opens)
    return float(max((next_month(month) - first).days, 0))


class CapacityTracker:
    """Keeps per-bioreactor monthly usage and recomputes only the bioreactors a change touched,
    so that a chart can follow every edit without rescanning the whole schedule."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._usage: dict[BioreactorCode, dict[Month, tuple[float, int]]] = {}
        self._sums: dict[tuple[SiteCode, Month, Month], list[MonthCapacity]] = {}
        # Available days depend on master data only, which a full update() re-reads.
        self._available: dict[tuple[SiteCode, Month], float] = {}
        self.update()

    def update(self, bioreactors: Iterable[str] | None = None) -> None:
        """Recompute ``bioreactors`` (all when ``None``); forget bioreactors that are gone."""
        codes = list(self.schedule.bioreactors if bioreactors is None else bioreactors)
        grouped: dict[str, list[Campaign]] = {code: [] for code in codes}
        if len(codes) > 1:
            # One pass over the schedule instead of one per bioreactor.
            for campaign in self.schedule.campaigns.values():
                found = grouped.get(campaign.bioreactor)
                if found is not None:
                    found.append(campaign)
        for code in codes:
            reactor_code = BioreactorCode(code)
            if reactor_code in self.schedule.bioreactors:
                on_it = grouped[code] if len(codes) > 1 else None
                self._usage[reactor_code] = bioreactor_usage(self.schedule, reactor_code, on_it)
            else:
                self._usage.pop(reactor_code, None)
        for gone in set(self._usage) - set(self.schedule.bioreactors):
            del self._usage[gone]
        if bioreactors is None:
            self._sums.clear()
            self._available.clear()
            return
        stale = set()
        for code in codes:
            reactor = self.schedule.bioreactors.get(BioreactorCode(code))
            suite = self.schedule.suites.get(reactor.suite) if reactor else None
            stale.add(suite.site if suite else None)
        if None in stale:
            self._sums.clear()
        for key in [key for key in self._sums if key[0] in stale]:
            del self._sums[key]

    def span(self) -> tuple[Month, Month] | None:
        """First and last month with any booking, or ``None`` for an empty schedule."""
        months = [month for usage in self._usage.values() for month in usage]
        return (min(months), max(months)) if months else None

    def by_site(
        self, first: Month | None = None, last: Month | None = None
    ) -> dict[SiteCode, list[MonthCapacity]]:
        """Per site (running site first, as the timeline shows them), one entry per month from
        ``first`` to ``last`` (default: the span of the bookings). Sites no change touched since
        the last call over the same months are not summed again."""
        span = self.span()
        if first is None or last is None:
            if span is None:
                return {site.code: [] for site in self.schedule.sites_in_order()}
            first, last = first or span[0], last or span[1]
        months = months_between(first, last)
        out: dict[SiteCode, list[MonthCapacity]] = {}
        for site_code in (site.code for site in self.schedule.sites_in_order()):
            cached = self._sums.get((site_code, first, last))
            if cached is not None:
                out[site_code] = cached
                continue
            reactors = [
                (code, opening_date(self.schedule, code), self._usage.get(code, {}))
                for code, reactor in self.schedule.bioreactors.items()
                if self.schedule.suites[reactor.suite].site == site_code
            ]
            rows = []
            for month in months:
                occupied = 0.0
                litres = 0
                for _code, _opens, usage in reactors:
                    days, booked = usage.get(month, (0.0, 0))
                    occupied += days
                    litres += booked
                available = self._available.get((site_code, month))
                if available is None:
                    available = sum(_days_open(opens, month) for _code, opens, _ in reactors)
                    self._available[(site_code, month)] = available
                rows.append(MonthCapacity(site_code, month, available, occupied, litres))
            out[site_code] = self._sums[(site_code, first, last)] = rows
        return out


def monthly_capacity(
    schedule: Schedule, first: Month | None = None, last: Month | None = None
) -> dict[SiteCode, list[MonthCapacity]]:
    """One-shot monthly capacity per site (see :class:`CapacityTracker` to follow changes)."""
    return CapacityTracker(schedule).by_site(first, last)
