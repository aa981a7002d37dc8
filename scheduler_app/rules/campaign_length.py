"""``campaign-length`` (warning): a campaign has more batches than its product's *max batches*,
the number cleaning validation allows back to back (0: no limit)."""

from __future__ import annotations

from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings, KindMemo, item
from scheduler_app.rules.lane import Lane, rows_where
from scheduler_app.rules.protocol import Rule, Scope

KIND = "campaign-length"
SEVERITY = Severity.WARNING


def find(lane: Lane, found: Findings) -> None:
    limits = lane.context.catalogue.max_batches[lane.products]
    rows = found.narrow(rows_where(limits > 0))
    if not rows.size:
        return
    campaigns, products, site = lane.campaigns, lane.product_list, lane.context.site
    memos: tuple[KindMemo, KindMemo] | None = None
    for row, limit in zip(rows.tolist(), limits[rows].tolist(), strict=True):
        campaign = campaigns[row]
        if campaign.batches > limit:
            # Findings.add without a build function made for every reused conflict.
            if memos is None:
                memos = found.memos(KIND)
            before, after = memos
            inputs = (campaign, products[row], site)
            hit = before.get(campaign.id)
            if hit is None or hit[0] != inputs:
                hit = (inputs, item(_build(lane, row)))
            after[campaign.id] = hit
            found.items.append(hit[1])


def _build(lane: Lane, row: int) -> Conflict:
    campaign = lane.campaigns[row]
    product = lane.product_list[row]
    most = product.max_batches
    return Conflict(
        KIND,
        SEVERITY,
        (campaign.id,),
        lane.context.site.code,
        lane.context.reactor.code,
        campaign.start,
        lane.end_time(row),
        f"campaign-length: {campaign.id} runs {campaign.batches} batches of {product.code} back to "
        f"back but cleaning validation allows {most} — split it into campaigns of at most {most} "
        f"batches with a cleaning between them",
    )


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find)
