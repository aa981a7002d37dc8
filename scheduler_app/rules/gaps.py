"""Reporting of short gaps between consecutive campaigns, shared by changeover and turnaround."""

from __future__ import annotations

import numpy as np

from scheduler_app.localtime import add_local_days
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.lane import Lane


def report_short_gaps(
    lane: Lane, found: Findings, kind: str, severity: Severity, *, same_product: bool
) -> None:
    """Report the lane's short gaps between the same (turnaround) or different (changeover)
    products. The conflict's interval is the gap itself, from the predecessor's end to the start."""
    gaps = lane.neighbours()
    chosen = gaps.same if same_product else ~gaps.same
    wanted = found.narrow_pairs(gaps.later, gaps.earlier)
    if wanted is not None:
        chosen = chosen & wanted
    for k in np.flatnonzero(chosen).tolist():
        _report(lane, found, kind, severity, int(gaps.earlier[k]), int(gaps.later[k]))


def _report(
    lane: Lane, found: Findings, kind: str, severity: Severity, earlier: int, later: int
) -> None:
    first, second = lane.campaigns[earlier], lane.campaigns[later]
    products = lane.catalogue.products
    first_product = products[int(lane.products[earlier])]
    second_product = products[int(lane.products[later])]
    site = lane.context.site

    def build() -> Conflict:
        tz = lane.context.tz
        gap_start = lane.facts[earlier].end_time
        if kind == "turnaround":
            need = second_product.turnaround_days
            after = f"{first.id} (same product {first.product})"
        else:
            need = max(first_product.changeover_days, second_product.changeover_days)
            after = f"{first.product} ({first.id})"
        required = add_local_days(gap_start, need, tz)
        return Conflict(
            kind,
            severity,
            (first.id, second.id),
            site.code,
            lane.context.reactor.code,
            gap_start,
            second.start,
            f"{kind}: {wording.days_between(gap_start, second.start, tz)} after {after}, "
            f"needs {need} — move {second.id} to start on or after "
            f"{wording.local_day(required, tz)} ({wording.place(tz)})",
        )

    found.add(
        (kind, first.id, second.id), (first, second, first_product, second_product, site), build
    )
