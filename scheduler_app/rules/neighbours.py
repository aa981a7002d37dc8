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


ShortGap = tuple[int, int, float, float, int, int, bool]
"""``(later, earlier, earlier_end, later_start, later_product, earlier_product, same_product)``:
the later row follows the earlier one too soon; the instants are epoch seconds, the products
catalogue indices."""


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Consecutive, non-overlapping pairs whose gap is too short, in row order, as plain tuples (the
    rules that report them go through a handful per lane, where numpy's per-call cost would
    dominate). ``crowded`` counts the campaigns that start before an earlier one has ended: without
    any, the lane has no overlap to look for."""

    short: tuple[ShortGap, ...]
    crowded: int = 0


NONE = Neighbours(())


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
    later, earlier = later[chosen], earlier[chosen]
    found = later.searchsorted(firsts)
    shift = np.repeat(firsts[:-1], np.diff(found))  # back to each lane's own row numbers
    pairs = tuple(
        zip(
            (later - shift).tolist(),
            (earlier - shift).tolist(),
            ends[earlier].tolist(),
            later_starts[chosen].tolist(),
            later_product[chosen].tolist(),
            earlier_product[chosen].tolist(),
            (later_product[chosen] == earlier_product[chosen]).tolist(),
            strict=True,
        )
    )
    cuts = found.tolist()
    out = []
    for index in range(len(lanes)):
        low, high = cuts[index], cuts[index + 1]
        if low < high or crowded[index]:
            out.append(Neighbours(pairs[low:high], crowded[index]))
        else:
            out.append(NONE)
    return out


def _short_exact(
    lanes: list[Lane], firsts: IndexArray, later: int, earlier: int, need: float
) -> bool:
    index = int(firsts.searchsorted(later, side="right")) - 1
    lane, first = lanes[index], int(firsts[index])
    required = add_local_days(lane.end_time(earlier - first), need, lane.context.tz)
    return lane.campaigns[later - first].start < required


def patch_short_gaps(
    old: Lane, new: Lane, low: int, old_tail: int, new_tail: int, most: int = 16
) -> Neighbours | None:
    """The :class:`Neighbours` of ``new``, a lane patched from ``old``, from the old lane's (when
    it has them): rows before ``low`` are the old lane's, and from ``new_tail`` on the new rows are
    the old ones from ``old_tail`` on. A row's gap depends on it and on the latest-ending row
    before it, so only the rows from ``low`` up to the first tail row where the running latest
    end is again the old one (the same value, reached by the same campaign) are looked at again,
    one at a time (exactly as :func:`find_short_gaps` decides them); the gaps after it are the
    old ones, renumbered. ``None`` when the old lane has none or more than ``most`` rows would be
    looked at (work them out whole then)."""
    known = old.known_neighbours()
    count = len(new)
    if known is None:
        return None
    if count < 2:
        return NONE
    shift = new_tail - old_tail
    # The first tail row after which the old and the new running maximum are the same.
    healed = max(new_tail, low)
    while healed < count:
        if healed - low > most:
            return None
        was = healed - shift
        if float(new.reach[healed]) == float(old.reach[was]):
            latest_new, latest_old = int(new.latest[healed]), int(old.latest[was])
            if new.campaigns[latest_new] is old.campaigns[latest_old]:
                break
        healed += 1
    else:
        if count - low > most:
            return None
    # New rows [first, last] are decided again; they replace old rows [first, last - shift].
    first = max(low, 1)
    last = min(healed, count - 1)
    found: list[ShortGap] = []
    crowded = known.crowded
    crowded += _crowded(new, first, last) - _crowded(old, first, min(last - shift, len(old) - 1))
    if first <= last:
        context = new.context
        need_days = context.catalogue.need_days
        zone = zone_table(context.tz)
        starts = new.starts[first : last + 1].tolist()
        reach = new.reach[first - 1 : last].tolist()
        latest = new.latest[first - 1 : last].tolist()
        ends, products = new.ends, new.products
        for later, start, before, earlier in zip(
            range(first, last + 1), starts, reach, latest, strict=True
        ):
            if before > start:
                continue  # it starts before the latest end so far: an overlap, no gap
            later_product, earlier_product = int(products[later]), int(products[earlier])
            need = float(need_days[later_product, earlier_product])
            ended = float(ends[earlier])
            required = zone.add_days_at(ended, need)
            short = start < required
            if not new.whole_seconds and abs(start - required) < 1e-3:
                firsts = np.array([0, count], dtype=np.intp)
                short = _short_exact([new], firsts, later, earlier, need)
            if short:
                found.append(
                    (
                        later,
                        earlier,
                        ended,
                        start,
                        later_product,
                        earlier_product,
                        later_product == earlier_product,
                    )
                )
    kept = [gap for gap in known.short if gap[0] < first]
    if healed < count:
        was_latest = int(old.latest[healed - shift])
        now_latest = int(new.latest[healed])
        for gap in known.short:
            if gap[0] + shift > last:
                earlier = gap[1]
                if earlier == was_latest:
                    earlier = now_latest
                elif earlier >= old_tail:
                    earlier += shift
                found.append((gap[0] + shift, earlier, *gap[2:]))
    short = tuple(kept + found)
    if not short and not crowded:
        return NONE
    return Neighbours(short, crowded)


def _crowded(lane: Lane, first: int, last: int) -> int:
    """How many of rows ``first`` to ``last`` (from row 1) start before the latest end so far."""
    if first > last:
        return 0
    starts = lane.starts[first : last + 1]
    return int(np.count_nonzero(lane.reach[first - 1 : last] > starts))
