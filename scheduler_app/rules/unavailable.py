"""``unavailable`` (error): a campaign starts before its bioreactor's or its site's
available-from date, that date starting at the site's local midnight. When both dates are set, the
later one is the one that binds and the one named."""

from __future__ import annotations

from datetime import date

import numpy as np

from scheduler_app.localtime import from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.protocol import Probe, Rule, Scope

KIND = "unavailable"
SEVERITY = Severity.ERROR


def find(lane: Lane, found: Findings) -> None:
    stop = int(lane.starts.searchsorted(lane.context.available_from, side="left"))
    if not stop:
        return
    for i in found.narrow(np.arange(stop, dtype=np.intp)).tolist():
        _report(lane, found, i)


def _report(lane: Lane, found: Findings, row: int) -> None:
    campaign = lane.campaigns[row]
    context = lane.context
    reactor, site = context.reactor, context.site

    def build() -> Conflict:
        tz = context.tz
        opens = from_epoch(context.available_from)
        day: date | None
        if context.available_by_site:
            day, who = site.available_from, f"site {site.code} ({site.name})"
        else:
            day, who = reactor.available_from, f"bioreactor {reactor.code}"
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            reactor.code,
            campaign.start,
            min(lane.end_time(row), opens),
            f"unavailable: {who} is available from {day} ({wording.place(tz)}) — move "
            f"{campaign.id} to start on or after {day} or to another bioreactor",
        )

    found.add(KIND, campaign.id, (campaign, reactor, site), build)


def bound(probe: Probe) -> float:
    return probe.lane.context.available_from


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find, bound)
