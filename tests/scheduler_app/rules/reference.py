"""A slow, obviously-correct statement of the conflict table, to hold the fast engine against.

It follows DESIGN.md line by line with datetimes and ``add_local_days``, campaign by campaign, and
returns what each conflict is about (kind, campaigns, bioreactor, interval), not its wording.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import add_local_days, end_of_local_date, start_of_local_date
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule

Fact = tuple[str, tuple[str, ...], str, datetime, datetime]


def facts_of(conflicts: list[Conflict]) -> Counter[Fact]:
    return Counter((c.kind, c.campaigns, c.bioreactor, c.start, c.end) for c in conflicts)


def overlap_clusters(live: list[Campaign], end: dict[str, datetime], code: str) -> Counter[Fact]:
    """One ``overlap`` per connected component of the overlap graph (every pair compared, then
    merged by union-find), naming its campaigns in ``live`` order, over the time at least two of
    them are busy: from the earliest to the latest moment any overlapping pair shares."""

    def meet(a: Campaign, b: Campaign) -> bool:
        return max(a.start, b.start) < min(end[a.id], end[b.id])

    parent = list(range(len(live)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    pairs = [(i, j) for j in range(len(live)) for i in range(j) if meet(live[i], live[j])]
    for i, j in pairs:
        parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(live)):
        groups.setdefault(root(i), []).append(i)
    found: Counter[Fact] = Counter()
    for members in groups.values():
        if len(members) < 2:
            continue
        inside = [(i, j) for i, j in pairs if root(i) == root(members[0])]
        first = min(max(live[i].start, live[j].start) for i, j in inside)
        last = max(min(end[live[i].id], end[live[j].id]) for i, j in inside)
        ids = tuple(live[i].id for i in sorted(members))
        found[("overlap", ids, code, first, last)] += 1
    return found


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
        found.update(overlap_clusters(live, end, code))
        for i, b in enumerate(live):
            earlier = live[:i]
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
            qualified_on = product.qualified_date(site.code)
            if qualified_on is not None:
                opens_on = start_of_local_date(qualified_on, tz)
                if b.start < opens_on:
                    found[("qualification", (b.id,), code, b.start, min(end[b.id], opens_on))] += 1
            elif site.code not in product.qualified_sites:
                found[("qualification", (b.id,), code, b.start, end[b.id])] += 1
            if 0 < product.max_batches < b.batches:
                found[("campaign-length", (b.id,), code, b.start, end[b.id])] += 1
            if b.due is not None and end[b.id] > end_of_local_date(b.due, tz):
                found[("late", (b.id,), code, end_of_local_date(b.due, tz), end[b.id])] += 1
    found.update(material_conflicts(s))
    found.update(shared_conflicts(s, EquipmentRole.SEED))
    found.update(shared_conflicts(s, EquipmentRole.DOWNSTREAM))
    return found


def _known(s: Schedule, code: str) -> bool:
    reactor = s.bioreactors.get(BioreactorCode(code))
    return (
        reactor is not None
        and reactor.suite in s.suites
        and s.suites[reactor.suite].site in s.sites
    )


def material_conflicts(s: Schedule) -> Counter[Fact]:
    """``material``: a live consumer starts before the needed campaign's end plus the consumer's
    lag (days on the needed campaign's site calendar), or the needed one is cancelled or missing."""
    found: Counter[Fact] = Counter()
    for c in s.campaigns.values():
        if c.needs is None or c.status is Status.CANCELLED or c.product not in s.products:
            continue
        if not _known(s, c.bioreactor):
            continue
        tz = s.time_zone_of(c.bioreactor)
        end = c.end_in(tz)
        needed = s.campaigns.get(c.needs)
        if needed is None:
            found[("material", (c.id,), c.bioreactor, c.start, end)] += 1
        elif needed.status is Status.CANCELLED:
            found[("material", (needed.id, c.id), c.bioreactor, c.start, end)] += 1
        else:
            tz_n = s.time_zone_of(needed.bioreactor) if _known(s, needed.bioreactor) else tz
            ready = add_local_days(needed.end_in(tz_n), c.lag_days, tz_n)
            if c.start < ready:
                found[("material", (needed.id, c.id), c.bioreactor, c.start, min(end, ready))] += 1
    return found


def shared_conflicts(s: Schedule, role: EquipmentRole) -> Counter[Fact]:
    """``seed`` / ``downstream``, instant by instant: every distinct set of units serving a
    production bioreactor is a pool for the bioreactors whose own set lies inside it."""
    kind = "seed" if role is EquipmentRole.SEED else "downstream"
    producing = [
        code
        for code, r in s.bioreactors.items()
        if r.role is EquipmentRole.PRODUCTION and _known(s, code)
    ]
    units_of = {
        p: frozenset(u.code for u in s.serving(role, p) if _known(s, u.code)) for p in producing
    }
    found: Counter[Fact] = Counter()
    for units in {u for u in units_of.values() if u}:
        members = [p for p in producing if units_of[p] and units_of[p] <= units]
        spans = []
        for c in s.campaigns.values():
            if c.bioreactor not in members or c.status is Status.CANCELLED:
                continue
            product = s.products.get(c.product)
            days = (
                0
                if product is None
                else (product.seed_days if role is EquipmentRole.SEED else product.harvest_days)
            )
            if not days:
                continue
            tz = s.time_zone_of(c.bioreactor)
            for k in range(c.batches):
                offset = k * (c.batch_days + c.turnaround_days)
                if role is EquipmentRole.SEED:
                    anchor = add_local_days(c.start, offset, tz)
                    span = (add_local_days(anchor, -days, tz), anchor)
                else:
                    anchor = add_local_days(c.start, offset + c.batch_days, tz)
                    span = (anchor, add_local_days(anchor, days, tz))
                if span[1] > span[0]:
                    spans.append((span[0], span[1], c))
        if not spans:
            continue
        down = {u: _unit_down(s, u) for u in units}
        points = sorted(
            {t for a, b, _ in spans for t in (a, b)}
            | {t for spans_u in down.values() for pair in spans_u for t in pair if t is not None}
        )
        over = []
        for at in points:
            demand = sum(1 for a, b, _ in spans if a <= at < b)
            capacity = sum(
                1 for u in units if not any((a is None or a <= at) and at < b for a, b in down[u])
            )
            over.append(demand > capacity)
        runs = []
        for i, flag in enumerate(over):
            if flag and (i == 0 or not over[i - 1]):
                runs.append([points[i], None])
            if flag and (i + 1 == len(over) or not over[i + 1]):
                runs[-1][1] = points[i + 1]
        for begin, finish in runs:
            first: dict[str, tuple[datetime, Campaign]] = {}
            for a, b, c in spans:
                if a < finish and b > begin and (c.id not in first or a < first[c.id][0]):
                    first[c.id] = (a, c)
            order = sorted(first, key=lambda i: (first[i][0], i))
            moved = first[order[-1]][1]
            found[(kind, tuple(order), moved.bioreactor, begin, finish)] += 1
    return found


def _unit_down(s: Schedule, unit: str) -> list[tuple[datetime | None, datetime]]:
    """When a unit is unavailable: before its (or its site's) available-from date, and during its
    maintenance windows (``None``: since ever)."""
    reactor = s.bioreactors[BioreactorCode(unit)]
    site = s.site_of(unit)
    opens = [
        start_of_local_date(day, site.time_zone)
        for day in (reactor.available_from, site.available_from)
        if day is not None
    ]
    down: list[tuple[datetime | None, datetime]] = [(None, max(opens))] if opens else []
    down += [(w.start, w.end) for w in s.maintenance_for(unit) if w.end > w.start]
    return down


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
        kind, need = "changeover", s.changeover_days(pa.code, pb.code)
    if b.start < add_local_days(end[a.id], need, tz):
        found[(kind, (a.id, b.id), code, end[a.id], b.start)] += 1
