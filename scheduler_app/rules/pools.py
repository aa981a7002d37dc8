"""Shared equipment as a scope: the seed bioreactors or downstream trains serving production
bioreactors, and the batches that need them.

Every production bioreactor has a set of units serving it (``Schedule.serving``). A *pool* is one
such set with every production bioreactor whose own set lies inside it: at any moment the batches
of those bioreactors can only use the pool's units, so more of them than the pool's available
units is an over-booking (when sets are disjoint or nested, as at real plants, these are all the
ways to over-book; partly overlapping sets are checked set by set). A unit is unavailable before
its (or its site's) available-from date and during its maintenance windows.

A batch needs a seed bioreactor for the product's seed days before the batch starts, and a
downstream train for its harvest days from the batch's end. Day arithmetic is the site's calendar:
batch ``k`` starts ``k × (batch days + turnaround days)`` site-local days after the campaign, and
its seed occupancy begins seed days before that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.localtime import add_local_days
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.zone_table import zone_table

if TYPE_CHECKING:
    from scheduler_app.campaigns import Campaign
    from scheduler_app.rules.lane import Lane
    from scheduler_app.schedule import Schedule

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

PoolKey = tuple[EquipmentRole, tuple[str, ...]]


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
    catalogue = lane.context.catalogue
    table = catalogue.seed_days if role is EquipmentRole.SEED else catalogue.harvest_days
    days = table[lane.products] if len(lane) else np.empty(0)
    rows = (days > 0).nonzero()[0]
    if not rows.size:
        return _EMPTY
    campaigns = [lane.campaigns[r] for r in rows.tolist()]
    batches = np.fromiter((c.batches for c in campaigns), np.intp, len(campaigns))
    batch_days = np.fromiter((c.batch_days for c in campaigns), np.float64, len(campaigns))
    period = batch_days + np.fromiter(
        (c.turnaround_days for c in campaigns), np.float64, len(campaigns)
    )
    batches = np.maximum(batches, 0)
    group = np.repeat(np.arange(rows.size), batches)
    firsts = np.cumsum(batches) - batches
    k = np.arange(group.size) - firsts[group]
    offset = k * period[group]
    harvest = role is EquipmentRole.DOWNSTREAM
    if harvest:
        offset = offset + batch_days[group]
    own = days[rows][group]
    zone = zone_table(lane.context.tz)
    starts_of = lane.starts[rows][group]
    anchors = zone.add_days(starts_of, offset)
    other = zone.add_days(anchors, own if harvest else -own)
    fractional = (starts_of % 1).nonzero()[0]
    for i in fractional.tolist():
        campaign = campaigns[int(group[i])]
        anchor = add_local_days(campaign.start, float(offset[i]), lane.context.tz)
        anchors[i] = anchor.timestamp()
        step = float(own[i]) if harvest else -float(own[i])
        other[i] = add_local_days(anchor, step, lane.context.tz).timestamp()
    if harvest:
        return Spans(anchors, other, rows[group])
    return Spans(other, anchors, rows[group])


@dataclass(frozen=True, slots=True)
class PoolShape:
    """A pool's master data: its units, the production bioreactors whose batches need them, and
    how many units are available over time (``capacity[k]`` from ``changes[k]`` to the next
    change; ``len(units)`` before the first)."""

    role: EquipmentRole
    units: tuple[Bioreactor, ...]
    members: tuple[str, ...]
    changes: FloatArray
    capacity: IndexArray
    served: str
    tz: str

    @property
    def key(self) -> PoolKey:
        return (self.role, tuple(u.code for u in self.units))

    def capacity_at(self, instants: FloatArray) -> IndexArray:
        full = np.full(len(instants), len(self.units), dtype=np.intp)
        if not self.changes.size:
            return full
        at = self.changes.searchsorted(instants, side="right") - 1
        return np.where(at >= 0, self.capacity[np.maximum(at, 0)], full)


def pool_shapes(
    schedule: Schedule, contexts: dict[str, ReactorContext]
) -> dict[PoolKey, PoolShape]:
    """Every seed and downstream pool of the schedule (see the module's docstring)."""
    shapes: dict[PoolKey, PoolShape] = {}
    producing = [
        code
        for code, context in contexts.items()
        if context.reactor.role is EquipmentRole.PRODUCTION
    ]
    for role in (EquipmentRole.SEED, EquipmentRole.DOWNSTREAM):
        units_of = {
            code: tuple(u for u in schedule.serving(role, code) if u.code in contexts)
            for code in producing
        }
        for units in sorted({u for u in units_of.values() if u}, key=_codes):
            inside = set(_codes(units))
            members = tuple(
                code
                for code in producing
                if units_of[code] and set(_codes(units_of[code])) <= inside
            )
            shape = _shape(schedule, contexts, role, units, members)
            shapes[shape.key] = shape
    return shapes


def _codes(units: tuple[Bioreactor, ...]) -> tuple[str, ...]:
    return tuple(u.code for u in units)


def _shape(
    schedule: Schedule,
    contexts: dict[str, ReactorContext],
    role: EquipmentRole,
    units: tuple[Bioreactor, ...],
    members: tuple[str, ...],
) -> PoolShape:
    deltas: list[tuple[float, int]] = []
    for unit in units:
        context = contexts[unit.code]
        down = [(-np.inf, context.available_from)] if context.available_from > -np.inf else []
        down += [(w.start, w.end) for w in context.windows if w.end > w.start]
        for start, end in _merged(down):
            deltas.append((start, -1))
            deltas.append((end, 1))
    deltas.sort()
    times = sorted({t for t, _ in deltas})
    level, at, capacity = len(units), 0, []
    for t in times:
        while at < len(deltas) and deltas[at][0] == t:
            level += deltas[at][1]
            at += 1
        capacity.append(level)
    served = sorted({s for u in units for s in (u.serves or (u.suite,))})
    return PoolShape(
        role,
        units,
        members,
        np.array(times, dtype=np.float64),
        np.array(capacity, dtype=np.intp),
        ", ".join(served),
        contexts[units[0].code].tz,
    )


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@dataclass(frozen=True, slots=True)
class Pool:
    """A pool with its demand: every batch's occupancy from its member lanes, laid end to end
    (``lane`` and ``row`` say whose), and the lanes themselves."""

    shape: PoolShape
    lanes: tuple[Lane, ...]
    starts: FloatArray
    ends: FloatArray
    lane: IndexArray
    row: IndexArray

    def campaign(self, span: int) -> Campaign:
        return self.lanes[int(self.lane[span])].campaigns[int(self.row[span])]


def gather(shape: PoolShape, lanes: list[Lane]) -> Pool:
    """The pool of ``shape`` over its member lanes (those of them that exist)."""
    parts = [lane_spans_cached(lane, shape.role) for lane in lanes]
    if not parts:
        empty = np.empty(0, dtype=np.intp)
        return Pool(shape, (), np.empty(0), np.empty(0), empty, empty)
    return Pool(
        shape,
        tuple(lanes),
        np.concatenate([p.starts for p in parts]),
        np.concatenate([p.ends for p in parts]),
        np.repeat(np.arange(len(parts), dtype=np.intp), [len(p.starts) for p in parts]),
        np.concatenate([p.rows for p in parts]),
    )


def lane_spans_cached(lane: Lane, role: EquipmentRole) -> Spans:
    """:func:`lane_spans`, kept on the lane (a lane never changes once laid out)."""
    cache = lane.spans
    found = cache.get(role)
    if found is None:
        found = cache[role] = lane_spans(lane, role)
    return found


Overbooked = tuple[float, float, int, int, IndexArray]
"""``(start, end, most batches, fewest units, spans)``: a maximal interval when more batches need
the pool than it has units available, with the spans (indices into the pool) that meet it."""


def overbooked(pool: Pool) -> list[Overbooked]:
    """The pool's maximal over-booked intervals, in time order."""
    starts, ends = pool.starts, pool.ends
    real = ends > starts
    if not real.any():
        return []
    if not real.all():
        starts, ends = starts[real], ends[real]
        keep = real.nonzero()[0]
    else:
        keep = None
    shape = pool.shape
    finite = shape.changes[np.isfinite(shape.changes)]
    points = np.unique(np.concatenate((starts, ends, finite)))
    sorted_starts, sorted_ends = np.sort(starts), np.sort(ends)
    demand = sorted_starts.searchsorted(points, side="right") - sorted_ends.searchsorted(
        points, side="right"
    )
    capacity = shape.capacity_at(points)
    over = demand > capacity
    if not over.any():
        return []
    flags = np.concatenate(([False], over, [False])).astype(np.int8)
    edges = np.diff(flags)
    firsts = (edges == 1).nonzero()[0]
    lasts = (edges == -1).nonzero()[0]  # the segment after the run's last one starts here
    order = np.argsort(starts, kind="stable")
    by_start = starts[order]
    longest = float((ends - starts).max())
    out: list[Overbooked] = []
    for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
        begin, finish = float(points[first]), float(points[last])
        low = int(by_start.searchsorted(begin - longest, side="left"))
        high = int(by_start.searchsorted(finish, side="left"))
        near = order[low:high]
        met = near[ends[near] > begin]
        spans = met if keep is None else keep[met]
        out.append(
            (
                begin,
                finish,
                int(demand[first:last].max()),
                int(capacity[first:last].min()),
                spans,
            )
        )
    return out
