"""Short gaps between consecutive campaigns, found for many lanes in one pass.

A campaign's predecessor is the latest-ending campaign that started before it on the same
bioreactor (``Lane.latest``). When the two do not overlap, the campaign needs the predecessor's end
plus ``need_days`` site-local days (turnaround for the same product, the larger changeover for
different ones); a shorter gap is what the changeover and turnaround rules report. Lanes of one
time zone are laid end to end so that a full check pays numpy's per-call cost once, not per lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scheduler_app.localtime import add_local_days
from scheduler_app.rules.zone_table import zone_table

if TYPE_CHECKING:
    from scheduler_app.rules.lane import Lane

IndexArray = NDArray[np.intp]

_EMPTY_INDEX: IndexArray = np.empty(0, dtype=np.intp)


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Consecutive, non-overlapping pairs whose gap is too short: ``later[k]`` follows
    ``earlier[k]`` and needs ``need[k]`` site-local days after it; ``same`` marks same product.
    ``crowded`` counts the campaigns that start before an earlier one has ended: without any, the
    lane has no overlap to look for."""

    later: IndexArray
    earlier: IndexArray
    need: NDArray[np.float64]
    same: NDArray[np.bool_]
    crowded: int = 0


NONE = Neighbours(_EMPTY_INDEX, _EMPTY_INDEX, np.empty(0), np.empty(0, dtype=np.bool_))


def find_short_gaps(lanes: list[Lane]) -> list[Neighbours]:
    """The short gaps of each lane; the lanes must share a time zone and a catalogue."""
    if not lanes:
        return []
    sizes = [len(lane) for lane in lanes]
    total = sum(sizes)
    if total < 2:
        return [NONE] * len(lanes)
    apart = np.empty(total, dtype=np.bool_)
    if len(lanes) == 1:
        [lane] = lanes
        starts, ends, reach = lane.starts, lane.ends, lane.reach
        latest, products = lane.latest, lane.products
        firsts = np.array([0, total], dtype=np.intp)
        apart[0] = False
        bounds = (float(starts[0]), float(reach[-1]))
    else:
        firsts = np.zeros(len(lanes) + 1, dtype=np.intp)
        np.cumsum(sizes, out=firsts[1:])
        starts = np.concatenate([lane.starts for lane in lanes])
        ends = np.concatenate([lane.ends for lane in lanes])
        reach = np.concatenate([lane.reach for lane in lanes])
        products = np.concatenate([lane.products for lane in lanes])
        latest = np.concatenate([lane.latest for lane in lanes])
        latest += np.repeat(firsts[:-1], sizes)
        bounds = (float(starts.min()), float(reach.max()))
    np.less_equal(reach[:-1], starts[1:], out=apart[1:])
    if len(lanes) > 1:
        heads = firsts[:-1]
        apart[heads[heads < total]] = False  # a lane's first campaign follows nothing
    later = apart.nonzero()[0]
    if len(lanes) == 1:
        crowded = [max(total - 1, 0) - len(later)]
    else:
        followers = np.maximum(np.array(sizes, dtype=np.intp) - 1, 0)
        crowded = (followers - np.diff(later.searchsorted(firsts))).tolist()
    earlier = latest[later - 1]
    later_product, earlier_product = products[later], products[earlier]
    context = lanes[0].context
    need = context.catalogue.need_days[later_product, earlier_product]
    later_starts = starts[later]
    required = zone_table(context.tz).add_days(
        ends[earlier], need, bounds=bounds, most_days=context.catalogue.most_days
    )
    short = later_starts < required
    if not all(lane.whole_seconds for lane in lanes):
        # Whole-second instants make the float arithmetic exact; anything finer that lands within
        # a millisecond of the boundary is settled with datetimes.
        for k in (np.abs(later_starts - required) < 1e-3).nonzero()[0].tolist():
            short[k] = _short_exact(lanes, firsts, int(later[k]), int(earlier[k]), float(need[k]))
    chosen = short.nonzero()[0]
    later, earlier, need = later[chosen], earlier[chosen], need[chosen]
    same = later_product[chosen] == earlier_product[chosen]
    if len(lanes) == 1:
        return [Neighbours(later, earlier, need, same, crowded[0])]
    found = later.searchsorted(firsts)
    # Back to each lane's own row numbers in two passes, then views per lane.
    shift = np.repeat(firsts[:-1], np.diff(found))
    later, earlier = later - shift, earlier - shift
    cuts = found.tolist()
    out = []
    for index in range(len(lanes)):
        low, high = cuts[index], cuts[index + 1]
        if low < high or crowded[index]:
            part = slice(low, high)
            gaps = Neighbours(later[part], earlier[part], need[part], same[part], crowded[index])
        else:
            gaps = NONE
        out.append(gaps)
    return out


def _short_exact(
    lanes: list[Lane], firsts: IndexArray, later: int, earlier: int, need: float
) -> bool:
    index = int(firsts.searchsorted(later, side="right")) - 1
    lane, first = lanes[index], int(firsts[index])
    required = add_local_days(lane.end_time(earlier - first), need, lane.context.tz)
    return lane.campaigns[later - first].start < required
