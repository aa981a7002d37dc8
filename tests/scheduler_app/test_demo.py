"""The demo schedule: the plants as DESIGN.md describes them, and exactly the deliberate conflicts
it promises, each on a known campaign."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from pathlib import Path

from scheduler_app import demo
from scheduler_app.campaigns import Status
from scheduler_app.demo import demo_schedule
from scheduler_app.localtime import local_midnight, utc_to_local_naive

# (kind, campaigns with the offending one last, bioreactor): one of each kind, nothing else.
DELIBERATE_CONFLICTS = {
    ("overlap", ("CMP-0032", "CMP-0055"), "SYR-BR502"),
    ("changeover", ("CMP-0033", "CMP-0046"), "SYR-BR503"),
    ("maintenance", ("CMP-0044",), "SYR-BR506"),
    ("turnaround", ("CMP-0047", "CMP-0061"), "SYR-BR505"),
    ("late", ("CMP-0058",), "SYR-BR504"),
    ("unavailable", ("CMP-0067",), "SDO-BR1506"),
    ("scale", ("CMP-0080",), "SDO-BR1504"),
    ("qualification", ("CMP-0097",), "SDO-BR1502"),
}


def test_the_engine_finds_exactly_the_deliberate_conflicts() -> None:
    from scheduler_app.rules.engine import check_schedule

    found = check_schedule(demo_schedule())

    assert {(c.kind, tuple(c.campaigns), c.bioreactor) for c in found} == DELIBERATE_CONFLICTS
    assert len(found) == len(DELIBERATE_CONFLICTS)


def test_each_deliberate_conflict_sits_on_the_booking_that_explains_it() -> None:
    campaigns = demo_schedule().campaigns
    assert campaigns["CMP-0055"].notes == demo.PULLED_IN.note
    assert campaigns["CMP-0046"].notes == demo.SQUEEZED.note
    assert campaigns["CMP-0044"].notes == demo.DURING_REQUALIFICATION.note
    assert campaigns["CMP-0061"].notes == demo.BACK_TO_BACK.note
    assert campaigns["CMP-0058"].notes == demo.LATE.note
    assert campaigns["CMP-0067"].notes == demo.TOO_EARLY.note
    assert campaigns["CMP-0080"].notes == demo.TOO_BIG.note
    assert campaigns["CMP-0097"].notes == demo.NOT_TRANSFERRED.note


def test_deliberate_conflicts_are_on_campaigns_a_planner_can_still_move() -> None:
    campaigns = demo_schedule().campaigns
    offending = {ids[-1] for _, ids, _ in DELIBERATE_CONFLICTS}
    assert all(not campaigns[i].status.locked for i in offending)


def test_the_cancelled_campaign_would_clash_but_the_rules_ignore_it() -> None:
    from scheduler_app.rules.engine import check_schedule

    schedule = demo_schedule()
    (cancelled,) = [c for c in schedule.campaigns.values() if c.status is Status.CANCELLED]
    neighbours = [
        c
        for c in schedule.campaigns_on(cancelled.bioreactor)
        if c.id != cancelled.id
        and c.start < schedule.campaign_end(cancelled)
        and cancelled.start < schedule.campaign_end(c)
    ]
    assert neighbours, "the cancelled campaign should overlap a live one"
    assert all(cancelled.id not in c.campaigns for c in check_schedule(schedule))


def test_it_is_deterministic() -> None:
    assert demo_schedule() == demo_schedule()


def test_the_plants_have_their_real_structure() -> None:
    schedule = demo_schedule()
    by_site: dict[str, Counter[tuple[int, str]]] = {"SYR": Counter(), "SDO": Counter()}
    for reactor in schedule.bioreactors.values():
        site = schedule.site_of(reactor.code).code
        by_site[site][(reactor.working_volume_l, reactor.reactor_type.value)] += 1

    assert by_site["SYR"] == {(5000, "Stainless"): 7, (1000, "Stainless"): 1}
    assert by_site["SDO"] == {(15000, "Stainless"): 8, (2000, "Single-use"): 4}
    assert schedule.sites["SYR"].time_zone == "America/New_York"
    assert schedule.sites["SDO"].time_zone == "Asia/Seoul"
    assert schedule.sites["SDO"].available_from == date(2027, 1, 1)
    assert {r.code for r in schedule.bioreactors.values() if r.suite == "SYR-S1"} == {
        "SYR-BR501", "SYR-BR502", "SYR-BR503", "SYR-BR504",
    }  # fmt: skip


def test_products_are_a_dozen_with_distinct_colours_and_realistic_figures() -> None:
    products = list(demo_schedule().products.values())
    assert len(products) == 12
    assert len({p.colour for p in products}) == 12
    assert len({p.client for p in products}) >= 5
    for product in products:
        assert 2 <= product.turnaround_days <= 3
        assert 7 <= product.changeover_days <= 14
        conjugation = product.validated_scales_l == (1000,)
        assert (4 <= product.batch_days <= 5) if conjugation else (12 <= product.batch_days <= 16)


def test_campaigns_span_2026_to_2028_starting_at_site_midnight() -> None:
    schedule = demo_schedule()
    years = Counter(c.start.year for c in schedule.campaigns.values())
    assert set(years) == {2026, 2027, 2028}
    for c in schedule.campaigns.values():
        tz_name = schedule.time_zone_of(c.bioreactor)
        assert local_midnight(c.start, tz_name) == c.start


def test_songdo_starts_in_2027_with_engineering_and_ppq_runs() -> None:
    schedule = demo_schedule()
    songdo = [
        c for c in schedule.campaigns.values() if schedule.site_of(c.bioreactor).code == "SDO"
    ]
    first_day = min(utc_to_local_naive(c.start, "Asia/Seoul").date() for c in songdo)
    assert first_day.year == 2027
    notes = Counter(c.notes.split(" ")[0] for c in songdo)
    assert notes["Engineering"] >= 3
    assert notes["PPQ"] + notes["Process"] >= 4


def test_every_status_is_present_and_one_campaign_is_cancelled() -> None:
    statuses = Counter(c.status for c in demo_schedule().campaigns.values())
    assert set(statuses) == set(Status)
    assert statuses[Status.CANCELLED] == 1


def test_maintenance_has_annual_shutdowns_per_site_a_suite_and_a_bioreactor_window() -> None:
    schedule = demo_schedule()
    shutdowns = [w for w in schedule.maintenance if w.suite is None and w.bioreactor is None]
    for site in ("SYR", "SDO"):
        lengths = [(w.end - w.start).days for w in shutdowns if w.site == site]
        assert lengths and all(14 <= days <= 21 for days in lengths)
    syracuse = sorted(w.start for w in shutdowns if w.site == "SYR")
    assert all(365 <= (b - a).days <= 18 * 31 for a, b in itertools.pairwise(syracuse))
    assert any(w.suite and not w.bioreactor for w in schedule.maintenance)
    assert any(w.bioreactor for w in schedule.maintenance)


def test_the_demo_description_names_every_deliberate_conflict() -> None:
    text = (Path(__file__).resolve().parents[2] / "resources" / "demo_schedule.md").read_text(
        encoding="utf-8"
    )
    rows = [line for line in text.splitlines() if line.startswith("| ") and "CMP-" in line]
    described = {
        (cells[0], tuple(cells[2].split(", ")), cells[3])
        for cells in ([cell.strip() for cell in row.strip("|").split("|")] for row in rows)
    }
    assert described == DELIBERATE_CONFLICTS
    assert f"{len(demo_schedule().campaigns)} campaigns" in text
