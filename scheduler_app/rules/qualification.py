"""``qualification`` (warning): the product is not qualified at the campaign's site yet (tech
transfer pending)."""

from __future__ import annotations

from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings, item
from scheduler_app.rules.lane import Lane, rows_where

KIND = "qualification"
SEVERITY = Severity.WARNING


def check(lane: Lane, found: Findings) -> None:
    rows = found.narrow(rows_where(lane.context.unqualified[lane.products]))
    if not rows.size:
        return
    before, after = found.memos(KIND)
    items = found.items
    campaigns, products = lane.campaigns, lane.product_list
    site = lane.context.site
    for row in rows.tolist():
        campaign = campaigns[row]
        inputs = (campaign, products[row], site)
        hit = before.get(campaign.id)
        if hit is None or hit[0] != inputs:
            hit = (inputs, item(_build(lane, row)))
        after[campaign.id] = hit
        items.append(hit[1])


def _build(lane: Lane, row: int) -> Conflict:
    campaign = lane.campaigns[row]
    product = lane.product_list[row]
    site = lane.context.site
    if product.qualified_sites:
        where = " or ".join(product.qualified_sites)
        status = f"qualified at {', '.join(product.qualified_sites)} only"
        advice = f" or move it to a {where} bioreactor"
    else:
        status = "not qualified at any site"
        advice = ""
    return Conflict(
        KIND,
        SEVERITY,
        (campaign.id,),
        site.code,
        lane.context.reactor.code,
        campaign.start,
        lane.end_time(row),
        f"qualification: {product.code} is not qualified at {site.code} ({status}) — "
        f"complete the tech transfer to {site.code} before {campaign.id} starts{advice}",
    )
