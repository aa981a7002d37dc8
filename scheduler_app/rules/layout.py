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
from scheduler_app.rules.facts import measure
from scheduler_app.rules.lane import FloatArray, IndexArray, Lane
from scheduler_app.rules.neighbours import patch_short_gaps
from scheduler_app.rules.spans import carry_spans

_CANCELLED = Status.CANCELLED  # a module constant: enum attribute lookups are slow in loops


def build_lane(context: ReactorContext, members: list[Campaign]) -> Lane:
    """Sort the live campaigns of one bioreactor by ``(start, id)`` and lay out their arrays.
    Campaigns of products missing from the catalogue cannot be checked and are left out (the
    importer refuses them)."""
    index = context.catalogue.index
    rows = [c for c in members if c.status is not _CANCELLED and c.product in index]
    found = measure(rows, context.tz)
    products = np.fromiter([index[c.product] for c in rows], np.intp, len(rows))
    return arrange(context, members, rows, found.starts, found.ends, found.due_ends, products)


def arrange(
    context: ReactorContext,
    members: list[Campaign],
    rows: list[Campaign],
    starts: FloatArray,
    ends: FloatArray,
    due_ends: FloatArray,
    products: IndexArray,
    whole_seconds: bool | None = None,
    rising: bool = False,
) -> Lane:
    """The lane of ``rows`` (live campaigns, with their measures and product indices in the same
    order), sorted by ``(start, id)`` unless already so; ``rising`` says the caller knows the
    starts strictly increase."""
    n = len(rows)
    if n > 1 and not rising and not (starts[1:] > starts[:-1]).all():
        order = np.argsort(starts, kind="stable")
        ordered = starts[order]
        if not (ordered[1:] > ordered[:-1]).all():
            keys = list(zip(starts.tolist(), [c.id for c in rows], strict=True))
            order = np.array(sorted(range(n), key=keys.__getitem__), np.intp)
        rows = [rows[i] for i in order.tolist()]
        starts, ends, due_ends = starts[order], ends[order], due_ends[order]
        products = products[order]
    return assemble(context, members, rows, starts, ends, due_ends, products, whole_seconds)


def patch_lane(
    old: Lane,
    members: list[Campaign],
    left: list[Campaign],
    came: list[Campaign],
    most: int = 6,
) -> Lane | None:
    """What :func:`build_lane` makes of ``members``, made from ``old`` by taking out the rows of the
    campaign objects that ``left`` and putting those that ``came`` in place. ``None`` (build it
    instead) when more than ``most`` changed or ``left`` names a row the old lane lacks."""
    if len(left) + len(came) > most:
        return None
    index = old.context.catalogue.index
    rows = list(old.campaigns)
    starts, ends, due_ends, products = old.starts, old.ends, old.due_ends, old.products
    drop = []
    keep: NDArray[np.bool_] | None = None
    for campaign in left:
        if campaign.status is not _CANCELLED and campaign.product in index:
            at = _row_of(starts, rows, campaign)
            if at is None:
                return None
            drop.append(at)
    live = [c for c in came if c.status is not _CANCELLED and c.product in index]
    if len(drop) <= 1 and len(live) <= 1:
        return _swap_one(old, members, rows, drop[0] if drop else None, live)
    if drop:
        keep = np.ones(len(rows), dtype=np.bool_)
        keep[drop] = False
        for at in sorted(drop, reverse=True):
            del rows[at]
        starts, ends, due_ends, products = starts[keep], ends[keep], due_ends[keep], products[keep]
    placed: list[int] = []  # the new rows of ``live``, kept up to date as others go in
    whole_came = True
    if live:
        found = measure(live, old.context.tz)
        for campaign, start, end, due_end in zip(
            live, found.starts.tolist(), found.ends.tolist(), found.due_ends.tolist(), strict=True
        ):
            if start % 1 or end % 1:
                whole_came = False
            at = _position(starts, rows, start, campaign.id)
            placed = [p + 1 if p >= at else p for p in placed]
            placed.append(at)
            rows.insert(at, campaign)
            starts = _insert(starts, at, start)
            ends = _insert(ends, at, end)
            due_ends = _insert(due_ends, at, due_end)
            products = _insert(products, at, index[campaign.product])
    # Whole seconds stay whole seconds when the rows that came are (rows going cannot spoil it).
    whole = True if old.whole_seconds and whole_came else None
    lane = assemble(old.context, members, rows, starts, ends, due_ends, products, whole)
    carry_spans(old, lane, keep, sorted(placed), drop)
    return lane


def _swap_one(
    old: Lane,
    members: list[Campaign],
    rows: list[Campaign],
    dropped: int | None,
    live: list[Campaign],
) -> Lane:
    """:func:`patch_lane` of the usual edit: at most one row (``dropped``) out and at most one
    campaign in, each array cut once and put together in one call."""
    starts, ends, due_ends, products = old.starts, old.ends, old.due_ends, old.products
    if not live:
        if dropped is None:
            whole: bool | None = old.whole_seconds
        else:
            del rows[dropped]
            cut = (slice(None, dropped), slice(dropped + 1, None))
            starts, ends, due_ends, products = (
                np.concatenate([values[part] for part in cut])
                for values in (starts, ends, due_ends, products)
            )
            whole = True if old.whole_seconds else None
        lane = assemble(old.context, members, rows, starts, ends, due_ends, products, whole)
        carry_spans(old, lane, None, [], [] if dropped is None else [dropped])
        if dropped is None:
            gaps = old.known_neighbours()
        else:
            gaps = patch_short_gaps(old, lane, dropped, dropped + 1, dropped)
        if gaps is not None:
            lane.know_neighbours(gaps)
        return lane
    [campaign] = live
    found = measure(live, old.context.tz)
    start, end = float(found.starts[0]), float(found.ends[0])
    # Its place among the old rows; one fewer before it if the dropped row is one of those.
    before = _position(starts, old.campaigns, start, campaign.id)
    at = before - 1 if dropped is not None and dropped < before else before
    if dropped is not None:
        del rows[dropped]
    rows.insert(at, campaign)
    came = (
        found.starts,
        found.ends,
        found.due_ends,
        np.array([old.context.catalogue.index[campaign.product]], np.intp),
    )
    parts: list[slice | int]
    if dropped is None:
        parts = [slice(None, before), 0, slice(before, None)]
    elif before <= dropped:
        parts = [slice(None, before), 0, slice(before, dropped), slice(dropped + 1, None)]
    else:
        parts = [slice(None, dropped), slice(dropped + 1, before), 0, slice(before, None)]
    starts, ends, due_ends, products = (
        np.concatenate([new if isinstance(part, int) else values[part] for part in parts])
        for values, new in zip((starts, ends, due_ends, products), came, strict=True)
    )
    whole = True if old.whole_seconds and not (start % 1 or end % 1) else None
    lane = assemble(old.context, members, rows, starts, ends, due_ends, products, whole)
    carry_spans(old, lane, None, [at], [] if dropped is None else [dropped])
    # Rows before ``low`` are the old ones; from the new ``tail`` on, the old ones from ``was``.
    if dropped is None:
        low, was, tail = at, at, at + 1
    elif before <= dropped:
        low, was, tail = at, dropped + 1, dropped + 1
    else:
        low, was, tail = dropped, before, before
    gaps = patch_short_gaps(old, lane, low, was, tail)
    if gaps is not None:
        lane.know_neighbours(gaps)
    return lane


def _row_of(starts: FloatArray, rows: list[Campaign], campaign: Campaign) -> int | None:
    start = campaign.start.timestamp()
    at = int(starts.searchsorted(start, side="left"))
    while at < len(rows) and starts[at] == start:
        if rows[at] is campaign:
            return at
        at += 1
    return None


def _insert(values: NDArray[Any], at: int, value: float) -> NDArray[Any]:
    """``np.insert`` for one value, without its generality (it costs several times more)."""
    return np.concatenate((values[:at], np.array([value], dtype=values.dtype), values[at:]))


def _position(starts: FloatArray, rows: list[Campaign], start: float, campaign_id: str) -> int:
    """Where a campaign starting at ``start`` goes in rows sorted by ``(start, id)``."""
    at = int(starts.searchsorted(start, side="left"))
    while at < len(rows) and starts[at] == start:
        if rows[at].id > campaign_id:
            break
        at += 1
    return at


def assemble(
    context: ReactorContext,
    members: list[Campaign],
    rows: list[Campaign],
    starts: FloatArray,
    ends: FloatArray,
    due_ends: FloatArray,
    products: IndexArray,
    whole_seconds: bool | None = None,
    reach: FloatArray | None = None,
    latest: IndexArray | None = None,
) -> Lane:
    """The lane of rows already sorted by ``(start, id)``; ``reach`` and ``latest`` are computed
    unless the caller has them (see :class:`Lane`)."""
    if reach is None or latest is None:
        n = len(rows)
        reach = np.maximum.accumulate(ends) if n else ends
        positions = np.arange(n, dtype=np.intp)
        latest = np.maximum.accumulate(np.where(ends == reach, positions, 0)) if n else positions
    if whole_seconds is None:
        whole_seconds = not ((starts % 1).any() or (ends % 1).any())
    return Lane(
        context, members, rows, starts, ends, due_ends, products, reach, latest, whole_seconds
    )
