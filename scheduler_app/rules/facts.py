"""What the rules need of each campaign on a site calendar, as arrays of epoch seconds.

A full check needs the start, end and due instant of every campaign. Doing the calendar arithmetic
campaign by campaign costs more than the whole check may take, so :func:`measure` does it on arrays
with the zone's :class:`~scheduler_app.rules.zone_table.ZoneTable`, and goes one by one only for
the few campaigns an edit brings (where numpy's per-call cost would dominate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import compress

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import DAY_SECONDS
from scheduler_app.rules.zone_table import zone_table

FloatArray = NDArray[np.float64]

_EPOCH_DAY = date(1970, 1, 1).toordinal()
_timestamp = datetime.timestamp
_FEW = 8


@dataclass(frozen=True, slots=True)
class Measures:
    """Start, end and due instant (the end of the due day; ``inf`` without one) of campaigns, in
    their order, as epoch seconds on one site calendar."""

    starts: FloatArray
    ends: FloatArray
    due_ends: FloatArray
    batches: BatchTable | None = None
    """Each campaign's batches (at least 0), batch days and batch period (batch plus turnaround
    days), when worked out on the way (what the seed and harvest spans are made of)."""


BatchTable = tuple[NDArray[np.intp], FloatArray, FloatArray]


def measure(campaigns: Sequence[Campaign], tz: str, batches: bool = False) -> Measures:
    """The :class:`Measures` of ``campaigns`` on the calendar of ``tz``: exactly what
    :meth:`Campaign.end_in` and :func:`end_of_local_date` give, one campaign at a time. With
    ``batches`` (and many campaigns) their batch table too, which costs a little more."""
    n = len(campaigns)
    if n < _FEW:
        return _one_by_one(campaigns, tz)
    starts = np.fromiter(map(_timestamp, [c.start for c in campaigns]), np.float64, n)
    table_of_batches = None
    if batches:
        # Campaign.duration_days on arrays: the same operations in the same order, on floats
        # that hold the whole numbers exactly.
        count = np.fromiter([c.batches for c in campaigns], np.float64, n)
        batch_days = np.fromiter([c.batch_days for c in campaigns], np.float64, n)
        turnaround = np.fromiter([c.turnaround_days for c in campaigns], np.float64, n)
        days = count * batch_days + (count - 1) * turnaround
        table_of_batches = (
            np.maximum(count, 0).astype(np.intp),
            batch_days,
            batch_days + turnaround,
        )
    else:
        # Campaign.duration_days inlined: a property call per campaign costs half as much again.
        days = np.fromiter(
            [c.batches * c.batch_days + (c.batches - 1) * c.turnaround_days for c in campaigns],
            np.float64,
            n,
        )
    table = zone_table(tz)
    ends = table.add_days(starts, days)
    fractional = (starts % 1).nonzero()[0]
    # Whole-second instants make the float arithmetic exact; finer ones take the datetime path.
    for i in fractional.tolist():
        ends[i] = campaigns[i].end_in(tz).timestamp()
    due_ends = np.full(n, np.inf)
    dues = [c.due for c in campaigns]
    # compress, map and filter keep the per-campaign work in C; a date is never false, so
    # compress and filter(None) keep exactly the campaigns with one.
    rows = np.fromiter(compress(range(n), dues), np.intp)
    if rows.size:
        days_since = np.fromiter(map(date.toordinal, filter(None, dues)), np.float64, rows.size)
        # The end of the due day is the next day's local midnight.
        walls = (days_since + (1 - _EPOCH_DAY)) * DAY_SECONDS
        due_ends[rows] = table.from_wall(walls)
    return Measures(starts, ends, due_ends, table_of_batches)


def _one_by_one(campaigns: Sequence[Campaign], tz: str) -> Measures:
    """:func:`measure` of a few campaigns (what an edit brings), one at a time with the same
    arithmetic as the arrays (:meth:`ZoneTable.add_days_at` is :meth:`ZoneTable.add_days` for
    one instant), where numpy's per-call cost, or datetime arithmetic, would dominate."""
    table = zone_table(tz)
    starts, ends, due_ends = [], [], []
    for campaign in campaigns:
        start = campaign.start.timestamp()
        starts.append(start)
        if start % 1:
            ends.append(campaign.end_in(tz).timestamp())
        else:
            batches = campaign.batches
            days = batches * campaign.batch_days + (batches - 1) * campaign.turnaround_days
            ends.append(table.add_days_at(start, days))
        due = campaign.due
        if due is None:
            due_ends.append(np.inf)
        else:
            # The end of the due day is the next day's local midnight.
            wall = (due.toordinal() + (1.0 - _EPOCH_DAY)) * DAY_SECONDS
            due_ends.append(table.from_wall_at(wall))
    return Measures(
        np.array(starts, dtype=np.float64),
        np.array(ends, dtype=np.float64),
        np.array(due_ends, dtype=np.float64),
    )


def end_time(campaign: Campaign, end: float, tz: str) -> datetime:
    """A campaign's end as a datetime, from its measured epoch end when that is whole seconds
    (which converts exactly, and much faster than the calendar arithmetic)."""
    if end % 1:
        return campaign.end_in(tz)
    return datetime.fromtimestamp(end, UTC)
