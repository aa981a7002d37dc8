"""``qualification`` (warning): the product is not qualified at the campaign's site yet (tech
transfer pending), or is qualified there from a date (tech transfer complete) after the campaign
starts. The conflict runs from the campaign's start to its end, or to the qualification date when
that comes first."""

from __future__ import annotations

from functools import partial

from scheduler_app.localtime import from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Rule, Scope

KIND = "qualification"
SEVERITY = Severity.WARNING


def find(lane: Lane, found: Findings) -> None:
    rows = found.narrow(rows_where(lane.starts < lane.context.qualified_from[lane.products]))
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
    day = product.qualified_date(site.code)
    end = lane.end_time(row)
    if day is not None:
        opens = float(lane.context.qualified_from[lane.products[row]])
        end = min(end, from_epoch(opens))
        message = (
            f"qualification: {product.code} is qualified at {site.code} from {day} "
            f"({wording.place(lane.context.tz)}) — move {campaign.id} to start on or after {day}"
            " or to a bioreactor of a site where it is qualified already"
        )
    else:
        if product.qualified_sites:
            where = " or ".join(product.qualified_sites)
            status = f"qualified at {', '.join(product.qualified_sites)} only"
            advice = f" or move it to a {where} bioreactor"
        else:
            status = "not qualified at any site"
            advice = ""
        message = (
            f"qualification: {product.code} is not qualified at {site.code} ({status}) — "
            f"complete the tech transfer to {site.code} before {campaign.id} starts{advice}"
        )
    return Conflict(
        KIND,
        SEVERITY,
        (campaign.id,),
        site.code,
        lane.context.reactor.code,
        campaign.start,
        end,
        message,
    )


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find)
