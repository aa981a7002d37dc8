"""Sub-lanes for overlapping campaigns on one bioreactor row, so no block is painted over another
(a helper of :class:`ui.timeline.blocks.BlockArrays`)."""

from __future__ import annotations

import numpy as np


def stack(
    start: np.ndarray,
    end: np.ndarray,
    reactor: np.ndarray,
    mask: np.ndarray,
    sub: np.ndarray,
    subs: np.ndarray,
) -> None:
    """Write ``sub`` (a block's sub-lane) and ``subs`` (how many its cluster of overlapping
    blocks needs) for the slots in ``mask``, by bioreactor (``reactor``); the caller has reset
    them to 0 and 1. Vectorised overlap detection; only clusters that really overlap are laid out
    in Python (first free sub-lane, in start order)."""
    slots = np.flatnonzero(mask)
    if slots.size < 2:
        return
    order = slots[np.lexsort((start[slots], reactor[slots].astype(np.float64)))]
    # One running maximum over every row at once: offsetting each bioreactor's times by far
    # more than any schedule spans keeps one row's ends from reaching the next row's starts.
    offset = reactor[order].astype(np.float64) * 1e11
    starts = start[order] + offset
    reach = np.maximum.accumulate(end[order] + offset)
    overlaps = starts[1:] < reach[:-1]
    if not overlaps.any():
        return
    boundaries = np.flatnonzero(~overlaps) + 1
    for cluster in np.split(order, boundaries):
        if cluster.size < 2:
            continue
        lane_ends: list[float] = []
        for slot in cluster.tolist():
            begin = start[slot]
            for lane, finish in enumerate(lane_ends):
                if finish <= begin:
                    lane_ends[lane] = end[slot]
                    break
            else:
                lane = len(lane_ends)
                lane_ends.append(end[slot])
            sub[slot] = lane
        subs[cluster] = len(lane_ends)
