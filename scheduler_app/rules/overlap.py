"""``overlap`` (error): two campaigns on one bioreactor occupy it at the same time.

Intervals are half-open, so a campaign that starts when another ends does not overlap it. Every
overlapping pair is reported once, the later-starting campaign last.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Probe, Rule, Scope
from scheduler_app.rules.zone_table import zone_table

KIND = "overlap"
SEVERITY = Severity.ERROR


def find(lane: Lane, found: Findings) -> None:
    n = len(lane)
    if n < 2 or not lane.neighbours().crowded:
        return
    starts, ends, reach = lane.starts, lane.ends, lane.reach
    later = rows_where((reach[:-1] > starts[1:]) & (ends[1:] > starts[1:])) + 1
    for i in later.tolist():
        start = starts[i]
        j = i - 1
        # reach only grows with the row, so once it no longer passes this start nothing earlier does
        while j >= 0 and reach[j] > start:
            if ends[j] > start and _wanted(found, i, j):
                _report(lane, found, j, i)
            j -= 1


def _wanted(found: Findings, later: int, earlier: int) -> bool:
    return found.focus is None or bool(found.focus[later] or found.focus[earlier])


def _report(lane: Lane, found: Findings, earlier: int, later: int) -> None:
    first, second = lane.campaigns[earlier], lane.campaigns[later]
    first_product = lane.product_list[earlier]
    second_product = lane.product_list[later]
    site = lane.context.site
    need = float(lane.context.catalogue.need_days[lane.products[later], lane.products[earlier]])

    def build() -> Conflict:
        tz = lane.context.tz
        end_row = earlier if lane.ends[earlier] <= lane.ends[later] else later
        end = float(lane.ends[end_row])
        return Conflict(
            KIND,
            SEVERITY,
            (first.id, second.id),
            site.code,
            lane.context.reactor.code,
            second.start,
            lane.end_time(end_row),
            describe=partial(
                _describe,
                first,
                second.id,
                lane.context.reactor.code,
                float(lane.starts[later]),
                end,
                float(lane.ends[earlier]),
                need,
                tz,
            ),
        )

    inputs = (first, second, first_product, second_product, site, need)
    found.add(KIND, (first.id, second.id), inputs, build)


def _describe(
    first: Campaign,
    moved: str,
    reactor: str,
    start: float,
    end: float,
    first_end: float,
    need: float,
    tz: str,
) -> str:
    clear = zone_table(tz).add_days_at(first_end, need)
    return (
        f"overlap: {moved} overlaps {first.id} ({first.product}) on {reactor} from "
        f"{wording.local_day_at(start, tz)} to {wording.local_day_at(end, tz)} "
        f"({wording.place(tz)}) — move {moved} to start on or after "
        f"{wording.local_day_at(clear, tz)} or to another bioreactor"
    )


CLOCK_CHANGE_S = 7200.0
"""A campaign moved across a clock change may be up to this much shorter in seconds."""


def bound(probe: Probe) -> float:
    """Every start before the latest end of the campaigns it overlaps still overlaps one; and
    from there, while the hole before the next campaigns is too short for it, every start up to
    the latest end of those still overlaps one (its length less a clock change), so the slot
    finder jumps over a packed stretch at once instead of one campaign at a time."""
    lane, row = probe.lane, probe.row
    start, end = float(lane.starts[row]), float(lane.ends[row])
    keep = lane.ends > lane.starts
    keep[row] = False
    starts, ends = lane.starts[keep], lane.ends[keep]
    if not starts.size:
        return start
    reach = np.maximum.accumulate(ends)  # rows stay sorted by start
    shortest = end - start - CLOCK_CHANGE_S
    at, until = start, end
    while True:
        count = int(starts.searchsorted(until, side="left"))  # rows starting before ``until``
        if not count or reach[count - 1] <= at:
            return at
        at = float(reach[count - 1])
        if shortest <= 0:
            return at
        until = at + shortest


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find, bound)
