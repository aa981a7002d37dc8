"""Campaign blocks as numpy arrays: what the painter draws, the hit test searches and a drag moves.

Arrays are held per *slot* (one per campaign, stable across refreshes so a single change rewrites
one slot) plus a permutation sorted by start, so that culling to a time range and hit-testing are a
``searchsorted`` away. Times are epoch seconds as float64 (pyqtgraph #2550: ints overflow rects).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.ids import BioreactorCode, ProductCode
from scheduler_app.localtime import to_epoch
from scheduler_app.rules.facts import measure
from scheduler_app.schedule import Schedule
from ui.timeline.rows import RowLayout
from ui.timeline.stacking import stack

STATUS_CODES: dict[Status, int] = {status: index for index, status in enumerate(Status)}
PURPOSE_CODES: dict[Purpose, int] = {purpose: index for index, purpose in enumerate(Purpose)}
LOCKED_CODES = np.array([STATUS_CODES[Status.IN_PROGRESS], STATUS_CODES[Status.COMPLETE]])
CANCELLED = STATUS_CODES[Status.CANCELLED]
TENTATIVE = STATUS_CODES[Status.TENTATIVE]
SEVERITY_NONE, SEVERITY_WARNING, SEVERITY_ERROR = 0, 1, 2
BAND_PAD = 0.14
"""The share of a row's height left empty above and below its blocks."""
_RESORT_LIMIT = 64
"""More changed campaigns than this (an import, a big group move) are cheaper to sort afresh."""


@dataclass
class Filters:
    """What the planner chose to see; ``None`` means everything."""

    sites: frozenset[str] | None = None
    products: frozenset[str] | None = None
    statuses: frozenset[Status] | None = None
    purposes: frozenset[Purpose] | None = None
    show_cancelled: bool = False

    def shows(self, campaign: Campaign) -> bool:
        if campaign.status is Status.CANCELLED and not self.show_cancelled:
            return False
        if self.products is not None and campaign.product not in self.products:
            return False
        if self.purposes is not None and campaign.purpose not in self.purposes:
            return False
        return self.statuses is None or campaign.status in self.statuses


class BlockArrays:
    """Per-campaign arrays for one schedule and one row layout."""

    def __init__(self, schedule: Schedule, layout: RowLayout, filters: Filters) -> None:
        self.schedule = schedule
        self.filters = filters
        self.product_codes: list[ProductCode] = sorted(schedule.products)
        self.product_index = {code: i for i, code in enumerate(self.product_codes)}
        # Every product code a campaign names, known ones first (their key is their colour):
        # what the product filter is matched against without the campaigns.
        self.product_key: dict[str, int] = {code: i for code, i in self.product_index.items()}
        self.ids: list[str] = []
        self.slot_of: dict[str, int] = {}
        count = len(schedule.campaigns)
        self.start = np.zeros(count, dtype=np.float64)
        self.end = np.zeros(count, dtype=np.float64)
        self.reactor_codes: list[str] = sorted(schedule.bioreactors)
        self.reactor_index = {code: i for i, code in enumerate(self.reactor_codes)}
        self.reactor = np.full(count, -1, dtype=np.int32)
        self.colour = np.zeros(count, dtype=np.int32)
        self.product = np.full(count, -1, dtype=np.int32)
        self.purpose = np.zeros(count, dtype=np.int8)
        self.status = np.zeros(count, dtype=np.int8)
        self.batches = np.zeros(count, dtype=np.int32)
        self.severity = np.zeros(count, dtype=np.int8)
        self.present = np.zeros(count, dtype=bool)  # False: a deleted campaign's slot
        # Overlapping campaigns on one row are stacked: ``sub`` is a block's sub-lane and ``subs``
        # how many sub-lanes its cluster of overlapping campaigns needs (1 = no overlap).
        self.sub = np.zeros(count, dtype=np.int16)
        self.subs = np.ones(count, dtype=np.int16)
        self.visible = np.zeros(count, dtype=bool)
        self.row = np.full(count, -1, dtype=np.int32)
        self._write_all(list(schedule.campaigns.values()))
        self._sort()
        self.relayout(layout, filters)

    def relayout(self, layout: RowLayout, filters: Filters) -> None:
        """Place the blocks on ``layout`` under ``filters``: what a filter change or
        a suite collapse redoes. Campaign data, the sorted order and the conflict marks are kept;
        the row, lane and visibility columns are worked out per bioreactor and gathered with
        numpy (fresh arrays, so whoever cached the old ones sees the change), and only the
        bioreactors whose shown blocks changed are stacked again (at 100,000 campaigns a
        rebuild from the campaigns took 150 ms, this a few)."""
        self.layout, self.filters = layout, filters
        self.lane_of = {code: i for i, code in enumerate(layout.suite_lanes)}
        self.bioreactor_rows = np.array(sorted(layout.bioreactor_row.values()), dtype=np.int64)
        self.row_lane = np.full(len(layout), -1, dtype=np.int64)
        for code, row_index in layout.bioreactor_row.items():
            self.row_lane[row_index] = self.lane_of.get(code, -1)
        self.lane_top = np.zeros(len(self.lane_of), dtype=np.float64)
        self.lane_height = np.zeros(len(self.lane_of), dtype=np.float64)
        schedule = self.schedule
        for code, lane_id in self.lane_of.items():
            position, lanes = layout.suite_lanes[code]
            suite = schedule.bioreactors[code].suite  # type: ignore[index]
            self.lane_top[lane_id] = layout.suite_row[suite] + 0.12 + 0.76 * position / lanes
            self.lane_height[lane_id] = 0.76 / lanes
        size, count = self.start.size, len(self.ids)
        before = self.visible[:count] & (self.row[:count] >= 0)
        # Lookups per bioreactor with one more entry last, for a slot on an unknown one (-1).
        codes = self.reactor_codes
        reactor = self.reactor[:count]
        reactor_row = np.array([*(layout.bioreactor_row.get(c, -1) for c in codes), -1], np.int32)
        reactor_lane = np.array([*(self.lane_of.get(c, -1) for c in codes), -1], np.int32)
        shown = self._shown(count)
        self.visible = np.zeros(size, dtype=bool)
        self.visible[:count] = shown
        self.row = np.full(size, -1, dtype=np.int32)
        self.row[:count] = np.where(shown, reactor_row[reactor], -1)
        lane = np.where(shown, reactor_lane[reactor], -1)
        laned = lane >= 0
        self.lane = np.full(size, -1, dtype=np.int32)
        self.lane[:count] = lane
        self.lane_y = np.full(size, -1.0, dtype=np.float64)
        self.lane_h = np.zeros(size, dtype=np.float64)
        if self.lane_top.size:
            self.lane_y[:count] = np.where(laned, self.lane_top[lane], -1.0)
            self.lane_h[:count] = np.where(laned, self.lane_height[lane], 0.0)
        changed = before != (self.visible[:count] & (self.row[:count] >= 0))
        if changed.any():
            self._stack(set(reactor[changed].tolist()))  # np.unique would import numpy.ma

    def _shown(self, count: int) -> np.ndarray:
        """Which of the first ``count`` slots the filters show, as :meth:`_write` decides it."""
        filters = self.filters
        shown = self.present[:count].copy()
        status = self.status[:count]
        if not filters.show_cancelled:
            shown &= status != CANCELLED
        if filters.products is not None:
            keys = self.product_key
            wanted = [keys[code] for code in filters.products if code in keys]
            shown &= np.isin(self.product[:count], wanted)
        if filters.statuses is not None:
            shown &= np.isin(status, [STATUS_CODES[s] for s in filters.statuses])
        if filters.purposes is not None:
            shown &= np.isin(self.purpose[:count], [PURPOSE_CODES[p] for p in filters.purposes])
        if filters.sites is not None:
            sites, schedule = filters.sites, self.schedule
            site_ok = [schedule.site_of(code).code in sites for code in self.reactor_codes]
            shown &= np.array([*site_ok, True], bool)[self.reactor[:count]]
        return shown

    def _write_all(self, campaigns: list[Campaign]) -> None:
        """What :meth:`_write` does slot by slot, for every campaign at once with numpy: ends on
        each site's calendar through the engine's zone tables (at 100,000 campaigns the per-slot
        loop took 1.4 s, this about a tenth). Rows and visibility are :meth:`relayout`'s."""
        schedule = self.schedule
        count = len(campaigns)
        self.ids = [c.id for c in campaigns]
        self.slot_of = dict(zip(self.ids, range(count), strict=True))
        if not count:
            return
        # map over attrgetter and dict lookups keeps the per-campaign work in C (at 100,000
        # campaigns a generator per column cost 15-20 ms each).
        codes = map(attrgetter("bioreactor"), campaigns)
        reactor = np.fromiter(map(self.reactor_index.get, codes, repeat(-1)), np.int32, count)
        self.reactor[:count] = reactor
        zones = sorted({schedule.time_zone_of(code) for code in self.reactor_codes})
        zone_of = [zones.index(schedule.time_zone_of(code)) for code in self.reactor_codes]
        # A slot on an unknown bioreactor (-1) takes the last one's zone, as the list did.
        slot_zone = np.array(zone_of or [0], np.int32)[reactor]
        for number, tz_name in enumerate(zones):
            slots = np.flatnonzero(slot_zone == number)
            if not slots.size:
                continue
            measured = measure([campaigns[slot] for slot in slots.tolist()], tz_name)
            self.start[slots] = measured.starts
            self.end[slots] = measured.ends
        keys = self.product_key
        products = [c.product for c in campaigns]
        product = np.fromiter(map(keys.get, products, repeat(-1)), np.int32, count)
        for slot in np.flatnonzero(product < 0).tolist():  # codes the catalogue does not know
            product[slot] = keys.setdefault(products[slot], len(keys))
        self.product[:count] = product
        self.colour[:count] = np.where(product < len(self.product_codes), product, 0)
        purposes = map(PURPOSE_CODES.__getitem__, map(attrgetter("purpose"), campaigns))
        self.purpose[:count] = np.fromiter(purposes, np.int8, count)
        statuses = map(STATUS_CODES.__getitem__, map(attrgetter("status"), campaigns))
        self.status[:count] = np.fromiter(statuses, np.int8, count)
        self.batches[:count] = np.fromiter(map(attrgetter("batches"), campaigns), np.int32, count)
        self.present[:count] = True

    def __len__(self) -> int:
        return len(self.ids)

    def _new_slot(self, campaign_id: str) -> int:
        slot = len(self.ids)
        if slot >= self.start.size:
            self._grow(max(16, slot * 2))
        self.ids.append(campaign_id)
        self.slot_of[campaign_id] = slot
        return slot

    def _grow(self, size: int) -> None:
        for name in ("start", "end", "lane_y", "lane_h"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: old.size] = old
            setattr(self, name, new)
        for name, fill in (
            ("row", -1),
            ("lane", -1),
            ("reactor", -1),
            ("colour", 0),
            ("product", -1),
            ("purpose", 0),
            ("present", False),
            ("status", 0),
            ("batches", 0),
            ("severity", 0),
            ("visible", False),
            ("sub", 0),
            ("subs", 1),
        ):
            old = getattr(self, name)
            new = np.full(size, fill, dtype=old.dtype)
            new[: old.size] = old
            setattr(self, name, new)

    def _write(self, slot: int, campaign: Campaign | None) -> None:
        if campaign is None:
            self.present[slot] = False
            self.visible[slot] = False
            self.row[slot] = -1
            self.lane_y[slot] = -1.0
            self.lane[slot] = -1
            self.start[slot] = self.end[slot] = -1e18
            return
        schedule = self.schedule
        reactor = campaign.bioreactor
        self.start[slot] = to_epoch(campaign.start)
        self.reactor[slot] = self.reactor_index.get(reactor, -1)
        self.end[slot] = to_epoch(schedule.campaign_end(campaign))
        self.colour[slot] = self.product_index.get(campaign.product, 0)
        keys = self.product_key
        self.product[slot] = keys.setdefault(campaign.product, len(keys))
        self.purpose[slot] = PURPOSE_CODES[campaign.purpose]
        self.present[slot] = True
        self.status[slot] = STATUS_CODES[campaign.status]
        self.batches[slot] = campaign.batches
        site_ok = True
        bio = schedule.bioreactors.get(reactor)
        if bio is not None and self.filters.sites is not None:
            site_ok = schedule.suites[bio.suite].site in self.filters.sites
        shown = site_ok and self.filters.shows(campaign)
        self.visible[slot] = shown
        self.row[slot] = self.layout.bioreactor_row.get(reactor, -1) if shown else -1
        lane_id = self.lane_of.get(reactor)
        if shown and lane_id is not None:
            self.lane_y[slot] = self.lane_top[lane_id]
            self.lane_h[slot] = self.lane_height[lane_id]
            self.lane[slot] = lane_id
        else:
            self.lane_y[slot] = -1.0
            self.lane[slot] = -1

    def _sort(self) -> None:
        count = len(self.ids)
        self.order = np.argsort(self.start[:count], kind="stable").astype(np.int64)
        self.sorted_start = self.start[self.order]
        durations = self.end[:count] - self.start[:count]
        self.max_duration = float(durations.max()) if count else 0.0

    def update(self, campaigns: Iterable[tuple[str, Campaign | None]]) -> None:
        """Rewrite the slots of changed campaigns (``None`` = deleted) and move them to their new
        places in the sorted order: the cheap path after one service change (a full argsort at
        100,000 campaigns took 17 ms)."""
        rewritten = []
        reactors: set[int] = set()
        for campaign_id, campaign in campaigns:
            slot = self.slot_of.get(campaign_id)
            if slot is None:
                if campaign is None:
                    continue
                slot = self._new_slot(campaign_id)
            reactors.add(int(self.reactor[slot]))
            self._write(slot, campaign)
            reactors.add(int(self.reactor[slot]))
            rewritten.append(slot)
        if len(self.order) != len(self.ids) or len(rewritten) > _RESORT_LIMIT:
            self._sort()
        else:
            self._resort(rewritten)
        self._stack(reactors)

    def _stack(self, reactors: set[int] | None) -> None:
        """Assign sub-lanes to overlapping campaigns on the given bioreactors (``None``: all), so
        that no block is painted over another (:func:`ui.timeline.stacking.stack`)."""
        count = len(self.ids)
        mask = self.visible[:count] & (self.row[:count] >= 0)
        if reactors is not None:
            on_touched = np.isin(self.reactor[:count], list(reactors))
            mask &= on_touched
            touched: np.ndarray | slice = on_touched
        else:
            touched = slice(0, count)
        self.sub[:count][touched] = 0
        self.subs[:count][touched] = 1
        stack(self.start, self.end, self.reactor, mask, self.sub, self.subs)

    def _resort(self, slots: list[int]) -> None:
        """Take ``slots`` out of the sorted order and put each back where a stable argsort of the
        starts would (among equal starts, by slot), so the order equals a full :meth:`_sort`.
        ``max_duration`` only grows here: an upper bound keeps the culling correct."""
        if not slots:
            return
        wanted = np.array(sorted(set(slots)), dtype=np.int64)
        if wanted.size <= 8:  # one comparison per slot beats isin's sort at 100,000 slots
            keep = np.ones(self.order.size, dtype=bool)
            for slot in wanted.tolist():
                keep[self.order == slot] = False
        else:
            keep = ~np.isin(self.order, wanted)
        order = self.order[keep]
        starts = self.sorted_start[keep]
        for slot in wanted.tolist():
            start = self.start[slot]
            low = int(np.searchsorted(starts, start, side="left"))
            high = int(np.searchsorted(starts, start, side="right"))
            at = low + int(np.searchsorted(order[low:high], slot))
            order = np.insert(order, at, slot)
            starts = np.insert(starts, at, start)
        self.order, self.sorted_start = order, starts
        durations = self.end[wanted] - self.start[wanted]
        self.max_duration = max(self.max_duration, float(durations.max()))

    def set_severities(
        self, worst: dict[str, int], bioreactors: Iterable[str] | None = None
    ) -> None:
        """Conflict marks: the worst severity each campaign is involved in; with ``bioreactors``
        only the campaigns on those are reset first (the rest keep their marks)."""
        if bioreactors is None:
            self.severity[:] = SEVERITY_NONE
        else:
            wanted = [
                self.reactor_index[code]
                for code in map(BioreactorCode, bioreactors)
                if code in self.reactor_index
            ]
            if wanted:
                self.severity[np.isin(self.reactor, wanted)] = SEVERITY_NONE
        for campaign_id, level in worst.items():
            slot = self.slot_of.get(campaign_id)
            if slot is not None:
                self.severity[slot] = level

    def in_time_range(self, t0: float, t1: float) -> np.ndarray:
        """Slots of visible campaigns overlapping ``[t0, t1)``, culled with ``searchsorted``."""
        lo = int(np.searchsorted(self.sorted_start, t0 - self.max_duration, side="left"))
        hi = int(np.searchsorted(self.sorted_start, t1, side="right"))
        slots = self.order[lo:hi]
        keep = (self.end[slots] > t0) & self.visible[slots]
        return slots[keep]

    def hit(self, x: float, y: float, tolerance: float = 0.0) -> int | None:
        """The slot of the block under ``(x, y)`` (view coordinates), or ``None``. Blocks on the
        bioreactor rows only: summary lanes are too thin to grab."""
        row = int(np.floor(y))
        frac = y - row
        if not 0.1 <= frac <= 0.9:
            return None
        slots = self.in_time_range(x - tolerance, x + tolerance)
        slots = slots[self.row[slots] == row]
        if slots.size == 0:
            return None
        # A stacked block is grabbed in its own sub-lane.
        band = min(max((frac - BAND_PAD) / (1.0 - 2 * BAND_PAD), 0.0), 0.999)
        subs = self.subs[slots]
        in_lane = (subs == 1) | (self.sub[slots] == np.floor(band * subs))
        slots = slots[in_lane]
        if slots.size == 0:
            return None
        inside = slots[(self.start[slots] <= x) & (self.end[slots] > x)]
        if inside.size:
            return int(inside[-1])
        gaps = np.minimum(np.abs(self.start[slots] - x), np.abs(self.end[slots] - x))
        return int(slots[int(np.argmin(gaps))])

    def extent(self) -> tuple[float, float] | None:
        """First start and last end of the visible campaigns."""
        count = len(self.ids)
        mask = self.visible[:count]
        if not mask.any():
            return None
        return float(self.start[:count][mask].min()), float(self.end[:count][mask].max())
