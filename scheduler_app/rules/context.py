"""What the rules know about master data: products as arrays, and each bioreactor's surroundings.

Both are built from the schedule on every full check; an incremental check reuses them, which is
why a change to master data (sites, suites, bioreactors, products, maintenance) needs a full check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import is_

import numpy as np
from numpy.typing import NDArray

from scheduler_app.equipment import Bioreactor
from scheduler_app.ids import ProductCode
from scheduler_app.localtime import start_of_local_date
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Products in a fixed order, with the days a campaign needs after another as a matrix:
    ``need_days[later, earlier]`` is the later product's turnaround days for the same product,
    the changeover matrix's days from the earlier to the later product when that ordered pair is
    listed, and the larger of the two changeover days otherwise. ``seed_days``, ``harvest_days``
    and ``max_batches`` are the products' as arrays (0: no such constraint)."""

    products: tuple[Product, ...]
    index: dict[ProductCode, int]
    need_days: NDArray[np.float64]
    most_days: float
    changeovers: tuple[tuple[tuple[ProductCode, ProductCode], int], ...] = ()
    seed_days: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    harvest_days: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    max_batches: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp))

    @classmethod
    def of(cls, schedule: Schedule, previous: Catalogue | None = None) -> Catalogue:
        """The catalogue of the schedule's products; ``previous`` itself if they are the very same
        (immutable) objects and the matrix is the same, so that what was derived from it stays
        valid."""
        products = tuple(schedule.products[code] for code in sorted(schedule.products))
        matrix = tuple(sorted(schedule.changeovers.items()))
        if (
            previous is not None
            and _same_objects(previous.products, products)
            and previous.changeovers == matrix
        ):
            return previous
        index = {p.code: i for i, p in enumerate(products)}
        changeover = np.array([p.changeover_days for p in products], dtype=np.float64)
        need = np.maximum.outer(changeover, changeover)
        for (before, after), days in matrix:
            if before != after and before in index and after in index:
                need[index[after], index[before]] = days
        np.fill_diagonal(need, [p.turnaround_days for p in products])
        most = float(need.max()) if need.size else 0.0
        return cls(
            products,
            index,
            need,
            most,
            matrix,
            np.array([p.seed_days for p in products], dtype=np.float64),
            np.array([p.harvest_days for p in products], dtype=np.float64),
            np.array([p.max_batches for p in products], dtype=np.intp),
        )


@dataclass(frozen=True, slots=True)
class WindowSpan:
    """A maintenance window with its bounds as epoch seconds."""

    window: MaintenanceWindow
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class ReactorContext:
    """Everything about one bioreactor's surroundings that a rule needs.

    ``available_from`` is the later of the bioreactor's and the site's available-from dates, as the
    site-local midnight starting that day (epoch seconds, ``-inf`` when neither is set);
    ``available_by_site`` says which of the two it is. ``scale_bad`` and ``qualified_from`` (the
    site-local midnight each product is qualified at the site from: ``-inf`` when qualified
    without a date, ``inf`` when not qualified) are indexed by the catalogue's product index."""

    reactor: Bioreactor
    site: Site
    catalogue: Catalogue
    tz: str
    windows: tuple[WindowSpan, ...]
    available_from: float
    available_by_site: bool
    scale_bad: NDArray[np.bool_]
    qualified_from: NDArray[np.float64]
    window_bounds: NDArray[np.float64]
    """The windows' starts (row 0) and ends (row 1), for looking them all up at once."""

    @classmethod
    def of(
        cls,
        reactor: Bioreactor,
        site: Site,
        windows: tuple[MaintenanceWindow, ...],
        catalogue: Catalogue,
        shared: _Shared | None = None,
    ) -> ReactorContext:
        """``shared`` holds what other bioreactors of the same check already worked out."""
        shared = shared if shared is not None else _Shared(catalogue)
        tz = site.time_zone
        reactor_from = _midnight(reactor.available_from, tz)
        site_from = shared.site_from(site)
        spans, bounds = shared.spans(windows)
        return cls(
            reactor,
            site,
            catalogue,
            tz,
            spans,
            max(reactor_from, site_from),
            site_from >= reactor_from,
            shared.scale_bad(reactor.working_volume_l),
            shared.qualified_from(site),
            bounds,
        )


class _Shared:
    """What bioreactors with the same volume or site have in common, worked out once per check
    (the arrays are shared, so they are made read-only)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._scale_bad: dict[int, NDArray[np.bool_]] = {}
        self._qualified_from: dict[str, NDArray[np.float64]] = {}
        self._site_from: dict[str, float] = {}
        self._span: dict[int, WindowSpan] = {}
        self._spans: dict[tuple[int, ...], tuple[tuple[WindowSpan, ...], NDArray[np.float64]]]
        self._spans = {}

    def spans(
        self, windows: tuple[MaintenanceWindow, ...]
    ) -> tuple[tuple[WindowSpan, ...], NDArray[np.float64]]:
        """The windows' spans and bounds, made once for the bioreactors that share them (a site's
        windows are every bioreactor's there; the objects stay alive in ``windows``, so their ids
        name them for the check)."""
        key = tuple(map(id, windows))
        found = self._spans.get(key)
        if found is None:
            spans = tuple(map(self._one_span, windows))
            bounds = np.array([[s.start for s in spans], [s.end for s in spans]], np.float64)
            bounds = bounds.reshape(2, len(spans))
            bounds.flags.writeable = False
            found = self._spans[key] = (spans, bounds)
        return found

    def _one_span(self, window: MaintenanceWindow) -> WindowSpan:
        found = self._span.get(id(window))
        if found is None:
            found = WindowSpan(window, window.start.timestamp(), window.end.timestamp())
            self._span[id(window)] = found
        return found

    def scale_bad(self, volume: int) -> NDArray[np.bool_]:
        found = self._scale_bad.get(volume)
        if found is None:
            products = self._catalogue.products
            found = np.array([volume not in p.validated_scales_l for p in products], np.bool_)
            found.flags.writeable = False
            self._scale_bad[volume] = found
        return found

    def qualified_from(self, site: Site) -> NDArray[np.float64]:
        found = self._qualified_from.get(site.code)
        if found is None:
            found = np.array(
                [_qualified_from(p, site) for p in self._catalogue.products], np.float64
            )
            found.flags.writeable = False
            self._qualified_from[site.code] = found
        return found

    def site_from(self, site: Site) -> float:
        found = self._site_from.get(site.code)
        if found is None:
            found = self._site_from[site.code] = _midnight(site.available_from, site.time_zone)
        return found


def _qualified_from(product: Product, site: Site) -> float:
    day = product.qualified_date(site.code)
    if day is not None:
        return _midnight(day, site.time_zone)
    return -np.inf if site.code in product.qualified_sites else np.inf


def _midnight(day: date | None, tz: str) -> float:
    return -np.inf if day is None else start_of_local_date(day, tz).timestamp()


def reactor_contexts(
    schedule: Schedule, catalogue: Catalogue, previous: dict[str, ReactorContext] | None = None
) -> dict[str, ReactorContext]:
    """A context per bioreactor whose suite and site exist (others cannot be checked). A previous
    context is kept when it was built from the very same objects."""
    previous = previous or {}
    shared = _Shared(catalogue)
    out: dict[str, ReactorContext] = {}
    windows_of = _windows_by_scope(schedule)
    for reactor in schedule.bioreactors.values():
        suite = schedule.suites.get(reactor.suite)
        if suite is None or suite.site not in schedule.sites:
            continue
        windows = _windows_for(windows_of, reactor.code, suite.code, suite.site)
        site = schedule.sites[suite.site]
        old = previous.get(reactor.code)
        if (
            old is not None
            and old.catalogue is catalogue
            and old.reactor is reactor
            and old.site is site
            and _same_objects(tuple(w.window for w in old.windows), windows)
        ):
            out[reactor.code] = old
        else:
            out[reactor.code] = ReactorContext.of(reactor, site, windows, catalogue, shared)
    return out


_Scope = tuple[str, str]
_Windows = dict[_Scope, list[tuple[int, MaintenanceWindow]]]


def _windows_by_scope(schedule: Schedule) -> _Windows:
    """The schedule's maintenance windows by what they take down (a bioreactor, a suite, a site),
    each with its place in the schedule's list, in one pass instead of one per bioreactor."""
    found: _Windows = {}
    for number, window in enumerate(schedule.maintenance):
        scope: _Scope
        if window.bioreactor is not None:
            scope = ("bioreactor", window.bioreactor)
        elif window.suite is not None:
            scope = ("suite", window.suite)
        else:
            scope = ("site", window.site)
        found.setdefault(scope, []).append((number, window))
    return found


def _windows_for(
    windows_of: _Windows, reactor: str, suite: str, site: str
) -> tuple[MaintenanceWindow, ...]:
    """What :meth:`Schedule.maintenance_for` yields (in the schedule's order)."""
    mine = [
        *windows_of.get(("bioreactor", reactor), ()),
        *windows_of.get(("suite", suite), ()),
        *windows_of.get(("site", site), ()),
    ]
    mine.sort(key=_first)
    return tuple(window for _, window in mine)


def _first(pair: tuple[int, MaintenanceWindow]) -> int:
    return pair[0]


def _same_objects(before: tuple[object, ...], after: tuple[object, ...]) -> bool:
    return len(before) == len(after) and all(map(is_, before, after))
