"""A lane: one bioreactor's live campaigns in time order, with the arrays the rules scan.

Every rule looks at one bioreactor at a time, so the engine keeps one lane per bioreactor and
lays out again only the lanes a change touched (see ``layout.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import add_local_days
from scheduler_app.products import Product
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.facts import Facts
from scheduler_app.rules.zone_table import zone_table

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.empty(0, dtype=np.intp)


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Consecutive, non-overlapping pairs whose gap is too short: ``later[k]`` follows
    ``earlier[k]`` and needs ``need[k]`` site-local days after it; ``same`` marks same product."""

    later: IndexArray
    earlier: IndexArray
    need: FloatArray
    same: NDArray[np.bool_]


@dataclass(slots=True, eq=False)
class Lane:
    """One bioreactor's live (not cancelled) campaigns sorted by ``(start, id)``.

    ``reach[i]`` is the latest end among rows ``0..i`` and ``latest[i]`` the row holding it (the
    later row on ties). A campaign's *predecessor* is ``latest[i - 1]``, the latest-ending earlier
    campaign: if it ends after the campaign starts the two overlap, otherwise the gap between them
    is what changeover and turnaround measure. ``members`` is what the lane was built from (every
    campaign on the bioreactor, cancelled ones too)."""

    context: ReactorContext
    members: list[Campaign]
    facts: list[Facts]
    campaigns: list[Campaign]
    starts: FloatArray
    ends: FloatArray
    due_ends: FloatArray
    products: IndexArray
    reach: FloatArray
    latest: IndexArray
    whole_seconds: bool
    _neighbours: Neighbours | None = None
    _product_list: list[Product] | None = None

    def __len__(self) -> int:
        return len(self.campaigns)

    @property
    def product_list(self) -> list[Product]:
        """The product of each row."""
        if self._product_list is None:
            products = self.context.catalogue.products
            self._product_list = [products[k] for k in self.products.tolist()]
        return self._product_list

    def renewed(self) -> Lane:
        """This lane with nothing any rule derived from it kept, for a fresh check."""
        self._neighbours = None
        return self

    def neighbours(self) -> Neighbours:
        """Short gaps between consecutive campaigns, computed once per lane."""
        if self._neighbours is None:
            self._neighbours = self._find_short_gaps()
        return self._neighbours

    def _find_short_gaps(self) -> Neighbours:
        if len(self.campaigns) < 2:
            return Neighbours(_EMPTY_INDEX, _EMPTY_INDEX, np.empty(0), np.empty(0, dtype=np.bool_))
        later = rows_where(self.reach[:-1] <= self.starts[1:]) + 1
        earlier = self.latest[later - 1]
        later_product = self.products[later]
        earlier_product = self.products[earlier]
        need = self.context.catalogue.need_days[later_product, earlier_product]
        prev_end = self.ends[earlier]
        starts = self.starts[later]
        required = zone_table(self.context.tz).add_days(
            prev_end, need, bounds=(float(self.starts[0]), float(self.reach[-1]))
        )
        short = starts < required
        if not self.whole_seconds:
            # Whole-second instants make the float arithmetic exact; anything finer that lands
            # within a millisecond of the boundary is settled with datetimes.
            for k in rows_where(np.abs(starts - required) < 1e-3).tolist():
                short[k] = self._short_exact(int(later[k]), int(earlier[k]), float(need[k]))
        chosen = rows_where(short)
        return Neighbours(
            later[chosen],
            earlier[chosen],
            need[chosen],
            later_product[chosen] == earlier_product[chosen],
        )

    def _short_exact(self, later: int, earlier: int, need: float) -> bool:
        required = add_local_days(self.facts[earlier].end_time, need, self.context.tz)
        return self.campaigns[later].start < required


def rows_where(mask: NDArray[np.bool_]) -> IndexArray:
    """Indices where ``mask`` holds: ``np.flatnonzero`` without its wrappers, for hot paths."""
    return mask.nonzero()[0]
