"""``ConflictEngine.next_start_after``: how far a campaign placed where it errs must move at least.

Every error rule of every scope the placement touches is asked whether it objects to the campaign;
each that does bounds the move through its ``bound`` (one site-local day later by default), and
the farthest bound counts: every start before it still breaks at least one rule.
"""

from __future__ import annotations

from collections import ChainMap
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.localtime import from_epoch
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.links import gather_links
from scheduler_app.rules.protocol import AnyRule, Probe
from scheduler_app.rules.zone_table import zone_table

if TYPE_CHECKING:
    from scheduler_app.rules.engine import ConflictEngine

_ERROR = Severity.ERROR


class _NoLaterStart(Exception):
    """A rule says no later start on this bioreactor can satisfy it."""


def next_start_after(engine: ConflictEngine, campaign: Campaign) -> datetime | None:
    context = engine._contexts.get(campaign.bioreactor)
    if context is None:
        return None
    if _consumers_object(engine, campaign):
        return None  # a campaign needing this one would wait longer still (or for ever)
    if campaign.status is Status.CANCELLED or campaign.product not in context.catalogue.index:
        return campaign.start
    lanes = engine._hypothetical_lanes({campaign.id: campaign})
    lane = lanes[campaign.bioreactor]
    row = _row_of(lane, campaign)
    start = float(lane.starts[row])
    try:
        bounds = _lane_bounds(engine, campaign, lane, row)
        bounds += _pool_bounds(engine, campaign, lanes, lane, row)
        bounds += _link_bounds(engine, campaign, lane, row)
    except _NoLaterStart:
        return None
    if not bounds:
        return campaign.start
    farthest = max(bounds)
    if farthest <= start:
        farthest = _one_day_later(lane, start)
    return from_epoch(farthest)


def _bound(rule: AnyRule, probe: Probe) -> float:
    if rule.bound is None:
        return _one_day_later(probe.lane, float(probe.lane.starts[probe.row]))
    found = rule.bound(probe)
    if found is None:
        raise _NoLaterStart
    return found


def _lane_bounds(engine: ConflictEngine, campaign: Campaign, lane: Lane, row: int) -> list[float]:
    focus = np.zeros(len(lane), dtype=np.bool_)
    focus[row] = True
    state = engine._states.get(campaign.bioreactor)
    memo = state.memo if state is not None else None
    probe = Probe(campaign, lane, row)
    bounds = []
    for rule in engine._lane_rules:
        if rule.severity is not _ERROR:
            continue
        found = Findings(memo, focus)
        rule.find(lane, found)
        if found.items:
            bounds.append(_bound(rule, probe))
    return bounds


def _pool_bounds(
    engine: ConflictEngine, campaign: Campaign, lanes: dict[str, Lane], lane: Lane, row: int
) -> list[float]:
    pools = engine._pools
    lane_of = engine._lane_of_in(lanes)
    bounds: list[float] = []
    if not pools.of.get(campaign.bioreactor):
        return bounds
    stored = engine.schedule.campaigns.get(campaign.id)
    window = pools.window_of([campaign] if stored is None else [campaign, stored])
    for key in pools.of.get(campaign.bioreactor, ()):
        rules = [r for r in pools.rules[key[0]] if r.severity is _ERROR]
        if not rules:
            continue
        _, inside, pool = pools.decide_within(key, lane_of, window)
        kinds = {conflict.kind for _, conflict in inside if campaign.id in conflict.campaigns}
        for rule in rules:
            if rule.kind in kinds:
                bounds.append(_bound(rule, Probe(campaign, lane, row, pool=pool)))
    return bounds


def _link_bounds(engine: ConflictEngine, campaign: Campaign, lane: Lane, row: int) -> list[float]:
    links = engine._links
    rules = [r for r in links.rules if r.severity is _ERROR]
    if not rules:
        return []
    view = ChainMap({campaign.id: campaign}, engine.schedule.campaigns)
    own = gather_links(view, engine._contexts, [campaign])
    bounds = []
    for rule in rules:
        found = Findings(links.memo)
        rule.find(own, found)
        if found.items:
            bounds.append(_bound(rule, Probe(campaign, lane, row, links=own)))
    return bounds


def _consumers_object(engine: ConflictEngine, campaign: Campaign) -> bool:
    """Whether a campaign that needs this one has an error with it placed so."""
    links = engine._links
    stored = engine.schedule.campaigns
    waiting = [
        stored[i]
        for i in sorted(links.needed_by.get(campaign.id, ()))
        if i in stored and i != campaign.id
    ]
    if not waiting:
        return False
    view = ChainMap({campaign.id: campaign}, stored)
    theirs = gather_links(view, engine._contexts, waiting)
    for rule in links.rules:
        if rule.severity is _ERROR:
            found = Findings(links.memo)
            rule.find(theirs, found)
            if found.items:
                return True
    return False


def _row_of(lane: Lane, campaign: Campaign) -> int:
    at = int(lane.starts.searchsorted(campaign.start.timestamp(), side="left"))
    while lane.campaigns[at] is not campaign:
        at += 1
    return at


def _one_day_later(lane: Lane, start: float) -> float:
    """The default bound: the next start a slot finder stepping by site-local days would try."""
    return zone_table(lane.context.tz).add_days_at(start, 1)
