"""A lane: one bioreactor's live campaigns in time order, with the arrays the rules scan.

Every rule looks at one bioreactor at a time, so the engine keeps one lane per bioreactor and
lays out again only the lanes a change touched (see ``layout.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.products import Product
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.facts import end_time
from scheduler_app.rules.neighbours import Neighbours, find_short_gaps

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


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
    spans: dict[Any, Any] = field(default_factory=dict)
    """What shared-equipment scopes derived from the lane (see ``pools.lane_spans_cached``)."""

    def __len__(self) -> int:
        return len(self.campaigns)

    @property
    def product_list(self) -> list[Product]:
        """The product of each row."""
        if self._product_list is None:
            products = self.context.catalogue.products
            self._product_list = [products[k] for k in self.products.tolist()]
        return self._product_list

    def end_time(self, row: int) -> datetime:
        """The end of a row's campaign as a datetime (UTC)."""
        return end_time(self.campaigns[row], float(self.ends[row]), self.context.tz)

    def renewed(self) -> Lane:
        """This lane with nothing any rule derived from it kept, for a fresh check."""
        self._neighbours = None
        return self

    def neighbours(self) -> Neighbours:
        """Short gaps between consecutive campaigns, computed once per lane (a full check computes
        them for all lanes at once and hands them in with :meth:`know_neighbours`)."""
        if self._neighbours is None:
            [self._neighbours] = find_short_gaps([self])
        return self._neighbours

    def know_neighbours(self, found: Neighbours) -> None:
        self._neighbours = found

    def known_neighbours(self) -> Neighbours | None:
        """The short gaps if worked out (or handed in) already, else ``None``."""
        return self._neighbours


def rows_where(mask: NDArray[np.bool_]) -> IndexArray:
    """Indices where ``mask`` holds: ``np.flatnonzero`` without its wrappers, for hot paths."""
    return mask.nonzero()[0]
