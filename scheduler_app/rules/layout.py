"""Laying out a lane: one bioreactor's live campaigns sorted, as arrays.

A full check lays out every lane; after a change only the touched lanes are laid out again, and a
lane that differs from its previous layout by a few campaigns is patched rather than rebuilt.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.facts import FactCache, Facts
from scheduler_app.rules.lane import FloatArray, IndexArray, Lane

_CANCELLED = Status.CANCELLED  # a module constant: enum attribute lookups are slow in loops


def build_lane(
    context: ReactorContext, members: list[Campaign], cache: FactCache, remember: bool = True
) -> Lane:
    """Sort the live campaigns of one bioreactor by ``(start, id)`` and lay out their arrays.
    Campaigns of products missing from the catalogue cannot be checked and are left out (the
    importer refuses them)."""
    index = context.catalogue.index
    rows = [c for c in members if c.status is not _CANCELLED and c.product in index]
    facts = cache.of(rows, context.tz, remember)
    n = len(facts)
    starts = np.fromiter([f.start for f in facts], np.float64, n)
    if n > 1 and not (starts[1:] > starts[:-1]).all():
        order = np.argsort(starts, kind="stable")
        ordered = starts[order]
        if not (ordered[1:] > ordered[:-1]).all():
            ids = [c.id for c in rows]
            order = np.array(sorted(range(n), key=lambda i: (facts[i].start, ids[i])), np.intp)
        facts = [facts[i] for i in order.tolist()]
        starts = starts[order]
    return _assemble(
        context,
        members,
        facts,
        starts,
        np.fromiter([f.end for f in facts], np.float64, n),
        np.fromiter([f.due_end for f in facts], np.float64, n),
        np.fromiter([index[f.campaign.product] for f in facts], np.intp, n),  # type: ignore[union-attr]
    )


def patch_lane(
    old: Lane,
    members: list[Campaign],
    left: list[Campaign],
    came: list[Campaign],
    cache: FactCache,
    most: int = 6,
) -> Lane | None:
    """What :func:`build_lane` makes of ``members``, made from ``old`` by taking out the rows of the
    campaign objects that ``left`` and putting those that ``came`` in place. ``None`` (build it
    instead) when more than ``most`` changed or ``left`` names a row the old lane lacks."""
    if len(left) + len(came) > most:
        return None
    index = old.context.catalogue.index
    facts = list(old.facts)
    starts, ends, due_ends, products = old.starts, old.ends, old.due_ends, old.products
    drop = []
    for campaign in left:
        if campaign.status is not _CANCELLED and campaign.product in index:
            at = _row_of(starts, facts, campaign)
            if at is None:
                return None
            drop.append(at)
    if drop:
        keep = np.ones(len(facts), dtype=np.bool_)
        keep[drop] = False
        for at in sorted(drop, reverse=True):
            del facts[at]
        starts, ends, due_ends, products = starts[keep], ends[keep], due_ends[keep], products[keep]
    live = [c for c in came if c.status is not _CANCELLED and c.product in index]
    for fact in cache.of(live, old.context.tz):
        at = _position(starts, facts, fact)
        facts.insert(at, fact)
        starts = _insert(starts, at, fact.start)
        ends = _insert(ends, at, fact.end)
        due_ends = _insert(due_ends, at, fact.due_end)
        products = _insert(products, at, index[fact.campaign.product])  # type: ignore[union-attr]
    return _assemble(old.context, members, facts, starts, ends, due_ends, products)


def _row_of(starts: FloatArray, facts: list[Facts], campaign: Campaign) -> int | None:
    start = campaign.start.timestamp()
    at = int(starts.searchsorted(start, side="left"))
    while at < len(facts) and facts[at].start == start:
        if facts[at].campaign is campaign:
            return at
        at += 1
    return None


def _insert(values: NDArray[Any], at: int, value: float) -> NDArray[Any]:
    """``np.insert`` for one value, without its generality (it costs several times more)."""
    return np.concatenate((values[:at], np.array([value], dtype=values.dtype), values[at:]))


def _position(starts: FloatArray, facts: list[Facts], fact: Facts) -> int:
    """Where ``fact`` goes in rows sorted by ``(start, id)``."""
    at = int(starts.searchsorted(fact.start, side="left"))
    campaign_id = fact.campaign.id  # type: ignore[union-attr]
    while at < len(facts) and facts[at].start == fact.start:
        if facts[at].campaign.id > campaign_id:  # type: ignore[union-attr]
            break
        at += 1
    return at


def _assemble(
    context: ReactorContext,
    members: list[Campaign],
    facts: list[Facts],
    starts: FloatArray,
    ends: FloatArray,
    due_ends: FloatArray,
    products: IndexArray,
) -> Lane:
    n = len(facts)
    reach = np.maximum.accumulate(ends) if n else ends
    positions = np.arange(n, dtype=np.intp)
    latest = np.maximum.accumulate(np.where(ends == reach, positions, 0)) if n else positions
    return Lane(
        context,
        members,
        facts,
        [f.campaign for f in facts],  # type: ignore[misc]
        starts,
        ends,
        due_ends,
        products,
        reach,
        latest,
        not ((starts % 1).any() or (ends % 1).any()),
    )
