"""``late`` (warning): a campaign ends after its due date; due means the end of that day on the
site's calendar, so ending at midnight after the due day is on time."""

from __future__ import annotations

from scheduler_app.localtime import from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.zone_table import zone_table

KIND = "late"
SEVERITY = Severity.WARNING


def check(lane: Lane, found: Findings) -> None:
    rows = rows_where(lane.ends > lane.due_ends)
    for i in found.narrow(rows).tolist():
        _report(lane, found, i)


def _report(lane: Lane, found: Findings, row: int) -> None:
    campaign = lane.campaigns[row]
    site = lane.context.site

    def build() -> Conflict:
        tz = lane.context.tz
        due, end = float(lane.due_ends[row]), float(lane.ends[row])
        latest_start = zone_table(tz).add_days_at(due, -campaign.duration_days)
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            lane.context.reactor.code,
            from_epoch(due),
            lane.end_time(row),
            f"late: {campaign.id} ends {wording.local_day_at(end, tz)}, "
            f"{wording.days_between_at(due, end, tz)} after its due date {campaign.due} "
            f"(end of day, {wording.place(tz)}) — start it on or before "
            f"{wording.local_day_at(latest_start, tz)} or agree a later due date",
        )

    found.add(KIND, campaign.id, (campaign, site), build)
