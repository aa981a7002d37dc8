from __future__ import annotations

from scheduler_app.campaigns import Status
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules import maintenance
from scheduler_app.rules.conflict import Severity
from scheduler_app.schedule import Schedule
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def _window(
    s: Schedule, site: str, start: str, end: str, tz: str = "America/New_York", **scope: str
):
    window = MaintenanceWindow(
        SiteCode(site),
        local(start, tz),
        local(end, tz),
        "Annual shutdown",
        suite=SuiteCode(scope["suite"]) if "suite" in scope else None,
        bioreactor=BioreactorCode(scope["bioreactor"]) if "bioreactor" in scope else None,
    )
    s.maintenance.append(window)
    return window


def test_campaign_running_into_a_bioreactor_window() -> None:
    s = small_schedule()
    _window(s, "SYR", "2027-03-10", "2027-03-20", bioreactor="SYR-BR501")
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)  # to 03-15

    [found] = run_rule(s, maintenance)

    assert found.kind == "maintenance"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0001",)
    assert (found.start, found.end) == (local("2027-03-10"), local("2027-03-15"))
    assert found.message == (
        "maintenance: CMP-0001 runs into Annual shutdown (bioreactor SYR-BR501) from 2027-03-10 "
        "to 2027-03-20 (New York) — move it to end by 2027-03-10 or start on or after 2027-03-20"
    )


def test_suite_window_applies_to_the_bioreactors_in_that_suite_only() -> None:
    s = small_schedule()
    _window(s, "SDO", "2027-03-10", "2027-03-20", SEOUL, suite="SDO-S1")
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-01", batches=1)

    assert [c.campaigns for c in run_rule(s, maintenance)] == [("CMP-0002",)]


def test_site_window_applies_to_every_bioreactor_of_the_site() -> None:
    s = small_schedule()
    _window(s, "SDO", "2027-07-01", "2027-07-15", SEOUL)
    campaign(s, "CMP-0001", start="2027-07-01")
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-06-20", batches=1)
    campaign(s, "CMP-0003", product="CDX-110", bioreactor="SDO-SU01", start="2027-07-14")

    found = run_rule(s, maintenance)

    assert sorted(c.campaigns for c in found) == [("CMP-0002",), ("CMP-0003",)]
    assert all("(site SDO)" in c.message for c in found)


def test_touching_a_window_is_not_running_into_it() -> None:
    s = small_schedule()
    _window(s, "SYR", "2027-03-15", "2027-03-20", bioreactor="SYR-BR501")
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)  # ends exactly 03-15
    campaign(s, "CMP-0002", start="2027-03-20", batches=1)  # starts exactly at its end

    assert run_rule(s, maintenance) == []


def test_window_inside_a_long_campaign_is_caught() -> None:
    s = small_schedule()
    _window(s, "SYR", "2027-03-10", "2027-03-12")
    campaign(s, "CMP-0001", start="2027-02-01", batches=4)  # to 2027-04-04
    campaign(s, "CMP-0002", product="CDX-110", start="2027-02-03", batches=1)  # ends 02-15

    [found] = run_rule(s, maintenance)

    assert found.campaigns == ("CMP-0001",)
    assert (found.start, found.end) == (local("2027-03-10"), local("2027-03-12"))


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    _window(s, "SYR", "2027-03-10", "2027-03-20")
    campaign(s, "CMP-0001", start="2027-03-01", status=Status.CANCELLED)

    assert run_rule(s, maintenance) == []
