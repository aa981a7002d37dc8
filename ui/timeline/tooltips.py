"""Campaign tooltips: the details a planner checks before dragging, in the site's local time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import zone
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule


def local_text(instant: datetime, tz_name: str) -> str:
    """``2027-03-01 00:00 EST``: a site-local wall-clock time with its zone abbreviation."""
    local = instant.astimezone(zone(tz_name))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def campaign_tooltip(
    schedule: Schedule, campaign: Campaign, conflicts: Sequence[Conflict] = ()
) -> str:
    """Rich-text tooltip: ID, product, client, bioreactor, site, local start/end with the zone,
    batches, status, due date and the conflicts the campaign is in."""
    product = schedule.products.get(campaign.product)
    reactor = schedule.bioreactors.get(campaign.bioreactor)
    site = schedule.site_of(campaign.bioreactor)
    tz_name = site.time_zone
    end = schedule.campaign_end(campaign)
    name = f" ({escape(product.name)})" if product else ""
    client = escape(product.client) if product else "?"
    volume = f" · {reactor.working_volume_l:,} L" if reactor else ""
    lines = [
        f"<b>{escape(campaign.id)}</b> · {escape(campaign.product)}{name} · {client}",
        f"{escape(campaign.bioreactor)}{volume} · {escape(site.name)}",
        f"Start {local_text(campaign.start, tz_name)}",
        f"End {local_text(end, tz_name)} <i>({escape(tz_name)})</i>",
        f"{campaign.batches} batch{'es' if campaign.batches != 1 else ''} × "
        f"{campaign.batch_days} d, turnaround {campaign.turnaround_days} d",
        f"Status {escape(campaign.status.value)}"
        + (f" · due {campaign.due:%Y-%m-%d}" if campaign.due else ""),
    ]
    if campaign.status.locked:
        lines.append("<i>Locked: in progress or complete campaigns cannot be moved</i>")
    for conflict in conflicts[:6]:
        colour = "#c00000" if conflict.severity.value == "error" else "#b07000"
        lines.append(
            f"<span style='color:{colour}'>● {escape(conflict.kind)}: "
            f"{escape(conflict.message)}</span>"
        )
    if len(conflicts) > 6:
        lines.append(f"… and {len(conflicts) - 6} more conflicts")
    return "<br>".join(lines)
