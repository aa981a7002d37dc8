"""The import preview's conflict check, safe against a workbook that stacks thousands of rows.

The conflict engine reports every overlapping pair; 3,000 rows filled down onto one bioreactor
and start are 4.5 million pairs (minutes and gigabytes for a dry run). When any bioreactor holds a
cluster of three or more mutually chained overlaps, the preview reports each cluster as one
``overlap`` conflict naming its campaigns and runs the other rules as usual; otherwise it is the
engine's own check, unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.schedule import Schedule

KIND = "overlap"
_NAMED = 5


def overlap_clusters(schedule: Schedule) -> list[list[tuple[Campaign, datetime]]]:
    """Per bioreactor, runs of campaigns each of which starts before the ones before it have
    all ended (a chain of overlaps); only runs of two or more are returned."""
    lanes: dict[BioreactorCode, list[tuple[datetime, datetime, Campaign]]] = defaultdict(list)
    for campaign in schedule.campaigns.values():
        if campaign.bioreactor in schedule.bioreactors:
            end = schedule.campaign_end(campaign)
            lanes[campaign.bioreactor].append((campaign.start, end, campaign))
    clusters = []
    for lane in lanes.values():
        lane.sort(key=lambda item: (item[0], item[2].id))
        current: list[tuple[Campaign, datetime]] = []
        reach: datetime | None = None
        for start, end, campaign in lane:
            if reach is not None and start < reach and end > start:
                current.append((campaign, end))
                reach = max(reach, end)
                continue
            if len(current) > 1:
                clusters.append(current)
            current, reach = [(campaign, end)], end
        if len(current) > 1:
            clusters.append(current)
    return clusters


def check_for_preview(schedule: Schedule) -> list[Conflict]:
    """Every conflict of ``schedule``, with overlap clusters of three or more as one each."""
    from scheduler_app.rules.engine import ConflictEngine, check_schedule
    from scheduler_app.rules.registry import RULES

    clusters = overlap_clusters(schedule)
    if all(len(cluster) < 3 for cluster in clusters):
        return check_schedule(schedule)
    others = ConflictEngine(schedule, [rule for rule in RULES if rule.kind != KIND]).check_all()
    found = [*others, *(_cluster_conflict(schedule, cluster) for cluster in clusters)]
    return sorted(found, key=lambda c: (c.start, c.bioreactor, c.kind, c.campaigns))


def _cluster_conflict(schedule: Schedule, cluster: list[tuple[Campaign, datetime]]) -> Conflict:
    campaigns = [campaign for campaign, _ in cluster]
    reactor = campaigns[0].bioreactor
    site = schedule.site_of(reactor)
    start = campaigns[1].start
    end = max(end for _, end in cluster)
    names = ", ".join(c.id for c in campaigns[:_NAMED])
    if len(campaigns) > _NAMED:
        names += f" and {len(campaigns) - _NAMED:,} more"
    tz = site.time_zone
    message = (
        f"overlap: {len(campaigns):,} campaigns overlap one another on {reactor} from "
        f"{wording.local_day(start, tz)} to {wording.local_day(end, tz)} ({wording.place(tz)}): "
        f"{names} — spread them over time or other bioreactors"
    )
    return Conflict(
        KIND,
        Severity.ERROR,
        tuple(c.id for c in campaigns),
        site.code,
        reactor,
        start,
        end,
        message,
    )
