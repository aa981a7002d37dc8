from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler_app.errors import NotFoundError
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from tests.factories import campaign, local, small_schedule


def test_lookups_raise_planner_readable_errors() -> None:
    s = small_schedule()
    with pytest.raises(NotFoundError, match="Unknown bioreactor 'SYR-BR999'"):
        s.bioreactor("SYR-BR999")
    with pytest.raises(NotFoundError, match="Unknown campaign"):
        s.campaign("CMP-9999")


def test_site_and_zone_of_a_bioreactor() -> None:
    s = small_schedule()
    assert s.site_of("SDO-SU01").code == "SDO"
    assert s.time_zone_of("SYR-BR501") == "America/New_York"


def test_end_cache_follows_edits_and_moves_across_sites() -> None:
    s = small_schedule()
    c = campaign(s, "CMP-0001", batches=1)
    first = s.campaign_end(c)
    longer = replace(c, batches=2)
    s.put_campaign(longer)
    assert s.campaign_end(longer) > first
    moved = replace(longer, bioreactor=BioreactorCode("SDO-BR1501"))
    s.put_campaign(moved)
    assert s.campaign_end(moved) == moved.end_in("Asia/Seoul")


def test_maintenance_for_covers_bioreactor_suite_and_site_windows() -> None:
    s = small_schedule()
    start, end = local("2027-07-01"), local("2027-07-15")
    site_wide = MaintenanceWindow(SiteCode("SDO"), start, end, "Shutdown")
    suite_wide = MaintenanceWindow(SiteCode("SDO"), start, end, "HVAC", suite=SuiteCode("SDO-S1"))
    own = MaintenanceWindow(
        SiteCode("SDO"), start, end, "PM", bioreactor=BioreactorCode("SDO-BR1501")
    )
    other = MaintenanceWindow(
        SiteCode("SDO"), start, end, "PM", bioreactor=BioreactorCode("SDO-SU01")
    )
    elsewhere = MaintenanceWindow(SiteCode("SYR"), start, end, "Shutdown")
    s.maintenance.extend([site_wide, suite_wide, own, other, elsewhere])
    assert list(s.maintenance_for("SDO-BR1501")) == [site_wide, suite_wide, own]


def test_next_campaign_id_skips_taken_numbers() -> None:
    s = small_schedule()
    campaign(s, "CMP-0041")
    campaign(s, "LEGACY-7", start="2028-01-01")
    assert s.next_campaign_id() == "CMP-0042"
    assert s.next_campaign_id(taken=["CMP-0042"]) == "CMP-0043"


def test_bioreactors_in_order_puts_the_running_site_first_then_groups_by_suite() -> None:
    s = small_schedule()
    assert [b.code for b in s.bioreactors_in_order()] == ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]


def test_copy_is_independent() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001")
    c = s.copy()
    c.remove_campaign(next(iter(c.campaigns)))
    assert len(s.campaigns) == 1 and not c.campaigns


def test_serving_finds_seed_and_downstream_units_by_suite_or_bioreactor() -> None:
    from scheduler_app.equipment import Bioreactor, EquipmentRole
    from scheduler_app.ids import BioreactorCode, SuiteCode

    s = small_schedule()

    def unit(code: str, suite: str, role: EquipmentRole, serves: tuple[str, ...] = ()) -> None:
        s.bioreactors[BioreactorCode(code)] = Bioreactor(
            BioreactorCode(code), SuiteCode(suite), 1000, role=role, serves=serves
        )

    unit("SYR-N1-01", "SYR-S1", EquipmentRole.SEED)  # its own suite
    unit("SDO-N1-01", "SDO-S1", EquipmentRole.SEED, ("SDO-BR1501",))  # one vessel only
    unit("SDO-DSP1", "SDO-S1", EquipmentRole.DOWNSTREAM, ("SDO-S1", "SYR-BR501"))
    assert [b.code for b in s.production_bioreactors()] == ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
    assert [u.code for u in s.serving(EquipmentRole.SEED, "SYR-BR501")] == ["SYR-N1-01"]
    assert [u.code for u in s.serving(EquipmentRole.SEED, "SDO-BR1501")] == ["SDO-N1-01"]
    assert s.serving(EquipmentRole.SEED, "SDO-SU01") == ()
    assert [u.code for u in s.serving(EquipmentRole.DOWNSTREAM, "SYR-BR501")] == ["SDO-DSP1"]
    assert [b.code for b in s.served_by("SDO-DSP1")] == ["SDO-BR1501", "SDO-SU01", "SYR-BR501"]
    assert [b.code for b in s.served_by("SYR-N1-01")] == ["SYR-BR501"]


def test_changeover_days_take_the_matrix_pair_else_the_larger_default() -> None:
    from scheduler_app.ids import ProductCode

    s = small_schedule()
    abx, cdx = ProductCode("ABX-201"), ProductCode("CDX-110")
    assert s.changeover_days(abx, cdx) == 10 == s.changeover_days(cdx, abx)
    s.changeovers[(cdx, abx)] = 3
    assert (s.changeover_days(abx, cdx), s.changeover_days(cdx, abx)) == (10, 3)
    assert s.copy().changeovers == {(cdx, abx): 3}
