from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from scheduler_app.campaigns import Status
from scheduler_app.ids import CampaignId, ProductCode, SiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine, check_schedule
from scheduler_app.rules.findings import sort_key
from scheduler_app.schedule import Schedule
from scheduler_app.synthetic import synthetic_schedule
from tests.factories import SEOUL, campaign, local, small_schedule


def _busy() -> Schedule:
    """One conflict of each kind."""
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")  # ABX to 03-31
    campaign(s, "CMP-0002", start="2027-03-25", batches=1)  # overlap
    campaign(s, "CMP-0003", product="CDX-110", start="2027-04-12", batches=1)  # changeover
    campaign(s, "CMP-0004", product="CDX-110", start="2027-04-25", batches=1)  # turnaround
    campaign(s, "CMP-0005", bioreactor="SDO-SU01", start="2026-12-01", batches=1)  # scale, unav.
    campaign(
        s,
        "CMP-0006",
        product="CDX-110",
        bioreactor="SDO-SU01",
        start="2027-02-01",
        batches=1,
        due=date(2027, 2, 5),
    )  # qualification, late
    s.maintenance.append(
        MaintenanceWindow(
            SiteCode("SDO"), local("2027-02-10", SEOUL), local("2027-02-20", SEOUL), "PM"
        )
    )
    return s


def test_every_kind_is_found_and_sorted_by_start_bioreactor_kind() -> None:
    found = check_schedule(_busy())

    assert {c.kind for c in found} == {
        "overlap",
        "changeover",
        "turnaround",
        "maintenance",
        "scale",
        "unavailable",
        "qualification",
        "late",
    }
    keys = [(c.start, c.bioreactor, c.kind) for c in found]
    assert keys == sorted(keys)


def test_rules_that_key_conflicts_from_epoch_seconds_key_them_like_sort_key() -> None:
    s = synthetic_schedule(1500, 12, seed=4)
    engine = ConflictEngine(s)

    found = engine.check_all()

    assert {c.kind for c in found} >= {"changeover", "turnaround", "late"}
    assert engine._keys == [sort_key(c) for c in found]


def test_counts_by_severity() -> None:
    engine = ConflictEngine(_busy())
    found = engine.check_all()

    assert engine.counts() == {
        "error": sum(c.severity is Severity.ERROR for c in found),
        "warning": sum(c.severity is Severity.WARNING for c in found),
    }
    assert engine.counts()["warning"] == 3  # turnaround, qualification, late


def test_conflicts_for_one_campaign() -> None:
    engine = ConflictEngine(_busy())
    engine.check_all()

    # CMP-0002 overlaps CMP-0001 and, ending last, is what CMP-0003 must change over from.
    assert [c.kind for c in engine.conflicts_for("CMP-0002")] == ["overlap", "changeover"]
    assert {c.kind for c in engine.conflicts_for("CMP-0006")} == {
        "qualification",
        "maintenance",
        "late",
    }
    assert engine.conflicts_for("CMP-9999") == []


def test_update_after_a_move_equals_a_full_check() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    moved = replace(
        s.campaigns[CampaignId("CMP-0002")],
        bioreactor="SDO-BR1501",
        start=local("2027-03-25", SEOUL),
    )
    s.put_campaign(moved)

    answer = engine.update(["SYR-BR501", "SDO-BR1501"])

    assert answer == engine.conflicts == check_schedule(s)
    assert "overlap" not in {c.kind for c in answer}


def test_update_sees_added_deleted_and_cancelled_campaigns() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()

    campaign(s, "CMP-0100", bioreactor="SDO-BR1501", start="2026-06-01", batches=1)
    assert engine.update(["SDO-BR1501"]) == check_schedule(s)
    s.remove_campaign(CampaignId("CMP-0001"))
    assert engine.update(["SYR-BR501"]) == check_schedule(s)
    s.put_campaign(replace(s.campaigns[CampaignId("CMP-0003")], status=Status.CANCELLED))
    assert engine.update(["SYR-BR501"]) == check_schedule(s)
    s.put_campaign(replace(s.campaigns[CampaignId("CMP-0003")], status=Status.PLANNED))
    assert engine.update(["SYR-BR501"]) == check_schedule(s)


def test_update_follows_campaigns_that_arrive_move_and_go_on_one_bioreactor() -> None:
    # An update compares a bioreactor's members with the schedule through the IDs it kept from the
    # last one: a campaign that came (added, or moved in from elsewhere) must be among them, and
    # one that went must not, or its next move, or a campaign then put in its place, goes unseen.
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    added = campaign(s, "CMP-0100", bioreactor="SDO-BR1501", start="2026-06-01", batches=1)
    assert engine.update(["SDO-BR1501"]) == check_schedule(s)
    s.put_campaign(replace(added, start=added.start + timedelta(days=3)))
    assert engine.update(["SDO-BR1501"]) == check_schedule(s)
    came = replace(s.campaigns[CampaignId("CMP-0002")], bioreactor="SDO-BR1501")
    s.put_campaign(came)
    assert engine.update(["SYR-BR501", "SDO-BR1501"]) == check_schedule(s)
    s.put_campaign(replace(came, start=came.start + timedelta(days=40)))
    assert engine.update(["SDO-BR1501"]) == check_schedule(s)
    s.remove_campaign(CampaignId("CMP-0100"))
    assert engine.update(["SDO-BR1501"]) == check_schedule(s)
    campaign(s, "CMP-0100", bioreactor="SYR-BR501", start="2027-03-20", batches=1)
    assert engine.update(["SYR-BR501", "SDO-BR1501"]) == check_schedule(s)
    s.put_campaign(replace(s.campaigns[CampaignId("CMP-0100")], start=local("2027-03-02")))
    assert engine.update(["SYR-BR501"]) == engine.conflicts == check_schedule(s)
    # Nothing changed on a bioreactor that is named: its conflicts stay.
    assert engine.update(["SYR-BR501", "SDO-BR1501"]) == check_schedule(s)


def test_an_update_that_deletes_and_adds_at_once_stays_incremental() -> None:
    # The IDs an update compares additions against are worked out from the lanes when first
    # needed, less the campaigns this very update found deleted: else the deleted one would count
    # as known and the update would give up and check everything (no changed campaigns then).
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    s.remove_campaign(CampaignId("CMP-0003"))
    campaign(s, "CMP-0100", start="2027-04-12", batches=1)

    assert engine.update(["SYR-BR501"]) == check_schedule(s)
    assert engine.changed_campaigns() is not None
    campaign(s, "CMP-0101", bioreactor="SDO-BR1501", start="2026-06-01", batches=1)
    s.remove_campaign(CampaignId("CMP-0100"))
    assert engine.update(["SYR-BR501", "SDO-BR1501"]) == check_schedule(s)
    assert engine.changed_campaigns() is not None


def test_update_recovers_when_master_data_changed() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    code = ProductCode("CDX-110")
    s.products[code] = replace(s.products[code], qualified_sites=(SiteCode("SYR"), SiteCode("SDO")))

    assert "qualification" not in {c.kind for c in engine.update([])}


def test_full_check_recomputes_from_the_schedule() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    before = engine.check_all()
    s.remove_campaign(CampaignId("CMP-0002"))  # no update: the full check must still see it

    after = engine.check_all()

    assert after != before
    assert after == check_schedule(s)
    assert all("CMP-0002" not in c.campaigns for c in after)


def test_preview_changes_nothing_and_matches_the_applied_move() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    before = engine.check_all()
    original = s.campaigns[CampaignId("CMP-0004")]
    moved = replace(original, start=original.start - timedelta(days=3))

    preview = engine.preview([moved])

    assert engine.conflicts == before
    assert s.campaigns[moved.id] is original
    s.put_campaign(moved)
    engine.update([moved.bioreactor])
    assert preview == engine.conflicts_for(moved.id)
    assert {c.kind for c in preview} == {"overlap"}


def test_preview_across_sites() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    moved = replace(
        s.campaigns[CampaignId("CMP-0003")], bioreactor="SDO-SU01", start=local("2027-02-05", SEOUL)
    )

    preview = engine.preview([moved])

    assert {c.kind for c in preview} == {"qualification", "overlap", "maintenance"}
    assert all(moved.id in c.campaigns for c in preview)


def test_update_after_new_maintenance_window_rechecks_everything() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    s.maintenance.append(
        MaintenanceWindow(SiteCode("SYR"), local("2027-03-05"), local("2027-03-06"), "PM")
    )

    answer = engine.update([])

    assert answer == check_schedule(s)
    assert any(c.kind == "maintenance" and c.site == "SYR" for c in answer)


def test_preview_of_several_campaigns_dragged_together() -> None:
    s = _busy()
    engine = ConflictEngine(s)
    engine.check_all()
    first, second = s.campaigns[CampaignId("CMP-0003")], s.campaigns[CampaignId("CMP-0004")]
    moved = [
        replace(first, start=first.start + timedelta(days=2)),
        replace(second, bioreactor="SDO-SU01", start=local("2027-02-05", SEOUL)),
    ]

    preview = engine.preview(moved)

    for made in moved:
        s.put_campaign(made)
    engine.update({"SYR-BR501", "SDO-SU01"})
    applied = {c for m in moved for c in engine.conflicts_for(m.id)}
    assert set(preview) == applied
    assert len(preview) == len(applied)
