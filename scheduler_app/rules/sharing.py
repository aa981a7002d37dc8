"""Reporting over-booked shared equipment, for the seed and downstream rules.

One conflict per maximal interval in which more batches need a pool than it has units available.
It names every campaign with a batch needing the pool then, ordered by when the first of those
batches needs it (then ID); the last is the one to move, and the conflict is on its bioreactor.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import DAY_SECONDS, from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings, item, item_at
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.pools import Pool, overbooked_runs, profile
from scheduler_app.rules.protocol import Probe
from scheduler_app.rules.zone_table import zone_table


def report_overbooking(pool: Pool, found: Findings, kind: str, severity: Severity) -> None:
    runs, met, cuts = overbooked_runs(pool)
    if not runs:
        return
    shape = pool.shape
    before, after = found.memos(kind)
    items = found.items
    lanes = pool.lanes
    lane_of, row_of, start_of = pool.lane[met].tolist(), pool.row[met].tolist(), pool.starts[met]
    start_of = start_of.tolist()
    for k, (begin, finish, most, fewest) in enumerate(runs):
        # Each campaign by the first of its batches meeting the interval.
        first: dict[tuple[int, int], float] = {}
        for span in range(cuts[k], cuts[k + 1]):
            at = (lane_of[span], row_of[span])
            start = start_of[span]
            if start < first.get(at, math.inf):
                first[at] = start
        # Ordered by that start, then ID (a campaign is in one lane: no two share both).
        picked = [
            (start, lanes[lane].campaigns[row], lane, row) for (lane, row), start in first.items()
        ]
        picked.sort(key=_by_start_and_id)
        campaigns = tuple([p[1] for p in picked])
        ids = tuple([c.id for c in campaigns])
        key = (ids, begin, finish)
        hit = before.get(key)
        if hit is not None:
            products = tuple([lanes[p[2]].product_list[p[3]] for p in picked])
            inputs = (campaigns, products, shape.units, most, fewest)
            if hit[0] != inputs:
                hit = None
        if hit is None:
            products = tuple([lanes[p[2]].product_list[p[3]] for p in picked])
            inputs = (campaigns, products, shape.units, most, fewest)
            needed_from, _, lane_at, row_at = picked[-1]
            conflict = _build(
                kind,
                severity,
                pool,
                lanes[lane_at],
                row_at,
                ids,
                begin,
                finish,
                most,
                fewest,
                needed_from,
            )
            # Off whole seconds the conflict's datetimes are rounded: key it by them then.
            exact = begin % 1 == 0 and finish % 1 == 0
            hit = (inputs, item_at(conflict, begin, finish) if exact else item(conflict))
        after[key] = hit
        items.append(hit[1])


def _by_start_and_id(picked: tuple[float, Campaign, int, int]) -> tuple[float, str]:
    return picked[0], picked[1].id


def _build(
    kind: str,
    severity: Severity,
    pool: Pool,
    lane: Lane,
    row: int,
    ids: tuple[CampaignId, ...],
    begin: float,
    finish: float,
    most: int,
    fewest: int,
    needed_from: float,
) -> Conflict:
    moved = ids[-1]
    return Conflict(
        kind,
        severity,
        ids,
        lane.context.site.code,
        lane.context.reactor.code,
        from_epoch(begin),
        from_epoch(finish),
        describe=partial(
            _describe, kind, pool, lane, row, moved, begin, finish, most, fewest, needed_from
        ),
    )


def _describe(
    kind: str,
    pool: Pool,
    lane: Lane,
    row: int,
    moved: str,
    begin: float,
    finish: float,
    most: int,
    fewest: int,
    needed_from: float,
) -> str:
    shape = pool.shape
    count = len(shape.units)
    if kind == "seed":
        what = "batches" if most != 1 else "batch"
        units = "seed bioreactor" if count == 1 else "seed bioreactors"
    else:
        what = "harvests" if most != 1 else "harvest"
        units = "downstream train" if count == 1 else "downstream trains"
    tz = shape.tz
    available = f" ({fewest} available)" if fewest < count else ""
    advice = _midnight_on_or_after(float(lane.starts[row]) + (finish - needed_from), lane)
    verb = "needs" if most == 1 else "need"
    return (
        f"{kind}: {most} {what} {verb} the {count} {units} serving {shape.served}{available} from "
        f"{wording.local_day_at(begin, tz)} to {wording.local_day_at(finish, tz)} "
        f"({wording.place(tz)}) — move {moved} to start on or after "
        f"{wording.local_day_at(advice, lane.context.tz)} or to a bioreactor served by other "
        f"{units if count != 1 else units + 's'}"
    )


def _midnight_on_or_after(instant: float, lane: Lane) -> float:
    table = zone_table(lane.context.tz)
    wall = instant + table.offset_at(instant)
    day = math.ceil(wall / DAY_SECONDS)
    return float(table.from_wall(np.array([day * DAY_SECONDS], dtype=np.float64))[0])


_SLACK = 2 * 3600.0  # a start moved by some seconds moves its batches by as many, give or take DST


def bound(probe: Probe) -> float | None:
    """How far the campaign must move at least for its batches to fit the pool: each of its
    batches that needs the pool while the other batches already take every available unit must
    move past the end of that stretch (sliding later, it meets it until then)."""
    pool, lane = probe.pool, probe.lane
    start = float(lane.starts[probe.row])
    if pool is None or lane not in pool.lanes:
        return start + 1
    at = pool.lanes.index(lane)
    mine = (pool.lane == at) & (pool.row == probe.row)
    _, own, _ = profile(pool.starts[mine], pool.ends[mine], pool.shape)
    if own.size and int(own.max()) > len(pool.shape.units):
        return None  # its own batches need more units at once than the pool has: never fits
    others = ~mine & (pool.ends > pool.starts)
    points, demand, capacity = profile(pool.starts[others], pool.ends[others], pool.shape)
    full = demand >= capacity
    if points.size and full[-1]:
        return None  # no unit ever again: no later start fits
    shift = 0.0
    for a, b in zip(pool.starts[mine].tolist(), pool.ends[mine].tolist(), strict=True):
        if b <= a or not points.size:
            continue
        # Segments [points[k], points[k + 1]) meeting [a, b); the stretch of full ones a slide
        # later keeps meeting ends at the first segment that is not full after them.
        first = max(int(points.searchsorted(a, side="right")) - 1, 0)
        stop = int(points.searchsorted(b, side="left"))
        hit = (full[first:stop]).nonzero()[0]
        if not hit.size:
            continue
        free = (~full[first + int(hit[0]) :]).nonzero()[0]
        clear = float(points[first + int(hit[0]) + int(free[0])])
        shift = max(shift, clear - a)
    return max(start + shift - _SLACK, start + 1)
