"""A lane: one bioreactor's live campaigns in time order, with the arrays the rules scan.

Every rule looks at one bioreactor at a time, so the engine keeps one lane per bioreactor and
rebuilds only the lanes a change touched. Per-campaign facts (epoch start and end, due instant) are
cached by campaign identity: campaigns are immutable, so a fact found once stays true until the
campaign object is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from operator import is_

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import add_local_days, end_of_local_date
from scheduler_app.products import Product
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.zone_table import zone_table

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.empty(0, dtype=np.intp)
_CANCELLED = Status.CANCELLED  # a module constant: enum attribute lookups are slow in loops


@dataclass(slots=True, eq=False)
class Facts:
    """What the rules need of one campaign on a site calendar; ``due_end`` is ``inf`` if no due."""

    campaign: Campaign | None
    start: float
    end: float
    end_time: datetime
    due_end: float

    @classmethod
    def of(cls, campaign: Campaign, tz: str) -> Facts:
        end = campaign.end_in(tz)
        due = campaign.due
        due_end = np.inf if due is None else end_of_local_date(due, tz).timestamp()
        return cls(campaign, campaign.start.timestamp(), end.timestamp(), end, due_end)


_NO_FACTS = Facts(None, 0.0, 0.0, datetime(1970, 1, 1), 0.0)


class FactCache:
    """Facts per time zone and campaign ID, valid while the stored campaign is the very same
    object."""

    def __init__(self) -> None:
        self._zones: dict[str, dict[CampaignId, Facts]] = {}

    def of(self, campaigns: list[Campaign], tz: str, remember: bool = True) -> list[Facts]:
        cache = self._zones.setdefault(tz, {})
        get = cache.get
        found = [get(c.id, _NO_FACTS) for c in campaigns]
        if all(map(is_, [f.campaign for f in found], campaigns)):
            return found
        for i, (facts, campaign) in enumerate(zip(found, campaigns, strict=True)):
            if facts.campaign is not campaign:
                fresh = Facts.of(campaign, tz)
                found[i] = fresh
                if remember:
                    cache[campaign.id] = fresh
        return found

    def prune(self, live: int) -> None:
        """Drop facts of replaced campaigns once they outnumber the live ones."""
        if sum(len(cache) for cache in self._zones.values()) > 2 * live + 64:
            self._zones = {}


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


def build_lane(
    context: ReactorContext, members: list[Campaign], cache: FactCache, remember: bool = True
) -> Lane:
    """Sort the live campaigns of one bioreactor and lay out their arrays. Campaigns of products
    missing from the catalogue cannot be checked and are left out (the importer refuses them)."""
    index = context.catalogue.index
    rows = [c for c in members if c.status is not _CANCELLED and c.product in index]
    facts = cache.of(rows, context.tz, remember)
    n = len(facts)
    starts = np.fromiter([f.start for f in facts], np.float64, n)
    if n > 1 and not (starts[1:] > starts[:-1]).all():
        order = np.argsort(starts, kind="stable")
        ordered = starts[order]
        if not (ordered[1:] > ordered[:-1]).all():
            ids = [f.campaign.id for f in facts]  # type: ignore[union-attr]
            order = np.array(sorted(range(n), key=lambda i: (facts[i].start, ids[i])), np.intp)
        facts = [facts[i] for i in order.tolist()]
        starts = starts[order]
    rows = [f.campaign for f in facts]  # type: ignore[misc]
    ends = np.fromiter([f.end for f in facts], np.float64, n)
    reach = np.maximum.accumulate(ends) if n else ends
    positions = np.arange(n, dtype=np.intp)
    latest = np.maximum.accumulate(np.where(ends == reach, positions, 0)) if n else positions
    return Lane(
        context,
        members,
        facts,
        rows,
        starts,
        ends,
        np.fromiter([f.due_end for f in facts], np.float64, n),
        np.fromiter([index[c.product] for c in rows], np.intp, n),
        reach,
        latest,
        not ((starts % 1).any() or (ends % 1).any()),
    )
