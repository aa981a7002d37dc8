"""Every campaign of a schedule grouped by bioreactor and laid out into lanes in a few passes.

A full check on a fresh engine lays out every lane. One lane at a time, numpy's per-call cost and
the calendar arithmetic are paid per lane; here the campaigns of all lanes of a time zone are
measured together, so a cold check costs a few passes over the schedule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain, compress

import numpy as np

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.facts import measure
from scheduler_app.rules.lane import FloatArray, IndexArray, Lane
from scheduler_app.rules.layout import arrange, assemble

_CANCELLED = Status.CANCELLED


class Roster:
    """The campaigns on each bioreactor (cancelled ones too), in the schedule's order."""

    def __init__(self, members: dict[str, list[Campaign]]) -> None:
        self.members = members

    @classmethod
    def of(cls, campaigns: Iterable[Campaign]) -> Roster:
        # A plain loop beats an argsort and the lists it needs; a defaultdict beats dict.get here,
        # and is handed on as a plain dict so that looking up a missing code cannot add it.
        members: defaultdict[str, list[Campaign]] = defaultdict(list)
        for campaign in campaigns:
            members[campaign.bioreactor].append(campaign)
        return cls(dict(members))

    def lay_out(
        self, contexts: Mapping[str, ReactorContext], codes: Iterable[str], batches: bool = False
    ) -> dict[str, Lane]:
        """The lanes of the bioreactors ``codes``, each of which must have a context; what
        :func:`~scheduler_app.rules.layout.build_lane` makes of each, measured zone by zone.
        ``batches``: keep each lane's batch table on it (the seed and harvest spans need it)."""
        by_zone: dict[str, list[str]] = {}
        for code in codes:
            by_zone.setdefault(contexts[code].tz, []).append(code)
        lanes: dict[str, Lane] = {}
        for tz, zone_codes in by_zone.items():
            lanes.update(self._lay_out_zone(contexts, tz, zone_codes, batches))
        return lanes

    def _lay_out_zone(
        self, contexts: Mapping[str, ReactorContext], tz: str, codes: list[str], batches: bool
    ) -> dict[str, Lane]:
        groups = [self.members[code] for code in codes]
        picked = list(chain.from_iterable(groups))
        n = len(picked)
        get = contexts[codes[0]].catalogue.index.get  # every context of one check shares it
        # -1 marks what the lanes leave out: cancelled campaigns and unknown products.
        products = np.fromiter(
            [-1 if c.status is _CANCELLED else get(c.product, -1) for c in picked], np.intp, n
        )
        live = products >= 0
        cuts = np.zeros(len(groups) + 1, dtype=np.intp)
        np.cumsum([len(g) for g in groups], out=cuts[1:])
        rows = picked
        if not live.all():
            rows = list(compress(picked, live.tolist()))
            products = products[live]
            counted = np.concatenate(([0], np.cumsum(live)))
            cuts = counted[cuts]
        found = measure(rows, tz, batches)
        starts, ends, due_ends = found.starts, found.ends, found.due_ends
        whole = True if not ((starts % 1).any() or (ends % 1).any()) else None
        # Lanes whose starts do not strictly increase (rare: plans are mostly entered in order).
        stalls = (starts[1:] <= starts[:-1]).nonzero()[0]
        lane_of = cuts.searchsorted(stalls, side="right") - 1
        unsorted = set(lane_of[stalls + 1 < cuts[lane_of + 1]].tolist())
        bounds = cuts.tolist()
        # A lane of every member (none cancelled, all products known) takes the member list
        # itself as its rows: one list fewer per lane for the collector to walk after the check.
        parts = [
            members if b - a == len(members) else rows[a:b]
            for members, a, b in zip(groups, bounds[:-1], bounds[1:], strict=True)
        ]
        running = _running_reach(ends, cuts) if whole and not unsorted else None
        if running is not None:
            reach, latest = running
            lanes = {}
            for code, members, part, a, b in zip(
                codes, groups, parts, bounds[:-1], bounds[1:], strict=True
            ):
                lane = lanes[code] = assemble(
                    contexts[code],
                    members,
                    part,
                    starts[a:b],
                    ends[a:b],
                    due_ends[a:b],
                    products[a:b],
                    True,
                    reach[a:b],
                    latest[a:b],
                )
                if found.batches is not None:  # in row order: the spans' raw material
                    lane.spans["batches"] = tuple(column[a:b] for column in found.batches)
            return lanes
        return {
            code: arrange(
                contexts[code],
                members,
                part,
                starts[a:b],
                ends[a:b],
                due_ends[a:b],
                products[a:b],
                whole,
                k not in unsorted,
            )
            for k, (code, members, part, a, b) in enumerate(
                zip(codes, groups, parts, bounds[:-1], bounds[1:], strict=True)
            )
        }


def _running_reach(ends: FloatArray, cuts: IndexArray) -> tuple[FloatArray, IndexArray] | None:
    """Every lane's ``reach`` and ``latest`` (see :class:`Lane`) for a zone's lanes laid end to
    end, in one running maximum instead of one per lane: each lane's ends are lifted above every
    earlier lane's, so the maximum never carries over a lane's first row. Exact for whole-second
    ends while the lifted values stay integers a float holds; ``None`` when they would not."""
    n = len(ends)
    if not n:
        return None
    low = float(ends.min())
    span = float(ends.max()) - low + 1
    sizes = np.diff(cuts)
    if span * len(sizes) >= 2.0**52:
        return None
    lift = np.repeat(np.arange(len(sizes), dtype=np.float64) * span - low, sizes)
    lifted = ends + lift
    reach = np.maximum.accumulate(lifted)
    positions = np.arange(n, dtype=np.intp)
    latest = np.maximum.accumulate(np.where(lifted == reach, positions, 0))
    latest -= np.repeat(cuts[:-1], sizes)
    reach -= lift
    return reach, latest
