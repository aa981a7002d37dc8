"""The conflict engine: every rule over the whole schedule, then incrementally per bioreactor.

Every rule looks at one bioreactor only (its campaigns, its windows including suite- and site-wide
ones, its volume, its site), so the engine keeps one lane and one list of conflicts per bioreactor,
and ``update`` rebuilds just the lanes a change touched. The engine reads the live
:class:`Schedule` the service mutates; it never changes its data (a full check only restarts its
campaign journal when that cannot vouch for the campaigns dict).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import ChainMap
from collections.abc import Collection, Iterable
from datetime import datetime
from itertools import chain, compress
from operator import is_, is_not, itemgetter

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.rules.collection import collection_paused
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.context import Catalogue, ReactorContext, reactor_contexts
from scheduler_app.rules.earliest import next_start_after
from scheduler_app.rules.findings import Findings, Item, SortKey
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.lane_state import (
    LaneChange,
    LaneState,
    added_ids,
    campaign_id_of,
    journaled_rows,
)
from scheduler_app.rules.layout import build_lane, patch_lane
from scheduler_app.rules.neighbours import find_short_gaps
from scheduler_app.rules.protocol import AnyRule, Scope
from scheduler_app.rules.registry import RULES
from scheduler_app.rules.roster import Roster
from scheduler_app.rules.scopes import LaneOf, LinkScopes, PoolScopes
from scheduler_app.schedule import Schedule

__all__ = ["RULES", "ConflictEngine", "check_schedule"]

_first = itemgetter(0)


class ConflictEngine:
    """Conflicts of a live schedule, kept sorted by ``(start, bioreactor, kind)``.

    Call :meth:`check_all` after loading and after any change of master data (sites, suites,
    bioreactors, products, maintenance windows); after campaigns are added, moved, edited or
    deleted call :meth:`update` with the bioreactors the change touched (old and new). ``update``
    trusts that list: it notices changed master data and campaigns that moved off or onto a listed
    bioreactor, but a campaign changed only on an unlisted one waits for the next full check. Which
    campaigns of a listed bioreactor changed it reads from the schedule's campaign journal (what
    ``put_campaign`` and ``remove_campaign`` did) while the journal vouches for the dict, else it
    compares them all with the dict; so a campaign replaced by writing into ``schedule.campaigns``
    directly (the same dict, its length kept) also waits for the next full check."""

    def __init__(self, schedule: Schedule, rules: Iterable[AnyRule] = RULES) -> None:
        self.schedule = schedule
        self._rules = tuple(rules)
        self._lane_rules = tuple(r for r in self._rules if r.scope is Scope.BIOREACTOR)
        self._pools = PoolScopes(self._rules)
        self._links = LinkScopes(self._rules)
        self._catalogue: Catalogue | None = None
        self._contexts: dict[str, ReactorContext] = {}
        self._states: dict[str, LaneState] = {}
        self._known: dict[CampaignId, None] | None = None
        """The IDs of every campaign the engine has seen (its lanes' members), worked out from the
        lanes when an update first needs them (campaigns were added), then kept up to date."""
        self._count = 0
        self._forgotten: list[CampaignId] = []
        self._master: tuple[object, ...] = ()
        self._keys: list[SortKey] = []
        self._conflicts: list[Conflict] = []
        self._checked = False
        self._listed: NDArray[np.object_] = np.empty(0, dtype=object)
        """The schedule's campaigns in its order at the last full check. A numpy object array, not
        a list: the collector does not walk it (it is not tracked), and the collection that ends
        a full check then has 100,000 references fewer to follow."""
        self._roster = Roster({})
        self._changed: set[CampaignId] | None = None

    @collection_paused
    def check_all(self) -> list[Conflict]:
        """Check the whole schedule and return every conflict, sorted. Every rule is decided
        afresh; what is provably unchanged since the last check is reused: the grouping by
        bioreactor (the same campaign objects in the same order), a lane whose members and context
        are the very same objects, and a conflict whose inputs are. A fresh engine lays out all
        lanes at once (:class:`Roster`)."""
        schedule = self.schedule
        self._master = _master_data(schedule)
        self._catalogue = Catalogue.of(schedule, self._catalogue)
        self._contexts = reactor_contexts(schedule, self._catalogue, self._contexts)
        campaigns = schedule.campaigns
        if not _same_objects(self._listed.tolist(), campaigns.values()):
            self._roster = Roster.of(campaigns.values())
        self._listed = np.fromiter(campaigns.values(), dtype=object, count=len(campaigns))
        groups = self._roster.members
        previous = self._states
        lanes: dict[str, Lane | None] = {}
        stale: list[str] = []
        for code, members in groups.items():
            context = self._contexts.get(code)
            state = previous.get(code)
            old = state.lane if state is not None else None
            if context is None:
                lanes[code] = None
            elif old is not None and old.context is context and _same_objects(old.members, members):
                lanes[code] = old.renewed()
            else:
                stale.append(code)
        self._pools.reshape(schedule, self._contexts)
        lanes.update(self._roster.lay_out(self._contexts, stale, bool(self._pools.of)))
        _find_all_short_gaps([lane for lane in lanes.values() if lane is not None])
        self._states = {
            code: self._judge(groups[code], lane, previous.get(code))
            for code, lane in lanes.items()
        }
        mark = schedule.watched_journal().mark(campaigns)
        for state in self._states.values():
            state.mark = mark
        self._known, self._count = None, len(schedule.campaigns)
        items = [item for state in self._states.values() for item in state.items]
        items += self._pools.decide_all(self._lane_of)
        items += self._links.decide_all(schedule, self._contexts)
        items.sort(key=_first)
        self._keys = [key for key, _ in items]
        self._conflicts = [conflict for _, conflict in items]
        self._checked = True
        self._changed = None
        return list(self._conflicts)

    def update(self, bioreactors: Iterable[str]) -> list[Conflict]:
        """Recheck the bioreactors a change touched and return every conflict, sorted: the same
        answer as :meth:`check_all`. Falls back to a full check if master data changed."""
        if not self._checked or not _same_master(self._master, _master_data(self.schedule)):
            return self.check_all()
        changes = self._collect_changes(set(bioreactors))
        if changes is None:
            return self.check_all()
        self._changed = set()
        mark = self.schedule.journal.mark(self.schedule.campaigns)
        for code, change in changes.items():
            old = self._states.get(code)
            if old is not None and not change.left and not change.came:
                old.mark = mark
                continue  # the same members in the same context: the same lane and conflicts
            lane = self._lay_out(code, change.members, old, change)
            new = self._judge(change.members, lane, old)
            new.ids, new.mark = change.ids, mark
            self._states[code] = new
            self._replace(old.items if old is not None else [], new.items)
        left = [c for change in changes.values() for c in change.left]
        came = [c for change in changes.values() for c in change.came]
        for before, after in self._pools.redo(left + came, self._lane_of):
            self._replace(before, after)
        self._replace(*self._links.redo(self.schedule, self._contexts, left, came))
        return list(self._conflicts)

    def changed_campaigns(self) -> set[CampaignId] | None:
        """The campaigns named by a conflict the last :meth:`update` added or removed (whatever
        the scope: a change on one bioreactor can change seed, downstream or material conflicts of
        campaigns elsewhere); ``None`` after a full check, when any may have changed. What a view
        refreshing its conflict marks needs to look at again."""
        return None if self._changed is None else set(self._changed)

    @property
    def conflicts(self) -> list[Conflict]:
        if not self._checked:
            self.check_all()
        return list(self._conflicts)

    def conflicts_for(self, campaign_id: str) -> list[Conflict]:
        """Conflicts the campaign takes part in, sorted."""
        if not self._checked:
            self.check_all()
        campaign = self.schedule.campaigns.get(CampaignId(campaign_id))
        state = self._states.get(campaign.bioreactor) if campaign is not None else None
        if campaign is None or state is None:
            return []
        near = state.items + self._pools.items_for(campaign.bioreactor)
        near += self._links.items_for(campaign.id)
        mine = [item for item in near if campaign_id in item[1].campaigns]
        mine.sort(key=_first)
        return [conflict for _, conflict in mine]

    def preview(self, campaigns: Iterable[Campaign]) -> list[Conflict]:
        """The conflicts these hypothetical campaigns would be part of if they replaced the stored
        campaigns with the same IDs (possibly on other bioreactors). Changes nothing."""
        if not self._checked:
            self.check_all()
        hypothetical = {c.id: c for c in campaigns}
        lanes = self._hypothetical_lanes(hypothetical)
        destinations: set[str] = {c.bioreactor for c in hypothetical.values()}
        items: list[Item] = []
        for code in destinations:
            lane = lanes.get(code)
            if lane is None:
                continue
            state = self._states.get(code)
            focus = np.fromiter(
                (c.id in hypothetical for c in lane.campaigns), np.bool_, len(lane.campaigns)
            )
            found = Findings(state.memo if state is not None else None, focus)
            for rule in self._lane_rules:
                rule.find(lane, found)
            items.extend(found.items)
        items.extend(self._shared_preview(hypothetical, lanes, destinations))
        items.sort(key=_first)
        return [conflict for _, conflict in items]

    def _shared_preview(
        self, hypothetical: dict[CampaignId, Campaign], lanes: dict[str, Lane], codes: set[str]
    ) -> list[Item]:
        """What :meth:`preview` finds in pools and links: each scope involving a hypothetical
        campaign decided whole, keeping the conflicts that name one."""
        items: list[Item] = []
        ids = set(hypothetical)
        lane_of = self._lane_of_in(lanes)
        keys = {key for code in codes for key in self._pools.of.get(code, ())}
        if keys:
            stored = self.schedule.campaigns
            versions = [*hypothetical.values(), *filter(None, map(stored.get, hypothetical))]
            window = self._pools.window_of(versions)
            for key in keys:
                _, inside, _ = self._pools.decide_within(key, lane_of, window)
                items.extend(item for item in inside if not ids.isdisjoint(item[1].campaigns))
        if self._links.active:
            stored = self.schedule.campaigns
            consumers = self._links.consumers_touching(hypothetical, stored)
            if consumers:
                view = ChainMap(hypothetical, stored)
                _, found = self._links.decide(view, self._contexts, consumers, self._links.memo)
                items.extend(found.items)
        return items

    def _hypothetical_lanes(self, hypothetical: dict[CampaignId, Campaign]) -> dict[str, Lane]:
        """The lanes the hypothetical campaigns go to, and (when pools are checked) those they
        leave, as if they replaced the stored campaigns with the same IDs."""
        coming: dict[str, list[Campaign]] = {}
        for campaign in hypothetical.values():
            coming.setdefault(campaign.bioreactor, []).append(campaign)
        codes = set(coming)
        if self._pools.of:
            stored = self.schedule.campaigns
            for campaign in hypothetical.values():
                old = stored.get(campaign.id)
                if old is not None and old.bioreactor in self._pools.of:
                    codes.add(old.bioreactor)
        lanes: dict[str, Lane] = {}
        for code in codes:
            context = self._contexts.get(code)
            if context is None:
                continue
            state = self._states.get(code)
            old_lane = state.lane if state is not None else None
            stay = old_lane.campaigns if old_lane is not None else []
            left = [c for c in stay if c.id in hypothetical]
            came = coming.get(code, [])
            lane = (
                patch_lane(old_lane, [], left, came, most=len(left) + len(came))
                if old_lane is not None
                else None
            )
            if lane is None:
                lane = build_lane(context, [c for c in stay if c.id not in hypothetical] + came)
            lanes[code] = lane
        return lanes

    def _lane_of(self, code: str) -> Lane | None:
        state = self._states.get(code)
        return state.lane if state is not None else None

    def _lane_of_in(self, lanes: dict[str, Lane]) -> LaneOf:
        def lane_of(code: str) -> Lane | None:
            lane = lanes.get(code)
            return lane if lane is not None else self._lane_of(code)

        return lane_of

    def next_start_after(self, campaign: Campaign) -> datetime | None:
        """For the campaign placed as given (its bioreactor and start; everything else as stored):
        ``campaign.start`` when it takes part in no error-severity conflict; otherwise a later
        start before which no start is free of errors (each rule that objects says how far it must
        move at least, and the farthest counts); ``None`` when no later start on that bioreactor
        can be (the scale is not validated, the campaign it needs is missing, …). The slot finder
        loops on this, rounding up to the site's midnights."""
        if not self._checked:
            self.check_all()
        return next_start_after(self, campaign)

    def lane(self, code: str) -> Lane | None:
        """One bioreactor's lane as last checked (empty when it has no campaign; None when the
        engine does not check it), for planners that scan it in bulk. Read it, never change it."""
        if not self._checked:
            self.check_all()
        lane = self._lane_of(code)
        if lane is None and code in self._contexts:
            lane = build_lane(self._contexts[code], [])
        return lane

    def counts(self) -> dict[str, int]:
        if not self._checked:
            self.check_all()
        errors = sum(state.error_count() for state in self._states.values())
        errors += self._pools.errors() + self._links.errors()
        return {Severity.ERROR.value: errors, Severity.WARNING.value: len(self._conflicts) - errors}

    def _lay_out(
        self,
        code: str,
        members: list[Campaign],
        previous: LaneState | None,
        change: LaneChange,
    ) -> Lane | None:
        """One bioreactor's lane after ``change``: the previous one patched where it can be, else
        built. ``None`` for an unknown bioreactor."""
        context = self._contexts.get(code)
        if context is None:
            return None
        old = previous.lane if previous is not None else None
        if old is not None and old.context is context:
            lane = patch_lane(old, members, change.left, change.came)
            if lane is not None:
                return lane
        return build_lane(context, members)

    def _judge(
        self, members: list[Campaign], lane: Lane | None, previous: LaneState | None
    ) -> LaneState:
        """Run every rule on one lane."""
        if lane is None:
            return LaneState(members, None, {}, [])
        found = Findings(previous.memo if previous is not None else None)
        for rule in self._lane_rules:
            rule.find(lane, found)
        state = LaneState(members, lane, found.memo, found.items)
        if previous is not None:
            state.keep_ids_of(previous)
        return state

    def _collect_changes(self, touched: set[str]) -> dict[str, LaneChange] | None:
        """What changed on each touched bioreactor (and any bioreactor a campaign of theirs moved
        to), found without scanning the schedule unless campaigns were added. ``None`` when the
        schedule changed in a way the touched bioreactors cannot explain."""
        current = self.schedule.campaigns
        changes: dict[str, LaneChange] = {}
        arriving: dict[str, list[Campaign]] = {}
        pending = list(touched)
        self._forgotten = []
        while pending:
            code = pending.pop()
            if code not in changes:
                changes[code] = self._lane_change(code, current, arriving, pending)
            if not pending and len(current) != self._count:
                known = self._known_ids()
                added = added_ids(current, known)
                if len(added) + len(known) != len(current):
                    return None
                for campaign_id in added:
                    campaign = current[campaign_id]
                    known[campaign_id] = None
                    self._count += 1
                    arriving.setdefault(campaign.bioreactor, []).append(campaign)
                    pending.append(campaign.bioreactor)
        for code, campaigns in arriving.items():
            change = changes[code]
            change.members = [*change.members, *campaigns]
            change.ids = [*change.ids, *map(campaign_id_of, campaigns)]
            change.came.extend(campaigns)
        return changes

    def _lane_change(
        self,
        code: str,
        current: dict[CampaignId, Campaign],
        arriving: dict[str, list[Campaign]],
        pending: list[str],
    ) -> LaneChange:
        """What changed among a bioreactor's members: the campaigns the schedule's journal names
        since the state's mark, else every member compared with the schedule. Campaigns that moved
        elsewhere go to ``arriving`` and their new bioreactor to ``pending``."""
        state = self._states.get(code)
        if state is None:
            return LaneChange([], [], [], [])
        members = state.members
        rows = None
        if state.mark is not None:
            entries = self.schedule.journal.since(current, state.mark)
            if entries is not None:
                rows = journaled_rows(state, code, entries, current)
        if rows is None:
            now = state.fetch(current)
            rows = [(at, now[at]) for at in compress(range(len(now)), map(is_not, now, members))]
        if not rows:
            # Unchanged: the lists are shared, and copied only if campaigns arrive.
            return LaneChange(members, [], [], state.member_ids())
        change = LaneChange(list(members), [], [], list(state.member_ids()))
        # Walk back over the few positions that changed, so deleting keeps the others in place.
        for at, campaign in reversed(rows):
            old = members[at]
            change.left.append(old)
            if campaign is not None and campaign.bioreactor == code:
                change.members[at] = campaign
                change.came.append(campaign)
                continue
            del change.members[at]
            del change.ids[at]
            if campaign is None:
                self._count -= 1
                if self._known is not None:
                    self._known.pop(old.id, None)
                else:
                    self._forgotten.append(old.id)
            else:
                arriving.setdefault(campaign.bioreactor, []).append(campaign)
                pending.append(campaign.bioreactor)
        return change

    def _known_ids(self) -> dict[CampaignId, None]:
        """Every campaign ID the engine has seen: its lanes' members (cancelled ones too, on every
        bioreactor) less those this update found deleted. Worked out on first need rather than by
        every full check (a dict to None, not a set: the collector does not track it)."""
        known = self._known
        if known is None:
            members = (state.member_ids() for state in self._states.values())
            known = self._known = dict.fromkeys(chain.from_iterable(members))
            for campaign_id in self._forgotten:
                known.pop(campaign_id, None)
        return known

    def _replace(self, old: list[Item], new: list[Item]) -> None:
        """Swap one lane's conflicts in the sorted list, touching only those that changed."""
        if old is new or (len(old) == len(new) and all(map(is_, old, new))):
            return
        keys, conflicts = self._keys, self._conflicts
        # Reused conflicts come back as the very same item objects.
        had, has = set(map(id, old)), set(map(id, new))
        gone, came = had - has, has - had
        changed = self._changed
        if changed is not None:
            for item in old:
                if id(item) in gone:
                    changed.update(item[1].campaigns)
            for item in new:
                if id(item) in came:
                    changed.update(item[1].campaigns)
        for key, conflict in (item for item in old if id(item) in gone) if gone else ():
            at = bisect_left(keys, key)
            while conflicts[at] is not conflict:
                at += 1
            del keys[at]
            del conflicts[at]
        for key, conflict in (item for item in new if id(item) in came) if came else ():
            at = bisect_right(keys, key)
            keys.insert(at, key)
            conflicts.insert(at, conflict)


def _find_all_short_gaps(lanes: list[Lane]) -> None:
    """Hand every lane its short gaps, found a time zone at a time (cheaper than lane by lane)."""
    by_zone: dict[tuple[str, int], list[Lane]] = {}
    for lane in lanes:
        by_zone.setdefault((lane.context.tz, id(lane.context.catalogue)), []).append(lane)
    for group in by_zone.values():
        for lane, found in zip(group, find_short_gaps(group), strict=True):
            lane.know_neighbours(found)


def _master_data(schedule: Schedule) -> tuple[object, ...]:
    return (
        tuple(schedule.sites.values()),
        tuple(schedule.suites.values()),
        tuple(schedule.bioreactors.values()),
        tuple(schedule.products.values()),
        tuple(schedule.maintenance),
        dict(schedule.changeovers),
    )


def _same_master(before: tuple[object, ...], after: tuple[object, ...]) -> bool:
    """Master data objects are immutable: the same objects in the same order mean no change, and
    so do equal ones (every rule reads an equal object alike; a full check, which compares them
    by identity, takes the new ones). Compared in one C call, every object's identity first."""
    return before == after


def _same_objects(before: Collection[object], after: Collection[object]) -> bool:
    return len(before) == len(after) and all(map(is_, before, after))


def check_schedule(schedule: Schedule) -> list[Conflict]:
    """Every conflict of a schedule, sorted by start, bioreactor and kind."""
    return ConflictEngine(schedule).check_all()
