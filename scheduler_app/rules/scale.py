"""``scale`` (error): the bioreactor's working volume is not a validated scale of the product."""

from __future__ import annotations

from functools import partial

from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Probe, Rule, Scope

KIND = "scale"
SEVERITY = Severity.ERROR


def find(lane: Lane, found: Findings) -> None:
    rows = found.narrow(rows_where(lane.context.scale_bad[lane.products]))
    if not rows.size:
        return
    campaigns, products = lane.campaigns, lane.product_list
    reactor, site = lane.context.reactor, lane.context.site
    for row in rows.tolist():
        campaign = campaigns[row]
        found.add(
            KIND, campaign.id, (campaign, products[row], reactor, site), partial(_build, lane, row)
        )


def _build(lane: Lane, row: int) -> Conflict:
    campaign = lane.campaigns[row]
    product = lane.product_list[row]
    reactor = lane.context.reactor
    if product.validated_scales_l:
        validated = f"is validated at {wording.litres(product.validated_scales_l)}"
        advice = (
            f"move {campaign.id} to a {wording.litres_any(product.validated_scales_l)} bioreactor"
        )
    else:
        validated = "has no validated scale"
        advice = f"validate a scale for {product.code} before running {campaign.id}"
    return Conflict(
        KIND,
        SEVERITY,
        (campaign.id,),
        lane.context.site.code,
        reactor.code,
        campaign.start,
        lane.end_time(row),
        f"scale: {product.code} {validated} but {reactor.code} holds "
        f"{reactor.working_volume_l:,} L — {advice}",
    )


def bound(probe: Probe) -> None:
    """No start makes an unvalidated scale right."""
    return None


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find, bound)
