"""What the rules know about master data: products as arrays, and each bioreactor's surroundings.

Both are built from the schedule on every full check; an incremental check reuses them, which is
why a change to master data (sites, suites, bioreactors, products, maintenance) needs a full check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    """Products in a fixed order, with the day counts the neighbour rules compare as arrays."""

    products: tuple[Product, ...]
    index: dict[ProductCode, int]
    changeover_days: NDArray[np.float64]
    turnaround_days: NDArray[np.float64]

    @classmethod
    def of(cls, schedule: Schedule) -> Catalogue:
        products = tuple(schedule.products[code] for code in sorted(schedule.products))
        return cls(
            products,
            {p.code: i for i, p in enumerate(products)},
            np.array([p.changeover_days for p in products], dtype=np.float64),
            np.array([p.turnaround_days for p in products], dtype=np.float64),
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
    ``available_by_site`` says which of the two it is. ``scale_bad`` and ``unqualified`` are
    indexed by the catalogue's product index."""

    reactor: Bioreactor
    site: Site
    tz: str
    windows: tuple[WindowSpan, ...]
    available_from: float
    available_by_site: bool
    scale_bad: NDArray[np.bool_]
    unqualified: NDArray[np.bool_]

    @classmethod
    def of(cls, schedule: Schedule, reactor: Bioreactor, catalogue: Catalogue) -> ReactorContext:
        site = schedule.sites[schedule.suites[reactor.suite].site]
        tz = site.time_zone
        windows = tuple(
            WindowSpan(w, w.start.timestamp(), w.end.timestamp())
            for w in schedule.maintenance_for(reactor.code)
            if w.end > w.start
        )
        reactor_from = _midnight(reactor.available_from, tz)
        site_from = _midnight(site.available_from, tz)
        return cls(
            reactor,
            site,
            tz,
            windows,
            max(reactor_from, site_from),
            site_from >= reactor_from,
            np.array(
                [reactor.working_volume_l not in p.validated_scales_l for p in catalogue.products],
                dtype=np.bool_,
            ),
            np.array(
                [site.code not in p.qualified_sites for p in catalogue.products], dtype=np.bool_
            ),
        )


def _midnight(day: date | None, tz: str) -> float:
    return -np.inf if day is None else start_of_local_date(day, tz).timestamp()


def reactor_contexts(schedule: Schedule, catalogue: Catalogue) -> dict[str, ReactorContext]:
    """A context per bioreactor whose suite and site exist (others cannot be checked)."""
    out: dict[str, ReactorContext] = {}
    for reactor in schedule.bioreactors.values():
        suite = schedule.suites.get(reactor.suite)
        if suite is None or suite.site not in schedule.sites:
            continue
        out[reactor.code] = ReactorContext.of(schedule, reactor, catalogue)
    return out
