"""The demo schedule: the plants as DESIGN.md describes them, and exactly the deliberate conflicts
it promises, each on a known campaign."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from pathlib import Path

from scheduler_app import demo
from scheduler_app.campaigns import Purpose, Status
from scheduler_app.demo import demo_schedule
from scheduler_app.localtime import local_midnight, utc_to_local_naive

# (kind, campaigns as the engine names them, bioreactor): one of each kind, nothing else.
DELIBERATE_CONFLICTS = {
    ("overlap", ("CMP-0031", "CMP-0054"), "SYR-BR502"),
    ("changeover", ("CMP-0034", "CMP-0048"), "SYR-BR503"),
    ("maintenance", ("CMP-0038",), "SYR-BR506"),
    ("turnaround", ("CMP-0045", "CMP-0059"), "SYR-BR505"),
    ("late", ("CMP-0057",), "SYR-BR504"),
    ("unavailable", ("CMP-0062",), "SDO-BR1506"),
    ("scale", ("CMP-0076",), "SDO-BR1504"),
    ("qualification", ("CMP-0093",), "SDO-BR1502"),
    ("seed", ("CMP-0077", "CMP-0078", "CMP-0079"), "SYR-BR501"),
    ("downstream", ("CMP-0105", "CMP-0106", "CMP-0103", "CMP-0104"), "SDO-BR1502"),
    ("campaign-length", ("CMP-0141",), "SDO-BR1507"),
    ("material", ("CMP-0037", "CMP-0063"), "SYR-ADC01"),
}
# The booking each conflict is about (whose note says how it came about).
BOOKED_SO = {
    "CMP-0054": demo.PULLED_IN,
    "CMP-0048": demo.SQUEEZED,
    "CMP-0038": demo.DURING_REQUALIFICATION,
    "CMP-0059": demo.BACK_TO_BACK,
    "CMP-0057": demo.LATE,
    "CMP-0062": demo.TOO_EARLY,
    "CMP-0076": demo.TOO_BIG,
    "CMP-0093": demo.NOT_TRANSFERRED,
    "CMP-0078": demo.NO_SEED,
    "CMP-0106": demo.NO_TRAIN,
    "CMP-0141": demo.TOO_LONG,
    "CMP-0063": demo.BEFORE_RELEASE,
}


def test_the_engine_finds_exactly_the_deliberate_conflicts() -> None:
    from scheduler_app.rules.engine import check_schedule

    found = check_schedule(demo_schedule())

    assert {(c.kind, tuple(c.campaigns), c.bioreactor) for c in found} == DELIBERATE_CONFLICTS
    assert len(found) == len(DELIBERATE_CONFLICTS)


def test_every_registered_rule_has_its_deliberate_conflict() -> None:
    from scheduler_app.rules.registry import RULES

    assert {rule.kind for rule in RULES} == {kind for kind, _, _ in DELIBERATE_CONFLICTS}


def test_each_deliberate_conflict_sits_on_the_booking_that_explains_it() -> None:
    campaigns = demo_schedule().campaigns
    for key, booking in BOOKED_SO.items():
        assert campaigns[key].notes == booking.note, key
    for kind, ids, _ in DELIBERATE_CONFLICTS:
        assert any(key in ids for key in BOOKED_SO), kind


def test_the_process_conflicts_agree_with_the_slow_reference() -> None:
    """Independently of the engine: one over-booked seed interval, one downstream, one campaign
    too long, one material link started before release, no dated qualification broken."""
    from scheduler_app.equipment import EquipmentRole
    from tests.scheduler_app import process_reference as reference

    schedule = demo_schedule()
    [(seeds, _, _)] = reference.overbooked(schedule, EquipmentRole.SEED)
    assert seeds == {"SYR-N1-01", "SYR-N1-02"}
    [(trains, _, _)] = reference.overbooked(schedule, EquipmentRole.DOWNSTREAM)
    assert trains == {"SDO-DSP1", "SDO-DSP2", "SDO-DSP3"}
    assert reference.too_long(schedule) == ["CMP-0141"]
    assert reference.material(schedule) == ["CMP-0063"]
    assert reference.qualified_too_early(schedule) == []


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
    for reactor in schedule.production_bioreactors():
        site = schedule.site_of(reactor.code).code
        by_site[site][(reactor.working_volume_l, reactor.reactor_type.value)] += 1

    assert by_site["SYR"] == {(5000, "Stainless"): 7, (1000, "Stainless"): 1}
    assert by_site["SDO"] == {(15000, "Stainless"): 8, (2000, "Single-use"): 4}
    assert schedule.sites["SYR"].time_zone == "America/New_York"
    assert schedule.sites["SDO"].time_zone == "Asia/Seoul"
    assert schedule.sites["SDO"].available_from == date(2027, 1, 1)
    assert {r.code for r in schedule.production_bioreactors() if r.suite == "SYR-S1"} == {
        "SYR-BR501", "SYR-BR502", "SYR-BR503", "SYR-BR504",
    }  # fmt: skip


def test_seed_bioreactors_and_downstream_trains_are_shared_as_at_a_real_plant() -> None:
    from scheduler_app.equipment import EquipmentRole

    schedule = demo_schedule()
    seeds = {r.code: r for r in schedule.bioreactors.values() if r.role is EquipmentRole.SEED}
    trains = [r for r in schedule.bioreactors.values() if r.role is EquipmentRole.DOWNSTREAM]
    for reactor in schedule.production_bioreactors():
        if reactor.code == "SYR-ADC01":
            continue  # conjugation has no seed train
        served = schedule.serving(EquipmentRole.SEED, reactor.code)
        assert served, reactor.code
        vessels = len(schedule.served_by(served[0].code))
        assert 1.5 <= vessels / len(served) <= 3, reactor.code
        volume = {5000: 1000, 15000: 3000, 2000: 500}[reactor.working_volume_l]
        assert {unit.working_volume_l for unit in served} == {volume}
    assert len(seeds) == 10
    by_site = Counter(schedule.site_of(t.code).code for t in trains)
    assert by_site == {"SYR": 2, "SDO": 3}


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
        if not conjugation:
            assert 4 <= product.seed_days <= 6 and 3 <= product.harvest_days <= 5
            assert product.max_batches >= 5


def test_conjugations_need_antibody_campaigns_released_30_to_45_days_earlier() -> None:
    schedule = demo_schedule()
    adc = [c for c in schedule.campaigns.values() if c.bioreactor == "SYR-ADC01"]
    assert len(adc) >= 10 and all(c.needs for c in adc)
    pairs = {"ADC-415": "ABX-201", "LMV-330": "GLN-902"}
    for campaign in adc:
        needed = schedule.campaigns[campaign.needs]  # type: ignore[index]
        assert needed.product == pairs[campaign.product]
        assert 30 <= campaign.lag_days <= 45
    assert len({c.needs for c in adc}) == len(adc), "each antibody campaign feeds one"


def test_the_changeover_matrix_and_a_dated_qualification() -> None:
    schedule = demo_schedule()
    assert 2 <= len(schedule.changeovers) <= 5
    for (before, after), days in schedule.changeovers.items():
        default = max(
            schedule.products[before].changeover_days, schedule.products[after].changeover_days
        )
        assert days > default
    assert schedule.products["ABX-201"].qualified_date("SDO") == date(2027, 4, 5)


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
    purposes = Counter(c.purpose for c in songdo)
    assert purposes[Purpose.ENGINEERING] >= 3 and purposes[Purpose.PPQ] >= 4
    assert purposes[Purpose.CLINICAL] >= 2
    by_reactor: dict[str, list[Purpose]] = {}
    for c in sorted(songdo, key=lambda c: c.start):
        by_reactor.setdefault(c.bioreactor, []).append(c.purpose)
    ramp = [Purpose.ENGINEERING, Purpose.PPQ, Purpose.COMMERCIAL]
    for reactor, seen in by_reactor.items():
        if seen[0] is Purpose.ENGINEERING:
            assert seen[:3] == ramp, reactor  # Engineering → PPQ → Commercial


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
