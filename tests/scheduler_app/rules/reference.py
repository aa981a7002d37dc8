"""A slow, obviously-correct statement of the conflict table, to hold the fast engine against.

It follows DESIGN.md line by line with datetimes and ``add_local_days``, campaign by campaign, and
returns what each conflict is about (kind, campaigns, bioreactor, interval), not its wording.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.localtime import add_local_days, end_of_local_date, start_of_local_date
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule

Fact = tuple[str, tuple[str, ...], str, datetime, datetime]


def facts_of(conflicts: list[Conflict]) -> Counter[Fact]:
    return Counter((c.kind, c.campaigns, c.bioreactor, c.start, c.end) for c in conflicts)


def reference_conflicts(s: Schedule) -> Counter[Fact]:
    found: Counter[Fact] = Counter()
    for code, reactor in s.bioreactors.items():
        site = s.site_of(code)
        tz = site.time_zone
        live = sorted(
            (
                c
                for c in s.campaigns.values()
                if c.bioreactor == code
                and c.status is not Status.CANCELLED
                and c.product in s.products
            ),
            key=lambda c: (c.start, c.id),
        )
        end = {c.id: c.end_in(tz) for c in live}
        for i, b in enumerate(live):
            earlier = live[:i]
            for a in earlier:
                if end[a.id] > b.start and end[b.id] > b.start:
                    found[("overlap", (a.id, b.id), code, b.start, min(end[a.id], end[b.id]))] += 1
            if earlier and all(end[a.id] <= b.start for a in earlier):
                _gap(s, found, code, tz, earlier, b, end)
            product = s.products[b.product]
            for w in s.maintenance_for(code):
                if (
                    w.end > w.start
                    and end[b.id] > b.start
                    and b.start < w.end
                    and end[b.id] > w.start
                ):
                    found[
                        ("maintenance", (b.id,), code, max(b.start, w.start), min(end[b.id], w.end))
                    ] += 1
            if reactor.working_volume_l not in product.validated_scales_l:
                found[("scale", (b.id,), code, b.start, end[b.id])] += 1
            opens = [
                start_of_local_date(day, tz)
                for day in (reactor.available_from, site.available_from)
                if day is not None
            ]
            if opens and b.start < max(opens):
                found[("unavailable", (b.id,), code, b.start, min(end[b.id], max(opens)))] += 1
            if site.code not in product.qualified_sites:
                found[("qualification", (b.id,), code, b.start, end[b.id])] += 1
            if b.due is not None and end[b.id] > end_of_local_date(b.due, tz):
                found[("late", (b.id,), code, end_of_local_date(b.due, tz), end[b.id])] += 1
    return found


def _gap(
    s: Schedule,
    found: Counter[Fact],
    code: str,
    tz: str,
    earlier: list[Campaign],
    b: Campaign,
    end: dict[str, datetime],
) -> None:
    # The predecessor: latest end, the later one in (start, id) order on ties.
    a = max(enumerate(earlier), key=lambda pair: (end[pair[1].id], pair[0]))[1]
    pa, pb = s.products[a.product], s.products[b.product]
    if pa.code == pb.code:
        kind, need = "turnaround", pb.turnaround_days
    else:
        kind, need = "changeover", max(pa.changeover_days, pb.changeover_days)
    if b.start < add_local_days(end[a.id], need, tz):
        found[(kind, (a.id, b.id), code, end[a.id], b.start)] += 1
