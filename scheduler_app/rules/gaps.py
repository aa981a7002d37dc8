"""Reporting of short gaps between consecutive campaigns, shared by changeover and turnaround."""

from __future__ import annotations

from functools import partial

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.facts import end_time
from scheduler_app.rules.findings import Findings, item_at
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.protocol import Probe
from scheduler_app.rules.zone_table import zone_table


def report_short_gaps(
    lane: Lane, found: Findings, kind: str, severity: Severity, *, same_product: bool
) -> None:
    """Report the lane's short gaps between the same (turnaround) or different (changeover)
    products. The conflict's interval is the gap itself, from the predecessor's end to the start.
    Each campaign has one predecessor, so the later campaign's ID keys the memo."""
    short = lane.neighbours().short
    if not short:
        return
    focus = found.focus
    before, after = found.memos(kind)
    items = found.items
    campaigns, catalogue = lane.campaigns, lane.context.catalogue.products
    need_days = lane.context.catalogue.need_days
    site, reactor, tz = lane.context.site, lane.context.reactor.code, lane.context.tz
    for later, earlier, ended, starts, later_product, earlier_product, same in short:
        if same is not same_product or (focus is not None and not (focus[later] or focus[earlier])):
            continue
        first, second = campaigns[earlier], campaigns[later]
        first_product, second_product = catalogue[earlier_product], catalogue[later_product]
        need = float(need_days[later_product, earlier_product])
        inputs = (first, second, first_product, second_product, site, need)
        hit = before.get(second.id)
        if hit is None or hit[0] != inputs:
            conflict = Conflict(
                kind,
                severity,
                (first.id, second.id),
                site.code,
                reactor,
                end_time(first, ended, tz),
                second.start,
                describe=partial(_describe, kind, ended, starts, need, first, second.id, tz),
            )
            hit = (inputs, item_at(conflict, ended, starts))
        after[second.id] = hit
        items.append(hit[1])


def _describe(
    kind: str, ended: float, starts: float, need: float, first: Campaign, moved: str, tz: str
) -> str:
    if kind == "turnaround":
        after = f"{first.id} (same product {first.product})"
    else:
        after = f"{first.product} ({first.id})"
    required = zone_table(tz).add_days_at(ended, need)
    return (
        f"{kind}: {wording.days_between_at(ended, starts, tz)} after {after}, "
        f"needs {need:g} — move {moved} to start on or after "
        f"{wording.local_day_at(required, tz)} ({wording.place(tz)})"
    )


def gap_bound(probe: Probe) -> float:
    """For a campaign that follows its predecessor too soon: every start before the predecessor's
    end plus the days needed still does, until another campaign starts (or, for one starting at the
    same moment, ends: until then the two overlap)."""
    lane, row = probe.lane, probe.row
    start = float(lane.starts[row])
    earlier = int(lane.latest[row - 1])
    catalogue = lane.context.catalogue
    need = float(catalogue.need_days[lane.products[row], lane.products[earlier]])
    limit = zone_table(lane.context.tz).add_days_at(float(lane.ends[earlier]), need)
    later = lane.starts >= start
    later[row] = False
    cuts = np.where(lane.starts == start, lane.ends, lane.starts)[later]
    return min(limit, float(cuts.min())) if cuts.size else limit
