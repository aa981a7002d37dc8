"""``qualification`` (warning): the product is not qualified at the campaign's site yet (tech
transfer pending)."""

from __future__ import annotations

from functools import partial

from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Rule, Scope

KIND = "qualification"
SEVERITY = Severity.WARNING


def find(lane: Lane, found: Findings) -> None:
    rows = found.narrow(rows_where(lane.context.unqualified[lane.products]))
    if not rows.size:
        return
    campaigns, products = lane.campaigns, lane.product_list
    site = lane.context.site
    for row in rows.tolist():
        campaign = campaigns[row]
        found.add(KIND, campaign.id, (campaign, products[row], site), partial(_build, lane, row))


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


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find)
