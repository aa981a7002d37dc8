"""``late`` (warning): a campaign ends after its due date; due means the end of that day on the
site's calendar, so ending at midnight after the due day is on time."""

from __future__ import annotations

from functools import partial

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.facts import end_time
from scheduler_app.rules.findings import Findings, item_at
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Rule, Scope
from scheduler_app.rules.zone_table import zone_table

KIND = "late"
SEVERITY = Severity.WARNING


def find(lane: Lane, found: Findings) -> None:
    rows = found.narrow(rows_where(lane.ends > lane.due_ends))
    if not rows.size:
        return
    before, after = found.memos(KIND)
    items = found.items
    campaigns, site = lane.campaigns, lane.context.site
    reactor, tz = lane.context.reactor.code, lane.context.tz
    for row, due, end in zip(
        rows.tolist(), lane.due_ends[rows].tolist(), lane.ends[rows].tolist(), strict=True
    ):
        campaign = campaigns[row]
        inputs = (campaign, site)
        hit = before.get(campaign.id)
        if hit is None or hit[0] != inputs:
            conflict = Conflict(
                KIND,
                SEVERITY,
                (campaign.id,),
                site.code,
                reactor,
                from_epoch(due),
                end_time(campaign, end, tz),
                describe=partial(_describe, campaign, due, end, tz),
            )
            hit = (inputs, item_at(conflict, due, end))
        after[campaign.id] = hit
        items.append(hit[1])


def _describe(campaign: Campaign, due: float, end: float, tz: str) -> str:
    latest_start = zone_table(tz).add_days_at(due, -campaign.duration_days)
    return (
        f"late: {campaign.id} ends {wording.local_day_at(end, tz)}, "
        f"{wording.days_between_at(due, end, tz)} after its due date {campaign.due} "
        f"(end of day, {wording.place(tz)}) — start it on or before "
        f"{wording.local_day_at(latest_start, tz)} or agree a later due date"
    )


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find)
