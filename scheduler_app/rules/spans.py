"""Occupancy of shared equipment by each lane's batches, as arrays the pools are made of.

A batch needs a seed bioreactor for the product's seed days before it starts, and a downstream
train for its harvest days from its end, on the site's calendar: batch ``k`` starts
``k × (batch days + turnaround days)`` site-local days after the campaign. A lane's spans are worked
out once (for a full check, for all lanes of a time zone at once) and kept on the lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.equipment import EquipmentRole
from scheduler_app.localtime import add_local_days
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.zone_table import zone_table

if TYPE_CHECKING:
    from scheduler_app.rules.lane import Lane

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Spans:
    """Occupancy of shared equipment by one lane's batches: ``[starts, ends)`` as epoch seconds,
    ``rows`` the lane row each batch belongs to."""

    starts: FloatArray
    ends: FloatArray
    rows: IndexArray


_EMPTY = Spans(np.empty(0), np.empty(0), np.empty(0, dtype=np.intp))


def lane_spans(lane: Lane, role: EquipmentRole) -> Spans:
    """The seed (``role`` Seed) or harvest (Downstream) occupancy of every batch in the lane."""
    if not len(lane):
        return _EMPTY
    return _spans(
        lane.context, lane.campaigns, lane.starts, lane.products, _batch_arrays(lane), role
    )


def prime_spans(lanes: list[Lane], roles: tuple[EquipmentRole, ...]) -> None:
    """:func:`lane_spans` of many lanes at once, kept on each lane: lanes of one time zone are laid
    end to end so that a full check pays numpy's per-call cost per zone, not per lane."""
    by_zone: dict[tuple[str, int], list[Lane]] = {}
    for lane in lanes:
        if len(lane) and not all(role in lane.spans for role in roles):
            by_zone.setdefault((lane.context.tz, id(lane.context.catalogue)), []).append(lane)
    for group in by_zone.values():
        sizes = [len(lane) for lane in group]
        cuts = np.zeros(len(group) + 1, dtype=np.intp)
        np.cumsum(sizes, out=cuts[1:])
        campaigns = [c for lane in group for c in lane.campaigns]
        tables = [_batch_arrays(lane) for lane in group]
        arrays = (
            np.concatenate([t[0] for t in tables]),
            np.concatenate([t[1] for t in tables]),
            np.concatenate([t[2] for t in tables]),
        )
        starts = np.concatenate([lane.starts for lane in group])
        products = np.concatenate([lane.products for lane in group])
        for role in roles:
            found = _spans(group[0].context, campaigns, starts, products, arrays, role)
            bounds = found.rows.searchsorted(cuts).tolist()
            for index, lane in enumerate(group):
                a, b = bounds[index], bounds[index + 1]
                lane.spans[role] = Spans(
                    found.starts[a:b], found.ends[a:b], found.rows[a:b] - cuts[index]
                )


def _spans(
    context: ReactorContext,
    campaigns: list[Campaign],
    starts: FloatArray,
    products: IndexArray,
    arrays: tuple[IndexArray, FloatArray, FloatArray],
    role: EquipmentRole,
) -> Spans:
    """Occupancy of rows given as arrays (one lane's, or several laid end to end); ``rows`` in
    the result index those arrays and ascend."""
    catalogue = context.catalogue
    table = catalogue.seed_days if role is EquipmentRole.SEED else catalogue.harvest_days
    days = table[products]
    rows = (days > 0).nonzero()[0]
    if not rows.size:
        return _EMPTY
    batches, batch_days, period = arrays[0][rows], arrays[1][rows], arrays[2][rows]
    group = np.repeat(np.arange(rows.size), batches)
    firsts = np.cumsum(batches) - batches
    k = np.arange(group.size) - firsts[group]
    offset = k * period[group]
    harvest = role is EquipmentRole.DOWNSTREAM
    if harvest:
        offset = offset + batch_days[group]
    own = days[rows][group]
    tz = context.tz
    zone = zone_table(tz)
    starts_of = starts[rows][group]
    anchors = zone.add_days(starts_of, offset)
    other = zone.add_days(anchors, own if harvest else -own)
    for i in (starts_of % 1).nonzero()[0].tolist():
        campaign = campaigns[int(rows[group[i]])]
        anchor = add_local_days(campaign.start, float(offset[i]), tz)
        anchors[i] = anchor.timestamp()
        step = float(own[i]) if harvest else -float(own[i])
        other[i] = add_local_days(anchor, step, tz).timestamp()
    if harvest:
        return Spans(anchors, other, rows[group])
    return Spans(other, anchors, rows[group])


def _spans_few(
    context: ReactorContext, campaigns: list[Campaign], products: list[int], role: EquipmentRole
) -> Spans:
    """:func:`_spans` of a few campaigns, one batch at a time with the same arithmetic
    (:meth:`ZoneTable.add_days_at` is :meth:`ZoneTable.add_days` for one instant): for the few
    campaigns an edit brings, where numpy's per-call cost would dominate."""
    catalogue = context.catalogue
    harvest = role is EquipmentRole.DOWNSTREAM
    table = (catalogue.harvest_days if harvest else catalogue.seed_days).tolist()
    tz = context.tz
    zone = zone_table(tz)
    starts: list[float] = []
    ends: list[float] = []
    rows: list[int] = []
    for row, (campaign, product) in enumerate(zip(campaigns, products, strict=True)):
        own = table[product]
        if own <= 0:
            continue
        start = campaign.start.timestamp()
        period = float(campaign.batch_days + campaign.turnaround_days)
        for k in range(max(campaign.batches, 0)):
            offset = k * period + (campaign.batch_days if harvest else 0)
            step = own if harvest else -own
            if start % 1:
                moment = add_local_days(campaign.start, float(offset), tz)
                anchor, other = moment.timestamp(), add_local_days(moment, step, tz).timestamp()
            else:
                anchor = zone.add_days_at(start, offset)
                other = zone.add_days_at(anchor, step)
            starts.append(anchor if harvest else other)
            ends.append(other if harvest else anchor)
            rows.append(row)
    if not rows:
        return _EMPTY
    return Spans(
        np.array(starts, dtype=np.float64),
        np.array(ends, dtype=np.float64),
        np.array(rows, dtype=np.intp),
    )


def _batch_arrays(lane: Lane) -> tuple[IndexArray, FloatArray, FloatArray]:
    """Each row's batches, batch days and batch period (batch plus turnaround days), kept on the
    lane for both roles."""
    found = lane.spans.get("batches")
    if found is None:
        found = lane.spans["batches"] = _batch_table(lane.campaigns)
    return found


def _batch_table(campaigns: list[Campaign]) -> tuple[IndexArray, FloatArray, FloatArray]:
    """Batches, batch days and period (batch plus turnaround days) of each campaign."""
    n = len(campaigns)
    batches = np.fromiter([c.batches for c in campaigns], np.intp, n)
    days = np.fromiter([c.batch_days for c in campaigns], np.float64, n)
    turnaround = np.fromiter([c.turnaround_days for c in campaigns], np.float64, n)
    return np.maximum(batches, 0), days, days + turnaround


def carry_spans(
    old: Lane,
    new: Lane,
    keep: NDArray[np.bool_] | None,
    added: list[int],
    dropped: list[int] | None = None,
) -> None:
    """Give ``new``, patched from ``old`` by dropping the old rows ``keep`` leaves out (``None``:
    none) and adding the rows ``added`` (``new``'s row numbers, ascending), the spans ``old`` had
    worked out. A row's spans depend on its campaign and the lane's context alone (the same for
    both lanes), so only the added rows' are worked out: exactly what :func:`lane_spans` of
    ``new`` gives, at the cost of the few campaigns an edit brings. ``dropped``, the old rows
    ``keep`` leaves out, lets the usual edit (at most one row out and one in) be spliced with
    slices instead of mapping every span's row."""
    cache = old.spans
    roles = [role for role in (EquipmentRole.SEED, EquipmentRole.DOWNSTREAM) if role in cache]
    if not roles:
        return
    if dropped is not None and len(dropped) <= 1 and len(added) <= 1:
        _splice_spans(old, new, roles, dropped[0] if dropped else None, added)
        return
    placed = np.array(added, dtype=np.intp)
    free = np.ones(len(new), dtype=np.bool_)
    free[placed] = False
    new_of_old = np.full(len(old), -1, dtype=np.intp)
    new_of_old[slice(None) if keep is None else keep] = free.nonzero()[0]
    campaigns = [new.campaigns[i] for i in added]
    products = new.products[placed].tolist()
    for role in roles:
        spans = cache[role]
        rows = new_of_old[spans.rows]
        starts, ends = spans.starts, spans.ends
        if keep is not None:
            stay = rows >= 0
            rows, starts, ends = rows[stay], starts[stay], ends[stay]
        found = _spans_few(new.context, campaigns, products, role) if added else _EMPTY
        if found.rows.size:
            came = placed[found.rows]
            if len(added) == 1:
                # One row's batches, all going in at one place.
                at = int(rows.searchsorted(came[0]))
                rows = np.concatenate((rows[:at], came, rows[at:]))
                starts = np.concatenate((starts[:at], found.starts, starts[at:]))
                ends = np.concatenate((ends[:at], found.ends, ends[at:]))
            else:
                # Both parts ascend by row and share none: a stable sort merges them, each row's
                # batches staying in order.
                rows = np.concatenate((rows, came))
                order = np.argsort(rows, kind="stable")
                rows = rows[order]
                starts = np.concatenate((starts, found.starts))[order]
                ends = np.concatenate((ends, found.ends))[order]
        new.spans[role] = Spans(starts, ends, rows)


def _splice_spans(
    old: Lane, new: Lane, roles: list[EquipmentRole], dropped: int | None, added: list[int]
) -> None:
    """:func:`carry_spans` of an edit taking at most one row out (``dropped``, an old row) and
    putting at most one in (``added``): the old spans are cut where the dropped row's were and
    where the new row's go, and the rows between the two places move by one."""
    campaigns = [new.campaigns[i] for i in added]
    products = [int(new.products[i]) for i in added]
    for role in roles:
        spans = old.spans[role]
        rows, starts, ends = spans.rows, spans.starts, spans.ends
        if dropped is not None:
            a, b = rows.searchsorted([dropped, dropped + 1]).tolist()
        found = _spans_few(new.context, campaigns, products, role) if added else _EMPTY
        if not found.rows.size:
            if dropped is None:
                new.spans[role] = Spans(starts, ends, rows)
                continue
            # The rows after the dropped one move up by one.
            rows = np.concatenate((rows[:a], rows[b:] - 1))
            new.spans[role] = Spans(
                np.concatenate((starts[:a], starts[b:])), np.concatenate((ends[:a], ends[b:])), rows
            )
            continue
        placed = added[0]
        came = found.rows + placed  # the one campaign's rows are 0: np.full without its wrapper
        pieces: list[tuple[int, int, int]]  # old spans [i, j) whose rows move by k
        if dropped is None:
            # The rows from the new one on move down by one.
            x = int(rows.searchsorted(placed))
            pieces, at = [(0, x, 0), (x, len(rows), 1)], 1
        elif placed <= dropped:
            # The new row goes in before the dropped one's place: the old rows from the new one's
            # up to the dropped one move down by one; the others keep their numbers.
            x = int(rows.searchsorted(placed))
            pieces, at = [(0, x, 0), (x, a, 1), (b, len(rows), 0)], 1
        else:
            # After it: the old rows after the dropped one up to the new one's move up by one.
            x = int(rows.searchsorted(placed + 1))
            pieces, at = [(0, a, 0), (b, x, -1), (x, len(rows), 0)], 2
        row_parts = [rows[i:j] + k if k else rows[i:j] for i, j, k in pieces]
        start_parts = [starts[i:j] for i, j, _ in pieces]
        end_parts = [ends[i:j] for i, j, _ in pieces]
        row_parts.insert(at, came)
        start_parts.insert(at, found.starts)
        end_parts.insert(at, found.ends)
        new.spans[role] = Spans(
            np.concatenate(start_parts), np.concatenate(end_parts), np.concatenate(row_parts)
        )


RowsNear = dict[tuple[int, tuple[float, float]], tuple[int, int]]
"""The rows of a lane (by ``id``) that could meet a window, for one re-decision of pools, while
the lanes it reads are alive (the seed and the downstream pools of a lane ask alike)."""


def spans_near(
    lane: Lane,
    role: EquipmentRole,
    window: tuple[float, float],
    reach: float,
    near: RowsNear | None = None,
) -> tuple[FloatArray, FloatArray, IndexArray]:
    """The spans (starts, ends, rows) of the lane's rows that could meet ``window``: from the
    first row whose reach (latest end so far) passes the window's start, to the last starting
    before its end. Read off the lane's cached spans when it has them (their rows ascend), else
    worked out for those rows only. ``near`` keeps the rows found for another role."""
    if not lane.campaigns:
        return _EMPTY.starts, _EMPTY.ends, _EMPTY.rows
    rows = near.get((id(lane), window)) if near is not None else None
    if rows is None:
        low = int(lane.reach.searchsorted(window[0] - reach, side="right"))
        high = int(lane.starts.searchsorted(window[1] + reach, side="left"))
        if near is not None:
            near[(id(lane), window)] = (low, high)
    else:
        low, high = rows
    if low >= high:
        return _EMPTY.starts, _EMPTY.ends, _EMPTY.rows
    cached = lane.spans.get(role)
    if cached is not None:
        a, b = cached.rows.searchsorted([low, high]).tolist()
        return cached.starts[a:b], cached.ends[a:b], cached.rows[a:b]
    campaigns = lane.campaigns[low:high]
    found = _spans(
        lane.context,
        campaigns,
        lane.starts[low:high],
        lane.products[low:high],
        _batch_table(campaigns),
        role,
    )
    return found.starts, found.ends, found.rows + low


def lane_spans_cached(lane: Lane, role: EquipmentRole) -> Spans:
    """:func:`lane_spans`, kept on the lane (a lane never changes once laid out)."""
    cache = lane.spans
    found = cache.get(role)
    if found is None:
        found = cache[role] = lane_spans(lane, role)
    return found
