"""Hypothesis strategies for small schedules that exercise every rule the engine has."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import strategies as st

from scheduler_app.campaigns import Status
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.localtime import add_local_days
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from tests.factories import campaign, local, small_schedule

REACTORS = ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
PRODUCTS = ["ABX-201", "CDX-110"]
ORIGIN = date(2027, 1, 1)


@st.composite
def busy_schedules(draw: st.DrawFn, most: int = 8) -> Schedule:
    """Up to ``most`` campaigns on three bioreactors of two sites over about four months, with
    statuses (cancelled and locked too), due dates, odd start times, maintenance windows of every
    scope and available-from dates: overlap, changeover, turnaround, maintenance, scale,
    unavailable, qualification and late all occur."""
    schedule = small_schedule()
    if draw(st.booleans()):
        code = BioreactorCode("SYR-BR501")
        schedule.bioreactors[code] = dataclasses.replace(
            schedule.bioreactors[code],
            available_from=ORIGIN + timedelta(days=draw(st.integers(0, 40))),
        )
    for number in range(draw(st.integers(0, most))):
        reactor = draw(st.sampled_from(REACTORS))
        tz_name = schedule.time_zone_of(reactor)
        start = local(ORIGIN + timedelta(days=draw(st.integers(-10, 120))), tz_name)
        if draw(st.integers(0, 5)) == 0:
            start += timedelta(hours=draw(st.integers(1, 23)))
        campaign(
            schedule,
            f"CMP-{number + 1:04d}",
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
