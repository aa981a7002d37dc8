"""The re-planning problem of a window, in site-local whole days: which campaigns may move, where
each may start on each bioreactor without overlapping what stays put (campaigns, maintenance,
availability), what stays put as the gap rules see it (``sequence.py`` blocks) and the gaps
campaigns need after one another (changeover only: turnaround is a warning). The solver
(``model.py``) and the greedy baseline (``greedy.py``) both read it; the conflict engine checks
whatever they answer."""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime

from ortools.util.python.sorted_interval_list import Domain

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import Bioreactor
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.localtime import zone
from scheduler_app.planning.needs import Needs
from scheduler_app.planning.sequence import Block, blocks_of
from scheduler_app.planning.slots import candidate_bioreactors
from scheduler_app.schedule import Schedule

HORIZON_DAYS = 365
"""How far past the window's last day a campaign may be pushed."""


@dataclass(frozen=True, slots=True)
class PlanWindow:
    """What to re-plan: campaigns starting from ``first`` to ``last`` (site-local dates,
    inclusive) at ``site`` (None: both); Confirmed ones only when ``include_confirmed``."""

    first: date
    last: date
    site: str | None = None
    include_confirmed: bool = False

    def movable(self, campaign: Campaign) -> bool:
        status = campaign.status
        if status.locked or status is Status.CANCELLED:
            return False
        return self.include_confirmed or status is not Status.CONFIRMED


@dataclass(slots=True)
class Movable:
    """A campaign the plan may move: its origin (bioreactor, start day), how many days it holds a
    bioreactor in the model (one more when its start is not a local midnight, so that keeping it
    in place is safe), its due day end, and the start days allowed on each bioreactor (none
    after its due day unless it already starts after it)."""

    campaign: Campaign
    origin: BioreactorCode
    origin_day: int
    length: int
    due_end: int | None
    product: int
    options: dict[BioreactorCode, Domain] = field(default_factory=dict)


@dataclass(slots=True)
class Instance:
    """The whole problem. Days are proleptic ordinals of site-local dates; each bioreactor's days
    are those of its own site."""

    window: PlanWindow
    movables: list[Movable]
    need: list[list[int]]
    lowest: int
    highest: int
    scope: list[Campaign]
    blocks: dict[BioreactorCode, list[Block]] = field(default_factory=dict)
    """What stays put on each bioreactor a movable campaign may go to, as blocks in time order."""

    def gap(self, earlier: Movable, later: Movable) -> int:
        """Days ``later`` needs after ``earlier`` on one bioreactor."""
        return self.need[later.product][earlier.product]


def day_value(instant: datetime, tz_name: str) -> float:
    """An instant as a site-local day number with the wall-clock time as the fraction."""
    local = instant.astimezone(zone(tz_name))
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return local.toordinal() + seconds / 86_400


def build_instance(
    schedule: Schedule, window: PlanWindow, pinned: frozenset[CampaignId] = frozenset()
) -> Instance:
    """The problem of re-planning ``window`` in ``schedule`` (nothing is changed); ``pinned``
    campaigns stay where they are even if the window would let them move."""
    needs = Needs.of(schedule, turnaround=False)
    need = needs.days
    lowest, highest = window.first.toordinal(), window.last.toordinal() + HORIZON_DAYS
    movables: list[Movable] = []
    scope: list[Campaign] = []
    for campaign in schedule.campaigns.values():
        if campaign.status is Status.CANCELLED or campaign.bioreactor not in schedule.bioreactors:
            continue
        site = schedule.site_of(campaign.bioreactor)
        if window.site is not None and site.code != window.site:
            continue
        value = day_value(campaign.start, site.time_zone)
        if not lowest <= value < window.last.toordinal() + 1:
            continue
        scope.append(campaign)
        if (
            window.movable(campaign)
            and campaign.product in needs.index
            and campaign.id not in pinned
        ):
            whole = value == int(value)
            movables.append(
                Movable(
                    campaign,
                    campaign.bioreactor,
                    int(value),
                    campaign.duration_days + (0 if whole else 1),
                    campaign.due.toordinal() + 1 if campaign.due is not None else None,
                    needs.index[campaign.product],
                )
            )
    moving = {m.campaign.id for m in movables}
    blocked = _Obstacles(schedule, needs, moving, lowest, highest)
    for movable in movables:
        for reactor in _candidates(schedule, window, movable.campaign):
            allowed = blocked.allowed(movable, reactor.code)
            if movable.due_end is not None and movable.origin_day < movable.due_end:
                # A start after the due day is an edit the service refuses (validate_edit),
                # not merely a late campaign.
                allowed = allowed.intersection_with(Domain(lowest, movable.due_end - 1))
            if not allowed.is_empty():
                movable.options[reactor.code] = allowed
    reachable = sorted({code for m in movables for code in m.options})
    blocks = {code: blocks_of(blocked.fixed(code)) for code in reachable}
    return Instance(window, movables, need, lowest, highest, scope, blocks)


def _candidates(schedule: Schedule, window: PlanWindow, campaign: Campaign) -> list[Bioreactor]:
    """Bioreactors where the product's scale is validated, at the window's site and at sites
    where the product is qualified (or the campaign's own site)."""
    product = schedule.product(campaign.product)
    here = schedule.site_of(campaign.bioreactor).code
    out: list[Bioreactor] = []
    for reactor in candidate_bioreactors(schedule, campaign):
        site = schedule.site_of(reactor.code).code
        if window.site is not None and site != window.site:
            continue
        if site != here and site not in product.qualified_sites:
            continue
        out.append(reactor)
    return out


class _Obstacles:
    """What stays put on each bioreactor, as site-local day spans: the start days at which a
    movable campaign overlaps none of it. The gaps to it are the model's (blocks, ``sequence.py``):
    they depend on which campaign ends up next to which."""

    def __init__(
        self,
        schedule: Schedule,
        needs: Needs,
        moving: set[CampaignId],
        lowest: int,
        highest: int,
    ) -> None:
        self.schedule = schedule
        self.needs = needs
        self.lowest, self.highest = lowest, highest
        self._fixed: dict[str, list[tuple[float, float, int]]] = {}
        by_reactor: dict[str, list[Campaign]] = {}
        for campaign in schedule.campaigns.values():
            if campaign.id in moving or campaign.status is Status.CANCELLED:
                continue
            by_reactor.setdefault(campaign.bioreactor, []).append(campaign)
        self._by_reactor = by_reactor
        self._windows: dict[str, list[tuple[float, float]]] = {}
        self._longest_days: dict[str, int] = {}

    def fixed(self, code: str) -> list[tuple[float, float, int]]:
        found = self._fixed.get(code)
        if found is None:
            tz_name = self.schedule.time_zone_of(code)
            index = self.needs.index
            found = sorted(
                (
                    day_value(c.start, tz_name),
                    day_value(self.schedule.campaign_end(c), tz_name),
                    index.get(c.product, -1),
                )
                for c in self._by_reactor.get(code, [])
            )
            self._fixed[code] = found
        return found

    def windows(self, code: str) -> list[tuple[float, float]]:
        found = self._windows.get(code)
        if found is None:
            tz_name = self.schedule.time_zone_of(code)
            found = [
                (day_value(w.start, tz_name), day_value(w.end, tz_name))
                for w in self.schedule.maintenance_for(code)
                if w.end > w.start
            ]
            self._windows[code] = found
        return found

    def allowed(self, movable: Movable, code: BioreactorCode) -> Domain:
        """Start days at which ``movable`` overlaps nothing fixed on bioreactor ``code``."""
        length = movable.length
        lowest = max(self.lowest, self._available_day(code))
        forbidden: list[list[int]] = []
        spans = self.fixed(code)
        first = bisect_left(spans, (self.lowest - self._longest(code),))
        for start, end, _ in spans[first:]:
            if start - length > self.highest:
                break
            if end < self.lowest:
                continue
            lo, hi = math.floor(start - length) + 1, math.ceil(end) - 1
            if lo <= hi:
                forbidden.append([lo, hi])
        for start, end in self.windows(code):
            lo, hi = math.floor(start - length) + 1, math.ceil(end) - 1
            if lo <= hi:
                forbidden.append([lo, hi])
        span = Domain(lowest, self.highest) if lowest <= self.highest else Domain.from_values([])
        if not forbidden:
            return span
        return span.intersection_with(Domain.from_intervals(forbidden).complement())

    def _longest(self, code: str) -> int:
        found = self._longest_days.get(code)
        if found is None:
            found = max((c.duration_days + 1 for c in self._by_reactor.get(code, [])), default=0)
            self._longest_days[code] = found
        return found

    def _available_day(self, code: str) -> int:
        reactor = self.schedule.bioreactor(code)
        site = self.schedule.site_of(code)
        days = [d.toordinal() for d in (reactor.available_from, site.available_from) if d]
        return max(days, default=self.lowest)
