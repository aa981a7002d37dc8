"""The blocks the rasterised layer draws, sorted by lane then start (:class:`LaneOrder`, kept
until the data, selection or filters change), and those of them a band plan has lanes for
(:class:`DrawnBlocks`, kept while the plan is: a zoom or pan reuses both)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ui.timeline.blocks import CANCELLED, SEVERITY_ERROR, SEVERITY_WARNING, BlockArrays
from ui.timeline.dense_plan import BandPlan
from ui.timeline.raster import argb

if TYPE_CHECKING:
    from ui.timeline.blocks_item import BlocksItem


class LaneOrder:
    """The visible blocks that sit in a suite-summary lane, sorted by lane then start, with the
    colour words the canvas needs per slot (a last entry, for "no block", is transparent) and,
    in ``words``, each sorted block's summary word (low half) and fill word (high half) as one
    uint64 (what the owner grid repeats: one pass gives both colour grids)."""

    slots: np.ndarray
    lane: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __init__(
        self, item: BlocksItem, arrays: BlockArrays, previous: LaneOrder | None = None
    ) -> None:
        count = len(arrays)
        # BlockArrays re-sorts (a new ``order``) on every data change and takes new lane and
        # visibility columns on every filter or layout change; a selection keeps all three.
        self.source = (arrays.order, arrays.lane, arrays.visible)
        if previous is not None and all(
            mine is theirs for mine, theirs in zip(previous.source, self.source, strict=True)
        ):
            self.slots, self.lane = previous.slots, previous.lane
            self.start, self.end = previous.start, previous.end
        else:
            order = arrays.order
            order = order[(arrays.lane[order] >= 0) & arrays.visible[order]]
            self.slots = order[np.argsort(arrays.lane[order], kind="stable")]
            self.lane = arrays.lane[self.slots].astype(np.int64)
            self.start = arrays.start[self.slots]
            self.end = arrays.end[self.slots]
        self.empty = count
        every = np.arange(count)
        self.summary = np.zeros(count + 1, dtype=np.uint32)
        self.summary[:count] = item.words[arrays.colour[:count].astype(np.int64) * 3]
        self.summary[:count][arrays.status[:count] == CANCELLED] = 0
        # Stacked blocks (overlaps in sub-lanes) are left out of the bioreactor rows' image: their
        # fill is transparent and they get no frame there; the blocks item draws them as vectors
        # in their sub-lanes, as the block view does.
        stacked = arrays.subs[:count] > 1
        self.fill = np.zeros(count + 1, dtype=np.uint32)
        self.fill[:count] = item.words[item.styles(arrays, every)]
        self.fill[:count][stacked] = 0
        self.frame = np.zeros(count + 1, dtype=np.uint32)
        severity = arrays.severity[:count]
        self.frame[:count][severity == SEVERITY_WARNING] = argb(item.warning_colour)
        self.frame[:count][severity == SEVERITY_ERROR] = argb(item.error_colour)
        self.frame[:count][item.selected[:count]] = argb(item.selection_colour)
        self.frame[:count][stacked] = 0
        self.framed = self.frame[self.slots] != 0
        self.words = self.fill[self.slots].astype(np.uint64) << np.uint64(32)
        self.words |= self.summary[self.slots]
        self._drawn: DrawnBlocks | None = None

    def drawn(self, plan: BandPlan) -> DrawnBlocks:
        """The blocks ``plan`` has a lane for; kept while the plan is."""
        if self._drawn is None or self._drawn.plan is not plan:
            self._drawn = DrawnBlocks(self, plan)
        return self._drawn


class DrawnBlocks:
    """The blocks of a :class:`LaneOrder` in the lanes a plan draws, in the same order, with
    what a render takes of each: slot, owner-grid row (``band``), colour words, ``bounds``
    (start and end times, a ``(2, n)`` array) and whether it is framed on a bioreactor row of
    the plan. None of it depends on the time axis: a zoom or a pan only cuts it to the time in
    view (:meth:`within`)."""

    def __init__(self, order: LaneOrder, plan: BandPlan) -> None:
        self.plan = plan
        band = plan.lane_pos[order.lane]
        index = np.flatnonzero(band >= 0)
        self.slots, self.band, self.words = order.slots[index], band[index], order.words[index]
        self.framed = order.framed[index] & (plan.reactor_of[self.band] >= 0)
        self.bounds = np.stack((order.start[index], order.end[index]))
        self.first_end = float(self.bounds[1].min()) if index.size else 0.0
        self.last_start = float(self.bounds[0].max()) if index.size else 0.0

    def within(
        self, t0: float, t1: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(slots, band, framed, words, bounds)`` of the blocks that end after ``t0`` and
        start by ``t1``: all of them, uncopied, when they all do (a view of the whole plan)."""
        if self.first_end > t0 and self.last_start <= t1:
            return self.slots, self.band, self.framed, self.words, self.bounds
        start, end = self.bounds
        pick = np.flatnonzero((end > t0) & (start <= t1))
        return (
            self.slots[pick],
            self.band[pick],
            self.framed[pick],
            self.words[pick],
            np.take(self.bounds, pick, axis=1),
        )
