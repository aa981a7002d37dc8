"""The demo's booking helper for shared units: which seed bioreactors and downstream trains each
production bioreactor draws on, what they are already busy with, and the first start at which a
campaign finds one free for every batch (or, for a deliberate conflict, finds them all busy).

Counts are per pool (the set of units serving a bioreactor), in site-local days, the way the
demo's plants are built: each suite's seeds serve that suite, each site's trains its suites."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from scheduler_app.equipment import EquipmentRole
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule

if TYPE_CHECKING:
    from scheduler_app.demo_campaigns import Booking

Interval = tuple[date, date]
_SEARCH_DAYS = 500


class Pools:
    def __init__(self, schedule: Schedule) -> None:
        self._keys: dict[tuple[str, EquipmentRole], frozenset[str]] = {}
        for reactor in schedule.production_bioreactors():
            for role in (EquipmentRole.SEED, EquipmentRole.DOWNSTREAM):
                units = schedule.serving(role, reactor.code)
                self._keys[reactor.code, role] = frozenset(u.code for u in units)
        self._busy: dict[frozenset[str], list[Interval]] = defaultdict(list)
        # A unit under maintenance (its own, its suite's or its site's) counts as busy.
        self._down: dict[frozenset[str], list[Interval]] = defaultdict(list)
        for pool in set(self._keys.values()):
            for code in pool:
                self._down[pool].extend(_down(schedule, code))
        self.misses = 0
        self.missed: list[tuple[str, str, date]] = []
        """Bookings that found no start with free shared units (the demo keeps this at 0)."""

    def windows(
        self, product: Product, batches: int, start: date
    ) -> dict[EquipmentRole, list[Interval]]:
        """Seed windows ``[batch start − seed days, batch start)`` and harvest windows ``[batch
        end, batch end + harvest days)`` of each batch."""
        step = product.batch_days + product.turnaround_days
        out: dict[EquipmentRole, list[Interval]] = {
            EquipmentRole.SEED: [],
            EquipmentRole.DOWNSTREAM: [],
        }
        for index in range(batches):
            begin = start + timedelta(days=index * step)
            end = begin + timedelta(days=product.batch_days)
            if product.seed_days:
                out[EquipmentRole.SEED].append((begin - timedelta(days=product.seed_days), begin))
            if product.harvest_days:
                out[EquipmentRole.DOWNSTREAM].append(
                    (end, end + timedelta(days=product.harvest_days))
                )
        return out

    def fits(
        self, reactor: str, role: EquipmentRole, wanted: list[Interval], down: bool = True
    ) -> bool:
        """Whether every window finds a free unit; ``down`` False ignores maintenance (other
        campaigns alone)."""
        pool = self._keys.get((reactor, role), frozenset())
        if not wanted:
            return True
        if not pool:
            return True  # nothing serves this bioreactor: nothing to count
        busy = self._busy[pool] + (self._down[pool] if down else [])
        return all(_peak(busy, window) + 1 <= len(pool) for window in wanted)

    def down_during(self, reactor: str, role: EquipmentRole, wanted: list[Interval]) -> bool:
        pool = self._keys.get((reactor, role), frozenset())
        return any(_peak(self._down[pool], window) for window in wanted)

    def take(self, reactor: str, product: Product, batches: int, start: date) -> None:
        for role, wanted in self.windows(product, batches, start).items():
            pool = self._keys.get((reactor, role), frozenset())
            if pool:
                self._busy[pool].extend(wanted)

    def first_fit(
        self,
        reactor: str,
        product: Product,
        booking: Booking,
        start: date,
        maintenance: list[Interval],
        days: int,
    ) -> date:
        """The first start from ``start`` clear of maintenance where every batch finds a free
        seed bioreactor and downstream train, except the one ``booking.breaks`` (which must be
        busy). ``start`` itself when nothing fits within the search horizon."""
        from scheduler_app.demo_campaigns import clear_of

        candidate = start
        for _ in range(_SEARCH_DAYS):
            candidate = clear_of(maintenance, candidate, days)
            windows = self.windows(product, booking.batches, candidate)
            ok = True
            for role, wanted in windows.items():
                if booking.breaks == role.value.lower():
                    # Busy because of other campaigns, not a shutdown: the story in its note.
                    ok = ok and not self.fits(reactor, role, wanted, down=False)
                    ok = ok and self.fits(reactor, role, wanted[1:])
                    ok = ok and not self.down_during(reactor, role, wanted)
                elif not self.fits(reactor, role, wanted):
                    ok = False
            if ok:
                return candidate
            candidate += timedelta(days=1)
        self.misses += 1
        self.missed.append((reactor, product.code, start))
        return start

    def forced(self, reactor: str, product: Product, batches: int, choices: list[date]) -> date:
        """The first of ``choices`` (a deliberate placement and its near alternatives) at which
        the shared units are free, so that the booking breaks only the rule it is meant to."""
        for choice in choices:
            windows = self.windows(product, batches, choice)
            if all(self.fits(reactor, role, wanted) for role, wanted in windows.items()):
                return choice
        self.misses += 1
        self.missed.append((reactor, product.code, choices[0]))
        return choices[0]


def _down(schedule: Schedule, code: str) -> list[Interval]:
    """The unit's maintenance as site-local days, overlapping windows merged."""
    tz_name = schedule.time_zone_of(code)
    spans = sorted(
        (
            utc_to_local_naive(w.start, tz_name).date(),
            utc_to_local_naive(w.end, tz_name).date(),
        )
        for w in schedule.maintenance_for(code)
    )
    merged: list[Interval] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _peak(busy: list[Interval], window: Interval) -> int:
    """Most intervals of ``busy`` in use at once inside ``window``."""
    first, last = window
    events = []
    for begin, end in busy:
        if begin < last and end > first:
            events.append((max(begin, first), 1))
            events.append((min(end, last), -1))
    events.sort(key=lambda event: (event[0], event[1]))
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak
