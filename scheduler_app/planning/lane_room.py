"""Room on one bioreactor: the starts a campaign could take there without overlapping another
campaign, following or preceding one of another product too closely, running into maintenance or
starting before the bioreactor is available, worked out for the whole lane at once with numpy.

The slot finder uses it to jump straight over a packed stretch of a lane instead of asking the
engine campaign by campaign (and, before a campaign whose changeover it would cut short, day by
day). It is a filter, not a judge: it only rules out starts the lane's error rules provably refuse,
with the same allowance for a clock change the rules' own bounds make, and the engine still
decides every start it lets through, with every rule (seed, downstream and material included).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.localtime import DAY_SECONDS
from scheduler_app.rules.lane import Lane

FloatArray = NDArray[np.float64]

CLOCK_CHANGE_S = 2 * 3600.0
"""A span of site-local days may be up to this much shorter or longer in seconds (DST); the room
is widened by it wherever it counts days, so it never refuses a start the rules accept."""


@dataclass(frozen=True, slots=True)
class LaneRoom:
    """Closed intervals ``[lows[k], highs[k]]`` (epoch seconds, sorted, apart) holding every start
    the lane's rules might accept, less the open intervals ``(blocked_from[k], blocked_to[k])``
    where the campaign would run into a maintenance window."""

    lows: FloatArray
    highs: FloatArray
    blocked_from: list[float]
    blocked_to: list[float]

    def first_at_or_after(self, instant: float) -> float | None:
        """The earliest instant at or after ``instant`` the room holds; None when none is."""
        at = instant
        lows, highs = self.lows, self.highs
        while True:
            k = int(highs.searchsorted(at, side="left"))  # the first interval ending at or after
            if k == len(highs):
                return None
            at = max(at, float(lows[k]))
            j = bisect_right(self.blocked_to, at)  # the first window ending after
            if j < len(self.blocked_to) and self.blocked_from[j] < at:
                at = self.blocked_to[j]
                continue
            return at


def lane_room(lane: Lane, campaign: Campaign) -> LaneRoom | None:
    """The room for ``campaign`` (its product and length; wherever it is now) on ``lane``, the
    campaign itself left out of the lane; None when no rule judges it (cancelled) or the lane's
    catalogue does not know its product (the engine then answers alone)."""
    context = lane.context
    index = context.catalogue.index.get(campaign.product)
    if index is None or campaign.status is Status.CANCELLED:
        return None
    need_days = context.catalogue.need_days
    shortest = campaign.duration_days * DAY_SECONDS - CLOCK_CHANGE_S
    rows = [i for i, other in enumerate(lane.campaigns) if other.id != campaign.id]
    starts, ends, products = lane.starts[rows], lane.ends[rows], lane.products[rows]
    n = len(rows)
    lows = np.empty(n + 1)
    highs = np.empty(n + 1)
    lows[0], highs[n] = -math.inf, math.inf
    if n:
        reach = np.maximum.accumulate(ends)
        places = np.arange(n)
        # The row holding each reach, the later one on ties (as ``Lane.latest``).
        latest = np.maximum.accumulate(np.where(ends >= reach, places, 0))
        before = products[latest]
        need_in = np.where(before != index, need_days[index, before], 0.0)
        lows[1:] = np.maximum(reach, reach + need_in * DAY_SECONDS - CLOCK_CHANGE_S)
        need_out = np.where(products != index, need_days[products, index], 0.0)
        highs[:n] = starts - need_out * DAY_SECONDS - shortest
    np.maximum(lows, context.available_from, out=lows)
    open_ = lows <= highs
    blocked = sorted(
        (span.start - shortest, span.end) for span in context.windows if span.end > span.start
    )
    merged: list[tuple[float, float]] = []
    for begin, finish in blocked:
        if merged and begin < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return LaneRoom(lows[open_], highs[open_], [b for b, _ in merged], [f for _, f in merged])
