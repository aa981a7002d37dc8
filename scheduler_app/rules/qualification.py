"""``qualification`` (warning): the product is not qualified at the campaign's site yet (tech
transfer pending)."""

from __future__ import annotations

import numpy as np

from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane

KIND = "qualification"
SEVERITY = Severity.WARNING


def check(lane: Lane, found: Findings) -> None:
    rows = np.flatnonzero(lane.context.unqualified[lane.products])
    for i in found.narrow(rows).tolist():
        _report(lane, found, i)


def _report(lane: Lane, found: Findings, row: int) -> None:
    campaign = lane.campaigns[row]
    product = lane.catalogue.products[int(lane.products[row])]
    site = lane.context.site

    def build() -> Conflict:
        if product.qualified_sites:
            where = ", ".join(product.qualified_sites)
            status = f"qualified at {where} only"
            advice = f"or move it to a {where} bioreactor"
        else:
            status = "not qualified at any site"
            advice = "first"
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            lane.context.reactor.code,
            campaign.start,
            lane.facts[row].end_time,
            f"qualification: {product.code} is not qualified at {site.code} ({status}) — "
            f"complete the tech transfer to {site.code} before {campaign.id} starts {advice}",
        )

    found.add((KIND, campaign.id), (campaign, product, site), build)
