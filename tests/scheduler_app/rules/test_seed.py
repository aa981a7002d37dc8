from __future__ import annotations

from dataclasses import replace

from scheduler_app.ids import BioreactorCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules import seed
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import process_schedule, run_rule


def test_two_batches_seeded_at_once_from_one_seed_bioreactor() -> None:
    s = process_schedule()  # SDO-N1-01 seeds both SDO-S1 bioreactors; ABX needs 4 seed days
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-03", batches=1)

    [found] = run_rule(s, seed)

    assert found.kind == "seed"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert found.bioreactor == "SDO-SU01"
    assert (found.start, found.end) == (local("2027-02-27", SEOUL), local("2027-03-01", SEOUL))
    assert found.message == (
        "seed: 2 batches need the 1 seed bioreactor serving SDO-S1 from 2027-02-27 to "
        "2027-03-01 (Seoul) — move CMP-0002 to start on or after 2027-03-05 or to a bioreactor "
        "served by other seed bioreactors"
    )


def test_following_the_advice_clears_it() -> None:
    s = process_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-05", batches=1)

    assert run_rule(s, seed) == []


def test_every_batch_of_a_campaign_needs_seeding() -> None:
    s = process_schedule()
    # ABX batches every 16 days: the second batch of CMP-0001 starts 2027-03-17.
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=2)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-15", batches=1)

    [found] = run_rule(s, seed)

    assert (found.start, found.end) == (local("2027-03-13", SEOUL), local("2027-03-15", SEOUL))


def test_seed_bioreactor_maintenance_takes_it_away() -> None:
    s = process_schedule()
    s.maintenance.append(
        MaintenanceWindow(
            SiteCode("SDO"),
            local("2027-02-20", SEOUL),
            local("2027-02-27", SEOUL),
            "N-1 requalification",
            bioreactor=BioreactorCode("SDO-N1-01"),
        )
    )
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)

    [found] = run_rule(s, seed)

    assert (found.start, found.end) == (local("2027-02-25", SEOUL), local("2027-02-27", SEOUL))
    assert "1 batch needs the 1 seed bioreactor serving SDO-S1 (0 available)" in found.message


def test_a_seed_bioreactor_serving_one_production_bioreactor_only() -> None:
    s = process_schedule()
    unit = BioreactorCode("SDO-N1-01")
    s.bioreactors[unit] = replace(s.bioreactors[unit], serves=("SDO-BR1501",))
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-03", batches=1)

    assert run_rule(s, seed) == []


def test_no_seed_equipment_no_seed_rule() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-03-01", batches=1)

    assert run_rule(s, seed) == []


def test_moving_one_campaign_rechecks_the_other_bioreactor() -> None:
    s = process_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    later = campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-04-01", batches=1)
    engine = ConflictEngine(s)
    assert not [c for c in engine.check_all() if c.kind == "seed"]

    s.put_campaign(replace(later, start=local("2027-03-03", SEOUL)))
    found = [c for c in engine.update({"SDO-SU01"}) if c.kind == "seed"]

    assert [c.campaigns for c in found] == [("CMP-0001", "CMP-0002")]
    assert [c.kind for c in engine.conflicts_for("CMP-0001")].count("seed") == 1


def test_next_start_jumps_past_the_busy_seed_bioreactor() -> None:
    s = process_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)
    moving = campaign(
        s, "CMP-0002", product="CDX-110", bioreactor="SDO-SU01", start="2027-03-20", batches=1
    )
    engine = ConflictEngine(s)
    engine.check_all()

    bound = engine.next_start_after(replace(moving, start=local("2027-02-27", SEOUL)))

    # CMP-0001 holds the only seed bioreactor from 02-25 to 03-01; CDX-110 needs it 3 days
    # before its start, so CMP-0002 cannot start before 03-04 (the bound keeps two hours' slack).
    assert bound is not None
    assert local("2027-03-03", SEOUL) < bound <= local("2027-03-04", SEOUL)
    fits = replace(moving, start=local("2027-03-04", SEOUL))
    assert engine.next_start_after(fits) == fits.start
    assert all(c.severity is Severity.WARNING for c in engine.preview([fits]))
