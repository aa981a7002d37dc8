"""Shared equipment as a scope: the seed bioreactors or downstream trains serving production
bioreactors, and the batches that need them.

Every production bioreactor has a set of units serving it (``Schedule.serving``). A *pool* is one
such set with every production bioreactor whose own set lies inside it: at any moment the batches
of those bioreactors can only use the pool's units, so more of them than the pool's available
units is an over-booking (when sets are disjoint or nested, as at real plants, these are all the
ways to over-book; partly overlapping sets are checked set by set). A unit is unavailable before
its (or its site's) available-from date and during its maintenance windows.

A batch needs a seed bioreactor for the product's seed days before the batch starts, and a
downstream train for its harvest days from the batch's end (``spans.py`` works these out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.spans import RowsNear, lane_spans_cached, spans_near

if TYPE_CHECKING:
    from scheduler_app.rules.lane import Lane
    from scheduler_app.schedule import Schedule

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]

PoolKey = tuple[EquipmentRole, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class PoolShape:
    """A pool's master data: its units, the production bioreactors whose batches need them, and
    how many units are available over time (``capacity[k]`` from ``changes[k]`` to the next
    change; ``len(units)`` before the first). ``levels`` is ``capacity`` after ``len(units)``
    and ``finite`` the finite ``changes``, worked out once for :func:`profile`."""

    role: EquipmentRole
    units: tuple[Bioreactor, ...]
    members: tuple[str, ...]
    changes: FloatArray
    capacity: IndexArray
    served: str
    tz: str
    levels: IndexArray
    finite: FloatArray

    @property
    def key(self) -> PoolKey:
        return (self.role, tuple(u.code for u in self.units))

    def capacity_at(self, instants: FloatArray) -> IndexArray:
        return self.levels[self.changes.searchsorted(instants, side="right")]


def pool_shapes(
    schedule: Schedule, contexts: dict[str, ReactorContext]
) -> dict[PoolKey, PoolShape]:
    """Every seed and downstream pool of the schedule (see the module's docstring)."""
    shapes: dict[PoolKey, PoolShape] = {}
    producing = [
        context.reactor
        for context in contexts.values()
        if context.reactor.role is EquipmentRole.PRODUCTION
    ]
    for role in (EquipmentRole.SEED, EquipmentRole.DOWNSTREAM):
        units_of = _serving(schedule, contexts, role, producing)
        for units in sorted({u for u in units_of.values() if u}):
            inside = set(units)
            members = tuple(
                r.code
                for r in producing
                if units_of[r.code] and inside.issuperset(units_of[r.code])
            )
            found = tuple(schedule.bioreactors[BioreactorCode(code)] for code in units)
            shape = _shape(schedule, contexts, role, found, members)
            shapes[shape.key] = shape
    return shapes


def _serving(
    schedule: Schedule,
    contexts: dict[str, ReactorContext],
    role: EquipmentRole,
    producing: list[Bioreactor],
) -> dict[str, tuple[str, ...]]:
    """``Schedule.serving`` for every production bioreactor at once (by suite and code, not by
    comparing every pair): the codes of the units of ``role`` serving each."""
    by_suite: dict[str, list[str]] = {}
    for reactor in producing:
        by_suite.setdefault(reactor.suite, []).append(reactor.code)
    codes = {r.code for r in producing}
    found: dict[str, set[str]] = {r.code: set() for r in producing}
    for context in contexts.values():
        unit = context.reactor
        if unit.role is not role:
            continue
        for name in unit.serves or (unit.suite,):
            for code in by_suite.get(name, ()):
                found[code].add(unit.code)
            if name in codes:
                found[name].add(unit.code)
    return {code: tuple(sorted(units)) for code, units in found.items()}


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
    changes = np.array(times, dtype=np.float64)
    return PoolShape(
        role,
        units,
        members,
        changes,
        np.array(capacity, dtype=np.intp),
        ", ".join(served),
        contexts[units[0].code].tz,
        np.array([len(units), *capacity], dtype=np.intp),
        changes[np.isfinite(changes)],
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
    (``lane`` and ``row`` say whose), and the lanes themselves.

    With a ``window`` ``(low, high)`` the pool holds only the batches meeting it and is asked only
    about over-booked intervals starting inside it: the engine re-decides the part of a pool a
    change can reach, having widened the window over every interval the pool had there (outside
    the window nothing changed, so nothing found inside runs past it).

    ``lane`` and ``row`` are put together when read (from each lane's rows, ``parts``, and the
    spans kept, ``meets``; ``None``: all): only a pool with an over-booking, or one a slot finder
    probes, reads them, and an update re-decides pools that mostly have none."""

    shape: PoolShape
    lanes: tuple[Lane, ...]
    starts: FloatArray
    ends: FloatArray
    parts: tuple[IndexArray, ...]
    meets: IndexArray | None = None
    window: tuple[float, float] | None = None

    @property
    def lane(self) -> IndexArray:
        """Each span's lane (an index into ``lanes``)."""
        sizes = [len(rows) for rows in self.parts]
        lane = np.repeat(np.arange(len(sizes), dtype=np.intp), sizes)
        return lane if self.meets is None else lane[self.meets]

    @property
    def row(self) -> IndexArray:
        """Each span's row in its lane."""
        if not self.parts:
            return np.empty(0, dtype=np.intp)
        rows = np.concatenate(self.parts)
        return rows if self.meets is None else rows[self.meets]

    def campaign(self, span: int) -> Campaign:
        return self.lanes[int(self.lane[span])].campaigns[int(self.row[span])]


def gather(
    shape: PoolShape,
    lanes: list[Lane],
    window: tuple[float, float] | None = None,
    reach: float = 0.0,
    near: RowsNear | None = None,
) -> Pool:
    """The pool of ``shape`` over its member lanes (those of them that exist), all of it or the
    batches meeting ``window``. With a window, only the rows whose campaigns could meet it are
    looked at (a batch's occupancy lies within ``reach`` seconds of its campaign), so the cost
    follows the window, not the lanes' length."""
    if window is None:
        parts = [
            (p.starts, p.ends, p.rows)
            for p in (lane_spans_cached(lane, shape.role) for lane in lanes)
        ]
    else:
        parts = [spans_near(lane, shape.role, window, reach, near) for lane in lanes]
    if not parts:
        return Pool(shape, (), np.empty(0), np.empty(0), (), None, window)
    starts = np.concatenate([p[0] for p in parts])
    ends = np.concatenate([p[1] for p in parts])
    meets = None
    if window is not None:
        meets = ((starts < window[1]) & (ends > window[0])).nonzero()[0]
        starts, ends = starts[meets], ends[meets]
    return Pool(shape, tuple(lanes), starts, ends, tuple(p[2] for p in parts), meets, window)


Overbooked = tuple[float, float, int, int, IndexArray]
"""``(start, end, most batches, fewest units, spans)``: a maximal interval when more batches need
the pool than it has units available, with the spans (indices into the pool) that meet it."""


def profile(
    starts: FloatArray, ends: FloatArray, shape: PoolShape
) -> tuple[FloatArray, IndexArray, IndexArray]:
    """Demand and capacity over time: from each of ``points`` to the next, ``demand`` spans (of
    non-empty ``[starts, ends)``) need the pool and ``capacity`` units are available."""
    finite = shape.finite
    n = len(starts)
    # One stable sort of every boundary (the spans come as a few sorted runs, one per lane, which
    # a stable sort merges cheaply); the level after the last event at an instant is the demand
    # from that instant on.
    times = np.concatenate((starts, ends, finite))
    step = np.zeros(len(times), dtype=np.intp)
    step[:n] = 1
    step[n : 2 * n] = -1
    order = np.argsort(times, kind="stable")
    times = times[order]
    level = np.add.accumulate(step[order])  # np.cumsum without its Python wrapper
    last = np.empty(len(times), dtype=np.bool_)
    if len(times):
        np.not_equal(times[1:], times[:-1], out=last[:-1])
        last[-1] = True
    points, demand = times[last], level[last]
    return points, demand, shape.capacity_at(points)


def overbooked(pool: Pool) -> list[Overbooked]:
    """The pool's maximal over-booked intervals, in time order."""
    runs, met, cuts = overbooked_runs(pool)
    return [(*run, met[cuts[k] : cuts[k + 1]]) for k, run in enumerate(runs)]


Run = tuple[float, float, int, int]
"""``(start, end, most batches, fewest units)`` of an over-booked interval (see ``Overbooked``)."""


def overbooked_runs(pool: Pool) -> tuple[list[Run], IndexArray, list[int]]:
    """:func:`overbooked` as one array: the runs, and the spans meeting them laid end to end,
    run ``k``'s from ``cuts[k]`` to ``cuts[k + 1]``."""
    starts, ends = pool.starts, pool.ends
    real = ends > starts
    keep = None
    # Counted rather than .all() / .any(), which go through numpy's Python wrappers: this runs
    # for every pool an update re-decides.
    kept = np.count_nonzero(real)
    if kept < len(real):
        if not kept:
            return [], _NO_SPANS, [0]
        starts, ends = starts[real], ends[real]
        keep = real.nonzero()[0]
    shape = pool.shape
    points, demand, capacity = profile(starts, ends, shape)
    over = demand > capacity
    if not np.count_nonzero(over):
        return [], _NO_SPANS, [0]
    flags = np.concatenate(([False], over, [False])).view(np.int8)
    edges = flags[1:] - flags[:-1]
    firsts = (edges == 1).nonzero()[0]
    lasts = (edges == -1).nonzero()[0]  # the segment after the run's last one starts here
    if pool.window is not None:
        low, high = pool.window
        inside = (points[firsts] >= low) & (points[firsts] < high)
        firsts, lasts = firsts[inside], lasts[inside]
        if not firsts.size:
            return [], _NO_SPANS, [0]
    begins, finishes = points[firsts], points[lasts]
    # Each run's [first, last) segments, reduced in one call (every other slice is a gap).
    bounds = np.empty(2 * len(firsts), dtype=np.intp)
    bounds[0::2], bounds[1::2] = firsts, lasts
    most = np.maximum.reduceat(np.append(demand, 0), bounds)[0::2]
    fewest = np.minimum.reduceat(np.append(capacity, 0), bounds)[0::2]
    # The runs a span meets: from the first ending after it starts to the last starting before it
    # ends (runs are disjoint and in time order).
    low = finishes.searchsorted(starts, side="right")
    high = begins.searchsorted(ends, side="left")
    meeting = (high > low).nonzero()[0]  # few: most batches meet no over-booking
    low, count = low[meeting], high[meeting] - low[meeting]
    if (count == 1).all():  # the usual case: each meets one run
        met, run = meeting, low
    else:
        met = np.repeat(meeting, count)
        firsts_of = np.cumsum(count) - count
        run = np.repeat(low, count) + (np.arange(len(met)) - np.repeat(firsts_of, count))
    by_run = np.argsort(run, kind="stable")
    met, run = met[by_run], run[by_run]
    if keep is not None:
        met = keep[met]
    cuts = run.searchsorted(np.arange(len(firsts) + 1)).tolist()
    runs = list(
        zip(begins.tolist(), finishes.tolist(), most.tolist(), fewest.tolist(), strict=True)
    )
    return runs, met, cuts


_NO_SPANS: IndexArray = np.empty(0, dtype=np.intp)
