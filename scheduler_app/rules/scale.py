"""``scale`` (error): the bioreactor's working volume is not a validated scale of the product."""

from __future__ import annotations

import numpy as np

from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane

KIND = "scale"
SEVERITY = Severity.ERROR


def check(lane: Lane, found: Findings) -> None:
    rows = np.flatnonzero(lane.context.scale_bad[lane.products])
    for i in found.narrow(rows).tolist():
        _report(lane, found, i)


def _report(lane: Lane, found: Findings, row: int) -> None:
    campaign = lane.campaigns[row]
    product = lane.catalogue.products[int(lane.products[row])]
    reactor = lane.context.reactor
    site = lane.context.site

    def build() -> Conflict:
        if product.validated_scales_l:
            validated = f"is validated at {wording.litres(product.validated_scales_l)}"
            advice = f"move {campaign.id} to a {wording.litres_any(product.validated_scales_l)}"
            advice += " bioreactor"
        else:
            validated = "has no validated scale"
            advice = f"validate a scale for {product.code} before running {campaign.id}"
        return Conflict(
            KIND,
            SEVERITY,
            (campaign.id,),
            site.code,
            reactor.code,
            campaign.start,
            lane.facts[row].end_time,
            f"scale: {product.code} {validated} but {reactor.code} holds "
            f"{reactor.working_volume_l:,} L — {advice}",
        )

    found.add((KIND, campaign.id), (campaign, product, reactor, site), build)
