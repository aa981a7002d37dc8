"""``overlap`` (error): campaigns on one bioreactor occupy it at the same time.

Intervals are half-open, so a campaign that starts when another ends does not overlap it. One
conflict per *cluster*: a connected component of the overlap graph on one bioreactor (campaigns
linked by a chain of pairwise overlaps), naming all its campaigns in start order, so that a
thousand rows pasted onto one date are one conflict, not half a million pairs. In start order a
cluster is a run of campaigns each of which starts before the latest end of those before it.
Its interval is the time at least two of them are busy: from the second start to the second
latest end (for two campaigns, exactly their overlap).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import IndexArray, Lane, rows_where
from scheduler_app.rules.protocol import Probe, Rule, Scope
from scheduler_app.rules.zone_table import zone_table

KIND = "overlap"
SEVERITY = Severity.ERROR
NAMED = 5
"""A message names at most this many campaigns of a cluster; the conflict names them all."""


def find(lane: Lane, found: Findings) -> None:
    if len(lane) < 2 or not lane.neighbours().crowded:
        return
    focus = found.focus
    for rows in clusters(lane):
        if focus is None or focus[rows].any():
            _report(lane, found, rows)


def clusters(lane: Lane) -> list[IndexArray]:
    """The lane's clusters of two or more overlapping campaigns, as row arrays in start order.

    A campaign of no length overlaps nothing. Any other row that starts before the latest end of
    the rows before it overlaps one of them (a row of no length never reaches past a later start),
    and every row in between starts before that end too, so clusters are contiguous runs of the
    rows with a length, each run starting at a row that starts at or after that latest end."""
    starts, ends, reach = lane.starts, lane.ends, lane.reach
    joins = np.zeros(len(starts), dtype=np.bool_)
    np.greater(reach[:-1], starts[1:], out=joins[1:])
    full = ends > starts
    joins &= full
    if not np.count_nonzero(joins):
        return []
    rows = rows_where(full)
    heads = rows_where(~joins[rows])
    bounds = np.append(heads, len(rows))
    sizes = np.diff(bounds)
    return [rows[bounds[k] : bounds[k + 1]] for k in rows_where(sizes > 1).tolist()]


def _report(lane: Lane, found: Findings, rows: IndexArray) -> None:
    at = rows.tolist()
    campaigns = [lane.campaigns[row] for row in at]
    products = lane.product_list
    site = lane.context.site
    ends = lane.ends[rows]
    by_end = np.argsort(ends, kind="stable")
    end_row = at[int(by_end[-2])]
    latest = float(ends[by_end[-1]])
    if len(at) == 2:
        earlier, later = at
        need = float(lane.context.catalogue.need_days[lane.products[later], lane.products[earlier]])
    else:
        need = 0.0
    ids = tuple(c.id for c in campaigns)

    def build() -> Conflict:
        tz = lane.context.tz
        reactor = lane.context.reactor.code
        start = float(lane.starts[at[1]])
        end = float(lane.ends[end_row])
        if len(at) == 2:
            first_end = float(lane.ends[at[0]])
            describe = partial(
                _describe_pair, campaigns[0], ids[1], reactor, start, end, first_end, need, tz
            )
        else:
            describe = partial(_describe_cluster, ids, reactor, start, end, latest, tz)
        return Conflict(
            KIND,
            SEVERITY,
            ids,
            site.code,
            reactor,
            campaigns[1].start,
            lane.end_time(end_row),
            describe=describe,
        )

    inputs = (tuple(campaigns), tuple(products[row] for row in at), site, need)
    found.add(KIND, ids, inputs, build)


def _describe_pair(
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


def _describe_cluster(
    ids: tuple[str, ...], reactor: str, start: float, end: float, latest: float, tz: str
) -> str:
    if len(ids) <= NAMED:
        who = ", ".join(ids[:-1]) + f" and {ids[-1]}"
        head = f"overlap: {who} overlap"
        names = ""
    else:
        head = f"overlap: {len(ids):,} campaigns overlap"
        names = f": {wording.campaign_list(ids, NAMED)}"
    return (
        f"{head} on {reactor} from {wording.local_day_at(start, tz)} to "
        f"{wording.local_day_at(end, tz)} ({wording.place(tz)}){names} — keep one there and move "
        f"the others to other bioreactors or later starts ({reactor} is busy with them until "
        f"{wording.local_day_at(latest, tz)})"
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
