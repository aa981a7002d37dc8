"""The demo's plants: Syracuse as it runs today and Songdo Plant 1 as it starts up in 2027, with
their suites, production bioreactors, the N-1 seed bioreactors and downstream trains they share,
and the maintenance calendar (annual shutdowns, a suite requalification, bioreactor PM)."""

from __future__ import annotations

from datetime import date

from scheduler_app.equipment import Bioreactor, EquipmentRole, ReactorType
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.localtime import start_of_local_date
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite

NEW_YORK = "America/New_York"
SEOUL = "Asia/Seoul"
SONGDO_START = date(2027, 1, 1)
SONGDO_SUITE_2_START = date(2027, 7, 1)

_SUITES = [
    ("SYR-S1", "SYR", "Suite 1 (5,000 L)"),
    ("SYR-S2", "SYR", "Suite 2 (5,000 L)"),
    ("SYR-ADC", "SYR", "ADC conjugation suite"),
    ("SDO-S1", "SDO", "Plant 1 Suite 1 (15,000 L)"),
    ("SDO-S2", "SDO", "Plant 1 Suite 2 (15,000 L)"),
    ("SDO-SU", "SDO", "Plant 1 single-use suite (2,000 L)"),
]

# (site, suite, bioreactor, local start, local end, reason); no suite = the whole site.
_WINDOWS = [
    ("SYR", None, None, date(2026, 7, 6), date(2026, 7, 24), "Annual shutdown"),
    ("SYR", None, None, date(2027, 8, 16), date(2027, 9, 3), "Annual shutdown"),
    ("SYR", None, None, date(2028, 10, 9), date(2028, 10, 27), "Annual shutdown"),
    ("SYR", "SYR-S2", None, date(2027, 3, 1), date(2027, 3, 12), "HVAC requalification"),
    ("SYR", "SYR-S1", "SYR-BR501", date(2028, 4, 3), date(2028, 4, 10), "Load-cell PM"),
    ("SDO", None, None, date(2028, 2, 7), date(2028, 2, 25), "Annual shutdown"),
    ("SDO", "SDO-S1", "SDO-BR1503", date(2027, 10, 4), date(2027, 10, 11), "Agitator seal PM"),
]


def _bioreactors() -> list[Bioreactor]:
    stainless, single_use = ReactorType.STAINLESS, ReactorType.SINGLE_USE
    out = [
        Bioreactor(
            BioreactorCode(f"SYR-BR{n}"),
            SuiteCode("SYR-S1" if n <= 504 else "SYR-S2"),
            5000,
            stainless,
        )
        for n in range(501, 508)
    ]
    out.append(Bioreactor(BioreactorCode("SYR-ADC01"), SuiteCode("SYR-ADC"), 1000, stainless))
    for n in range(1501, 1509):
        suite_2 = n >= 1505
        out.append(
            Bioreactor(
                BioreactorCode(f"SDO-BR{n}"),
                SuiteCode("SDO-S2" if suite_2 else "SDO-S1"),
                15000,
                stainless,
                SONGDO_SUITE_2_START if suite_2 else None,
            )
        )
    for n in range(1, 5):
        out.append(
            Bioreactor(
                BioreactorCode(f"SDO-SU{n:02d}"),
                SuiteCode("SDO-SU"),
                2000,
                single_use,
                date(2027, 4, 1) if n >= 3 else None,
            )
        )
    return out


_SONGDO = ("SDO-S1", "SDO-S2", "SDO-SU")
# (code, suite, litres, type, role, serves): one 1,000 L seed per two or three 5,000 L vessels,
# 3,000 L seeds for the 15,000 L ones, 500 L single-use seeds for the 2,000 L suite; two
# purification trains at Syracuse and three at Songdo Plant 1, shared across suites.
_SHARED = [
    ("SYR-N1-01", "SYR-S1", 1000, "Stainless", "Seed", ()),
    ("SYR-N1-02", "SYR-S1", 1000, "Stainless", "Seed", ()),
    ("SYR-N1-03", "SYR-S2", 1000, "Stainless", "Seed", ()),
    ("SYR-N1-04", "SYR-S2", 1000, "Stainless", "Seed", ()),
    ("SYR-DSP1", "SYR-S1", 5000, "Stainless", "Downstream", ("SYR-S1", "SYR-S2")),
    ("SYR-DSP2", "SYR-S2", 5000, "Stainless", "Downstream", ("SYR-S1", "SYR-S2")),
    ("SDO-N1-01", "SDO-S1", 3000, "Stainless", "Seed", ()),
    ("SDO-N1-02", "SDO-S1", 3000, "Stainless", "Seed", ()),
    ("SDO-N1-03", "SDO-S2", 3000, "Stainless", "Seed", ()),
    ("SDO-N1-04", "SDO-S2", 3000, "Stainless", "Seed", ()),
    ("SDO-N1-SU1", "SDO-SU", 500, "Single-use", "Seed", ()),
    ("SDO-N1-SU2", "SDO-SU", 500, "Single-use", "Seed", ()),
    ("SDO-DSP1", "SDO-S1", 15000, "Stainless", "Downstream", _SONGDO),
    ("SDO-DSP2", "SDO-S2", 15000, "Stainless", "Downstream", _SONGDO),
    ("SDO-DSP3", "SDO-SU", 15000, "Stainless", "Downstream", _SONGDO),
]


def _shared_units() -> list[Bioreactor]:
    return [
        Bioreactor(
            BioreactorCode(code),
            SuiteCode(suite),
            litres,
            ReactorType(kind),
            None,
            EquipmentRole(role),
            serves,
        )
        for code, suite, litres, kind, role, serves in _SHARED
    ]


def demo_plants() -> Schedule:
    """A schedule holding the sites, suites, bioreactors and maintenance; no products or
    campaigns yet."""
    schedule = Schedule()
    for site in (
        Site(SiteCode("SYR"), "Syracuse Bio Campus", NEW_YORK),
        Site(SiteCode("SDO"), "Songdo Bio Campus Plant 1", SEOUL, SONGDO_START),
    ):
        schedule.sites[site.code] = site
    for code, site_code, name in _SUITES:
        schedule.suites[SuiteCode(code)] = Suite(SuiteCode(code), SiteCode(site_code), name)
    for reactor in [*_bioreactors(), *_shared_units()]:
        schedule.bioreactors[reactor.code] = reactor
    for site_code, suite, reactor_code, first, last, reason in _WINDOWS:
        tz_name = schedule.sites[SiteCode(site_code)].time_zone
        schedule.maintenance.append(
            MaintenanceWindow(
                SiteCode(site_code),
                start_of_local_date(first, tz_name),
                start_of_local_date(last, tz_name),
                reason,
                SuiteCode(suite) if suite else None,
                BioreactorCode(reactor_code) if reactor_code else None,
            )
        )
    return schedule
