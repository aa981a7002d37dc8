"""A lane: one bioreactor's live campaigns in time order, with the arrays the rules scan.

Every rule looks at one bioreactor at a time, so the engine keeps one lane per bioreactor and
rebuilds only the lanes a change touched. Per-campaign facts (epoch start and end, due instant) are
cached by campaign identity: campaigns are immutable, so a fact found once stays true until the
campaign object is replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import add_local_days, end_of_local_date
from scheduler_app.rules.context import Catalogue, ReactorContext
from scheduler_app.rules.zone_table import zone_table

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.empty(0, dtype=np.intp)


@dataclass(slots=True, eq=False)
class Facts:
    """What the rules need of one campaign on a site calendar; ``due_end`` is ``inf`` if no due."""

    campaign: Campaign
    tz: str
    start: float
    end: float
    end_time: datetime
    due_end: float

    @classmethod
    def of(cls, campaign: Campaign, tz: str) -> Facts:
        end = campaign.end_in(tz)
        due = campaign.due
        due_end = np.inf if due is None else end_of_local_date(due, tz).timestamp()
        return cls(campaign, tz, campaign.start.timestamp(), end.timestamp(), end, due_end)


class FactCache:
    """Facts per campaign ID, valid while the stored campaign is the very same object."""

    def __init__(self) -> None:
        self._by_id: dict[CampaignId, Facts] = {}

    def of(self, campaigns: list[Campaign], tz: str, remember: bool = True) -> list[Facts]:
        get = self._by_id.get
        found = [get(c.id) for c in campaigns]
        for i, (facts, campaign) in enumerate(zip(found, campaigns, strict=True)):
            if facts is None or facts.campaign is not campaign or facts.tz != tz:
                fresh = Facts.of(campaign, tz)
                found[i] = fresh
                if remember:
                    self._by_id[campaign.id] = fresh
        return found  # type: ignore[return-value]

    def prune(self, live: int) -> None:
        """Drop facts of replaced campaigns once they outnumber the live ones."""
        if len(self._by_id) > 2 * live + 64:
            self._by_id = {}


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
    is what changeover and turnaround measure."""

    context: ReactorContext
    catalogue: Catalogue
    facts: list[Facts]
    campaigns: list[Campaign]
    starts: FloatArray
    ends: FloatArray
    due_ends: FloatArray
    products: IndexArray
    reach: FloatArray
    latest: IndexArray
    _neighbours: Neighbours | None = field(default=None)

    def __len__(self) -> int:
        return len(self.campaigns)

    def neighbours(self) -> Neighbours:
        """Short gaps between consecutive campaigns, computed once per lane."""
        if self._neighbours is None:
            self._neighbours = self._find_short_gaps()
        return self._neighbours

    def _find_short_gaps(self) -> Neighbours:
        n = len(self.campaigns)
        if n < 2:
            return Neighbours(_EMPTY_INDEX, _EMPTY_INDEX, np.empty(0), np.empty(0, dtype=np.bool_))
        apart = self.reach[:-1] <= self.starts[1:]
        later = np.flatnonzero(apart) + 1
        earlier = self.latest[:-1][apart]
        later_product = self.products[later]
        earlier_product = self.products[earlier]
        same = later_product == earlier_product
        need = np.where(
            same,
            self.catalogue.turnaround_days[later_product],
            np.maximum(
                self.catalogue.changeover_days[later_product],
                self.catalogue.changeover_days[earlier_product],
            ),
        )
        prev_end = self.ends[earlier]
        starts = self.starts[later]
        required = zone_table(self.context.tz).add_days(prev_end, need)
        short = starts < required
        # Whole-second instants make the float arithmetic exact; anything finer that lands within
        # a millisecond of the boundary is settled with datetimes.
        close = np.flatnonzero(
            (np.abs(starts - required) < 1e-3) & ((starts % 1 != 0) | (prev_end % 1 != 0))
        )
        for k in close.tolist():
            short[k] = self._short_exact(int(later[k]), int(earlier[k]), float(need[k]))
        return Neighbours(later[short], earlier[short], need[short], same[short])

    def _short_exact(self, later: int, earlier: int, need: float) -> bool:
        required = add_local_days(self.facts[earlier].end_time, need, self.context.tz)
        return self.campaigns[later].start < required


def build_lane(
    context: ReactorContext,
    catalogue: Catalogue,
    campaigns: Iterable[Campaign],
    cache: FactCache,
    remember: bool = True,
) -> Lane:
    """Sort the live campaigns of one bioreactor and lay out their arrays. Campaigns of products
    missing from the catalogue cannot be checked and are left out (the importer refuses them)."""
    index = catalogue.index
    rows = [c for c in campaigns if c.status is not Status.CANCELLED and c.product in index]
    facts = cache.of(rows, context.tz, remember)
    n = len(facts)
    starts = np.fromiter((f.start for f in facts), np.float64, n)
    if n > 1 and not bool(np.all(starts[1:] > starts[:-1])):
        order = np.argsort(starts, kind="stable")
        ordered = starts[order]
        if not bool(np.all(ordered[1:] > ordered[:-1])):
            ids = [f.campaign.id for f in facts]
            order = np.array(sorted(range(n), key=lambda i: (facts[i].start, ids[i])), np.intp)
        facts = [facts[i] for i in order.tolist()]
        starts = starts[order]
    rows = [f.campaign for f in facts]
    ends = np.fromiter((f.end for f in facts), np.float64, n)
    reach = np.maximum.accumulate(ends) if n else ends
    positions = np.arange(n, dtype=np.intp)
    latest = np.maximum.accumulate(np.where(ends == reach, positions, 0)) if n else positions
    return Lane(
        context,
        catalogue,
        facts,
        rows,
        starts,
        ends,
        np.fromiter((f.due_end for f in facts), np.float64, n),
        np.fromiter((index[c.product] for c in rows), np.intp, n),
        reach,
        latest,
    )
