"""How ``scenario diff`` and ``diff --since-version`` print a plan comparison for a planner:
one line per campaign added or removed, one per changed field (old → new, site-local times),
then the conflicts gained and resolved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler_app.campaigns import Campaign
from scheduler_app.cli.common import local_text
from scheduler_app.errors import NotFoundError
from scheduler_app.plan_diff import PlanDiff
from scheduler_app.schedule import Schedule

FIELD_LABELS = {"batch_days": "batch days", "turnaround_days": "turnaround days"}


def diff_text(diff: PlanDiff, title: str, schedule: Schedule) -> str:
    """``title`` then the sections that have something in them."""
    lines = [f"{title}: {diff.summary()}"]
    if diff.added:
        lines.append("Added:")
        lines += [f"  {_campaign_line(c, schedule)}" for c in diff.added]
    if diff.removed:
        lines.append("Removed:")
        lines += [f"  {_campaign_line(c, schedule)}" for c in diff.removed]
    if diff.changed:
        lines.append("Changed:")
        for item in diff.changed:
            zone = _zone(schedule, item.after)
            for name, (old, new) in item.fields.items():
                label = FIELD_LABELS.get(name, name)
                shown_old, shown_new = _value(old, zone), _value(new, zone)
                lines.append(f"  {item.campaign_id}  {label}: {shown_old} → {shown_new}")
    for heading, conflicts in (
        ("Conflicts gained", diff.gained),
        ("Conflicts resolved", diff.resolved),
    ):
        if conflicts:
            lines.append(f"{heading}:")
            lines += [f"  {c.severity.value} {c.kind}: {c.message}" for c in conflicts]
    if diff.empty and not (diff.gained or diff.resolved):
        lines.append("No differences.")
    return "\n".join(lines)


def _campaign_line(campaign: Campaign, schedule: Schedule) -> str:
    start = local_text(campaign.start, _zone(schedule, campaign))
    noun = "batch" if campaign.batches == 1 else "batches"
    return (
        f"{campaign.id}  {campaign.product} on {campaign.bioreactor} from {start}, "
        f"{campaign.batches} {noun}, {campaign.status.value}"
    )


def _zone(schedule: Schedule, campaign: Campaign) -> str:
    try:
        return schedule.time_zone_of(campaign.bioreactor)
    except NotFoundError:  # a bioreactor deleted since: show UTC rather than fail
        return "UTC"


def _value(value: Any, zone: str) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return local_text(value, zone)
    if isinstance(value, tuple):
        return ", ".join(f"{k}={v}" for k, v in value) or "(none)"
    return str(getattr(value, "value", value))
