"""Hypothesis strategies for small schedules that exercise every rule the engine has."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import strategies as st

from scheduler_app.campaigns import Status
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.localtime import add_local_days
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from tests.factories import campaign, local, small_schedule

REACTORS = ["SYR-BR501", "SYR-BR502", "SDO-BR1501", "SDO-SU01"]
PRODUCTS = ["ABX-201", "CDX-110"]
ORIGIN = date(2027, 1, 1)


@st.composite
def busy_schedules(draw: st.DrawFn, most: int = 8) -> Schedule:
    """Up to ``most`` campaigns on three bioreactors of two sites over about four months, with
    statuses (cancelled and locked too), due dates, odd start times, maintenance windows of every
    scope and available-from dates: overlap, changeover, turnaround, maintenance, scale,
    unavailable, qualification and late all occur."""
    schedule = small_schedule()
    add_process_equipment(schedule, draw)
    if draw(st.booleans()):
        code = BioreactorCode("SYR-BR501")
        schedule.bioreactors[code] = dataclasses.replace(
            schedule.bioreactors[code],
            available_from=ORIGIN + timedelta(days=draw(st.integers(0, 40))),
        )
    ids: list[str] = []
    for number in range(draw(st.integers(0, most))):
        reactor = draw(st.sampled_from(REACTORS))
        tz_name = schedule.time_zone_of(reactor)
        start = local(ORIGIN + timedelta(days=draw(st.integers(-10, 120))), tz_name)
        if draw(st.integers(0, 5)) == 0:
            start += timedelta(hours=draw(st.integers(1, 23)))
        needs = draw(st.sampled_from(ids)) if ids and draw(st.integers(0, 3)) == 0 else None
        ids.append(f"CMP-{number + 1:04d}")
        campaign(
            schedule,
            ids[-1],
            needs=needs,
            lag_days=draw(st.integers(0, 10)) if needs else 0,
            product=draw(st.sampled_from(PRODUCTS)),
            bioreactor=reactor,
            start=start,
            batches=draw(st.integers(1, 3)),
            status=draw(st.sampled_from(list(Status))),
            due=ORIGIN + timedelta(days=draw(st.integers(20, 160)))
            if draw(st.booleans())
            else None,
        )
    for _ in range(draw(st.integers(0, 3))):
        scope = draw(st.sampled_from(["SYR-BR501", "SDO-S1", "SYR", "SDO-SU01"]))
        site = SiteCode("SDO" if scope.startswith("SDO") else "SYR")
        tz_name = "Asia/Seoul" if site == "SDO" else "America/New_York"
        opens = local(ORIGIN + timedelta(days=draw(st.integers(0, 120))), tz_name)
        closes = add_local_days(opens, draw(st.integers(1, 30)), tz_name)
        if draw(st.booleans()):
            opens += timedelta(hours=draw(st.integers(1, 20)))
        schedule.maintenance.append(
            MaintenanceWindow(
                site,
                opens,
                closes,
                "PM",
                suite=SuiteCode(scope) if scope == "SDO-S1" else None,
                bioreactor=BioreactorCode(scope) if "BR" in scope or "SU" in scope else None,
            )
        )
    return schedule


def add_process_equipment(schedule: Schedule, draw: st.DrawFn) -> None:
    """A second 5,000 L vessel in SYR-S1 sharing one N-1 seed bioreactor with SYR-BR501, one
    downstream train for SDO-S1, seed and harvest days on both products: the seed and downstream
    rules bind, across bioreactors."""
    syr_s1, sdo_s1 = SuiteCode("SYR-S1"), SuiteCode("SDO-S1")
    for code, suite, volume, role in (
        ("SYR-BR502", syr_s1, 5000, EquipmentRole.PRODUCTION),
        ("SYR-N1-01", syr_s1, 1000, EquipmentRole.SEED),
        ("SDO-DSP1", sdo_s1, 0, EquipmentRole.DOWNSTREAM),
    ):
        key = BioreactorCode(code)
        schedule.bioreactors[key] = Bioreactor(key, suite, volume, role=role)
    for code in list(schedule.products):
        schedule.products[code] = dataclasses.replace(
            schedule.products[code],
            seed_days=draw(st.integers(0, 6)),
            harvest_days=draw(st.integers(0, 5)),
        )
