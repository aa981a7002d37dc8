"""``maintenance`` (error): a campaign runs into a maintenance window of its bioreactor, its suite
or its whole site. Half-open intervals: ending when the window starts is fine."""

from __future__ import annotations

from functools import partial

from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.context import WindowSpan
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.protocol import Probe, Rule, Scope

KIND = "maintenance"
SEVERITY = Severity.ERROR


def find(lane: Lane, found: Findings) -> None:
    if not len(lane):
        return
    focus = found.focus
    windows = lane.context.windows
    if not windows:
        return
    # For each window, the rows starting before it ends; of those, only rows from the first whose
    # reach passes the window's start can end inside it (every window looked up at once). They
    # are few, so they are looked at in Python rather than with numpy's per-call cost.
    opens, closes = lane.context.window_bounds
    stops = lane.starts.searchsorted(closes, side="left")
    begins = lane.reach.searchsorted(opens, side="right")
    hit = ((begins < stops) & (closes > opens)).nonzero()[0].tolist()
    for number, begin, stop in zip(hit, begins[hit].tolist(), stops[hit].tolist(), strict=True):
        span = windows[number]
        ends, starts = lane.ends[begin:stop].tolist(), lane.starts[begin:stop].tolist()
        for row, end, start in zip(range(begin, stop), ends, starts, strict=True):
            if end > span.start and end > start and (focus is None or focus[row]):
                _report(lane, found, number, span, row)


def _report(lane: Lane, found: Findings, number: int, span: WindowSpan, row: int) -> None:
    campaign = lane.campaigns[row]
    window = span.window
    site = lane.context.site

    def build() -> Conflict:
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            lane.context.reactor.code,
            max(campaign.start, window.start),
            min(lane.end_time(row), window.end),
            describe=partial(_describe, campaign.id, span, lane.context.tz),
        )

    found.add(KIND, (campaign.id, number), (campaign, window, site), build)


def _describe(campaign_id: str, span: WindowSpan, tz: str) -> str:
    window = span.window
    opens, closes = wording.local_day_at(span.start, tz), wording.local_day_at(span.end, tz)
    return (
        f"maintenance: {campaign_id} runs into {window.reason or 'maintenance'} "
        f"({window.scope}) from {opens} to {closes} ({wording.place(tz)}) — move it to end "
        f"by {opens} or start on or after {closes}"
    )


def bound(probe: Probe) -> float:
    """Every start before the end of a window the campaign runs into still runs into it."""
    lane, row = probe.lane, probe.row
    start, end = float(lane.starts[row]), float(lane.ends[row])
    windows = lane.context.windows
    hit = [s.end for s in windows if s.end > s.start and s.start < end and s.end > start]
    return max(hit, default=start)


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find, bound)
