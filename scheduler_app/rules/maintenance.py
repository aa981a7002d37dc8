"""``maintenance`` (error): a campaign runs into a maintenance window of its bioreactor, its suite
or its whole site. Half-open intervals: ending when the window starts is fine."""

from __future__ import annotations

import numpy as np

from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.context import WindowSpan
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane

KIND = "maintenance"
SEVERITY = Severity.ERROR


def check(lane: Lane, found: Findings) -> None:
    if not len(lane):
        return
    for span in lane.context.windows:
        # Rows starting before the window ends; of those, only rows from the first whose reach
        # passes the window's start can end inside it.
        stop = int(np.searchsorted(lane.starts, span.end, side="left"))
        begin = int(np.searchsorted(lane.reach, span.start, side="right"))
        if begin >= stop:
            continue
        rows = np.flatnonzero(
            (lane.ends[begin:stop] > span.start) & (lane.ends[begin:stop] > lane.starts[begin:stop])
        )
        for i in found.narrow(rows + begin).tolist():
            _report(lane, found, span, i)


def _report(lane: Lane, found: Findings, span: WindowSpan, row: int) -> None:
    campaign = lane.campaigns[row]
    window = span.window
    site = lane.context.site

    def build() -> Conflict:
        tz = lane.context.tz
        end_time = lane.facts[row].end_time
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            lane.context.reactor.code,
            max(campaign.start, window.start),
            min(end_time, window.end),
            f"maintenance: {campaign.id} runs into {window.reason or 'maintenance'} "
            f"({window.scope}) from {wording.local_day(window.start, tz)} to "
            f"{wording.local_day(window.end, tz)} ({wording.place(tz)}) — move it to end by "
            f"{wording.local_day(window.start, tz)} or start on or after "
            f"{wording.local_day(window.end, tz)}",
        )

    found.add((KIND, campaign.id, id(window)), (campaign, window, site), build)
