"""The scopes beyond one bioreactor, as the engine keeps them: pools of shared seed bioreactors and
downstream trains, and campaign links. Each keeps its conflicts and memo per scope, so that a change
re-decides only the scopes it touched: the pools holding a changed bioreactor, the links of a
changed campaign (as consumer or as needed campaign)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.equipment import EquipmentRole
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import DAY_SECONDS
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.findings import Findings, Item, Memo
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.links import Links, consumers_of, gather_links
from scheduler_app.rules.pools import Pool, PoolKey, PoolShape, gather, pool_shapes
from scheduler_app.rules.protocol import AnyRule, Scope
from scheduler_app.rules.spans import RowsNear, prime_spans
from scheduler_app.schedule import Schedule

LaneOf = Callable[[str], Lane | None]

_SLACK = 1e-3  # seconds: a conflict's bounds come back from datetimes rounded to microseconds


@dataclass(slots=True, eq=False)
class ScopeState:
    """One scope's conflicts as last decided, and the memo that decided them."""

    memo: Memo
    items: list[Item]


def _errors(items: Iterable[Item]) -> int:
    return sum(1 for _, c in items if c.severity is Severity.ERROR)


class PoolScopes:
    """Seed and downstream pools (see ``pools.py``) and their conflicts."""

    def __init__(self, rules: tuple[AnyRule, ...]) -> None:
        self.rules = {
            EquipmentRole.SEED: tuple(r for r in rules if r.scope is Scope.SEED),
            EquipmentRole.DOWNSTREAM: tuple(r for r in rules if r.scope is Scope.DOWNSTREAM),
        }
        self.active = any(self.rules.values())
        self.shapes: dict[PoolKey, PoolShape] = {}
        self.of: dict[str, list[PoolKey]] = {}
        self.states: dict[PoolKey, ScopeState] = {}
        self._made_from: tuple[ReactorContext, ...] = ()
        self._reach = 0.0

    def reshape(self, schedule: Schedule, contexts: dict[str, ReactorContext]) -> None:
        """The pools of the schedule's equipment, kept while the bioreactors' contexts (which
        hold their role, what they serve, availability and windows) are the same objects."""
        if not self.active:
            return
        made_from = tuple(contexts.values())
        if len(made_from) == len(self._made_from) and all(
            a is b for a, b in zip(made_from, self._made_from, strict=True)
        ):
            return
        self._made_from = made_from
        if made_from:
            catalogue = made_from[0].catalogue
            most = max(catalogue.seed_days.max(initial=0), catalogue.harvest_days.max(initial=0))
            self._reach = (float(most) + 2) * DAY_SECONDS
        self.shapes = {
            key: shape
            for key, shape in pool_shapes(schedule, contexts).items()
            if self.rules[shape.role]
        }
        self.of = {}
        for key, shape in self.shapes.items():
            for code in shape.members:
                self.of.setdefault(code, []).append(key)

    def pool(
        self,
        key: PoolKey,
        lane_of: LaneOf,
        window: tuple[float, float] | None = None,
        near: RowsNear | None = None,
    ) -> Pool:
        shape = self.shapes[key]
        lanes = [lane for lane in map(lane_of, shape.members) if lane is not None]
        return gather(shape, lanes, window, self._reach, near)

    def window_of(self, campaigns: Iterable[Campaign]) -> tuple[float, float]:
        """An interval holding every seed and harvest occupancy the campaigns' batches need (two
        days' slack for clock changes)."""
        reach = self._reach
        low, high = np.inf, -np.inf
        for c in campaigns:
            start = c.start.timestamp()
            days = c.batches * c.batch_days + max(c.batches - 1, 0) * c.turnaround_days
            low = min(low, start - reach)
            high = max(high, start + days * DAY_SECONDS + reach)
        return low, high

    def decide_within(
        self,
        key: PoolKey,
        lane_of: LaneOf,
        window: tuple[float, float],
        near: RowsNear | None = None,
    ) -> tuple[ScopeState, list[Item], Pool]:
        """Re-decide the part of a pool a change within ``window`` can reach: the window widened
        over every over-booking the pool had that meets it (outside, nothing changed, so nothing
        found inside runs past it). The pool's new state, the conflicts found inside, and the
        (windowed) pool they were found in."""
        old = self.states.get(key)
        if old is None:
            whole = self.pool(key, lane_of)
            new = self._decide_pool(whole, None)
            return new, new.items, whole
        low, high = window
        items = old.items
        grown = True
        while grown:
            grown = False
            floor, ceiling = low - _SLACK, high + _SLACK
            for key_of, _ in items:
                begin, finish = key_of[0], key_of[4]
                if begin <= ceiling and finish >= floor and (begin < low or finish > high):
                    low, high, grown = min(low, begin), max(high, finish), True
        pool = self.pool(key, lane_of, (low, high), near)
        found = Findings(old.memo)
        for rule in self.rules[pool.shape.role]:
            rule.find(pool, found)
        floor, ceiling = low - _SLACK, high + _SLACK
        kept = [item for item in items if item[0][4] < floor or item[0][0] > ceiling]
        if len(kept) == len(items):
            if not found.items:
                return old, found.items, pool  # nothing there before or now: the same state
            memo: Memo = {kind: dict(entries) for kind, entries in old.memo.items()}
        else:
            # A memo entry's item is one of the pool's items: keep the entries of those kept.
            staying = set(map(id, kept))
            memo = {
                kind: {k: e for k, e in entries.items() if id(e[1]) in staying}
                for kind, entries in old.memo.items()
            }
        for kind, entries in found.memo.items():
            memo.setdefault(kind, {}).update(entries)
        return ScopeState(memo, kept + found.items), found.items, pool

    def decide(self, key: PoolKey, lane_of: LaneOf, memo: Memo | None) -> ScopeState:
        return self._decide_pool(self.pool(key, lane_of), memo)

    def _decide_pool(self, pool: Pool, memo: Memo | None) -> ScopeState:
        found = Findings(memo)
        for rule in self.rules[pool.shape.role]:
            rule.find(pool, found)
        return ScopeState(found.memo, found.items)

    def decide_all(self, lane_of: LaneOf) -> list[Item]:
        previous = self.states
        self.states = {}
        members = {code for shape in self.shapes.values() for code in shape.members}
        roles = tuple(role for role, rules in self.rules.items() if rules)
        prime_spans([lane for lane in map(lane_of, members) if lane is not None], roles)
        for key in self.shapes:
            old = previous.get(key)
            self.states[key] = self.decide(key, lane_of, old.memo if old is not None else None)
        return [item for state in self.states.values() for item in state.items]

    def redo(self, changed: list[Campaign], lane_of: LaneOf) -> list[tuple[list[Item], list[Item]]]:
        """Re-decide, around the changed campaigns (old and new versions), the pools holding
        their bioreactors: (old, new) items of each."""
        if not changed or not self.of:
            return []
        keys = {key for c in changed for key in self.of.get(c.bioreactor, ())}
        if not keys:
            return []
        window = self.window_of(changed)
        swaps = []
        near: RowsNear = {}  # the seed and the downstream pools of a lane share its rows
        for key in keys:
            old = self.states.get(key)
            new, _, _ = self.decide_within(key, lane_of, window, near)
            self.states[key] = new
            swaps.append((old.items if old is not None else [], new.items))
        return swaps

    def items_for(self, code: str) -> list[Item]:
        return [item for key in self.of.get(code, ()) for item in self.states[key].items]

    def errors(self) -> int:
        return sum(_errors(state.items) for state in self.states.values())


class LinkScopes:
    """Campaign links (``needs``) and their conflicts, kept per consuming campaign."""

    def __init__(self, rules: tuple[AnyRule, ...]) -> None:
        self.rules = tuple(r for r in rules if r.scope is Scope.LINK)
        self.active = bool(self.rules)
        self.needed_by: dict[CampaignId, set[CampaignId]] = {}
        self.items: dict[CampaignId, list[Item]] = {}
        self.memo: Memo = {}

    def decide(
        self,
        campaigns: Mapping[CampaignId, Campaign],
        contexts: dict[str, ReactorContext],
        consumers: list[Campaign],
        memo: Memo | None,
    ) -> tuple[Links, Findings]:
        links = gather_links(campaigns, contexts, consumers)
        found = Findings(memo)
        for rule in self.rules:
            rule.find(links, found)
        return links, found

    def decide_all(self, schedule: Schedule, contexts: dict[str, ReactorContext]) -> list[Item]:
        if not self.active:
            return []
        campaigns = schedule.campaigns
        consumers = [c for c in campaigns.values() if c.needs is not None]
        self.needed_by = consumers_of(consumers)
        _, found = self.decide(campaigns, contexts, consumers, self.memo)
        self.memo = found.memo
        self.items = {}
        for item in found.items:
            self.items.setdefault(item[1].campaigns[-1], []).append(item)
        return found.items

    def redo(
        self,
        schedule: Schedule,
        contexts: dict[str, ReactorContext],
        left: list[Campaign],
        came: list[Campaign],
    ) -> tuple[list[Item], list[Item]]:
        """Re-decide the links of the campaigns that ``left`` (old versions) and ``came`` (new
        versions): their own and those of the campaigns needing them. (old, new) items."""
        if not self.active or not (left or came):
            return [], []
        needed_by = self.needed_by
        for campaign in left:
            if campaign.needs is not None:
                needed_by.get(campaign.needs, set()).discard(campaign.id)
        for campaign in came:
            if campaign.needs is not None:
                needed_by.setdefault(campaign.needs, set()).add(campaign.id)
        ids: set[CampaignId] = set()
        for campaign in (*left, *came):
            ids.add(campaign.id)
            ids.update(needed_by.get(campaign.id, ()))
        current = schedule.campaigns
        consumers = [current[i] for i in sorted(ids) if i in current]
        _, found = self.decide(current, contexts, consumers, self.memo)
        old = [item for i in ids for item in self.items.pop(i, ())]
        for entries in self.memo.values():
            for i in ids:
                entries.pop(i, None)
        for kind, entries in found.memo.items():
            self.memo.setdefault(kind, {}).update(entries)
        for item in found.items:
            self.items.setdefault(item[1].campaigns[-1], []).append(item)
        return old, found.items

    def consumers_touching(
        self, hypothetical: Mapping[CampaignId, Campaign], stored: Mapping[CampaignId, Campaign]
    ) -> list[Campaign]:
        """The consumers whose links involve a hypothetical campaign: the hypothetical ones that
        need something, and stored ones that need a hypothetical one (as hypothetical if so)."""
        ids = {c.id for c in hypothetical.values() if c.needs is not None}
        for campaign_id in hypothetical:
            ids.update(self.needed_by.get(campaign_id, ()))
        out = []
        for i in sorted(ids):
            campaign = hypothetical.get(i) or stored.get(i)
            if campaign is not None:
                out.append(campaign)
        return out

    def items_for(self, campaign_id: CampaignId) -> list[Item]:
        ids = {campaign_id, *self.needed_by.get(campaign_id, ())}
        return [item for i in ids for item in self.items.get(i, ())]

    def errors(self) -> int:
        return sum(_errors(items) for items in self.items.values())
