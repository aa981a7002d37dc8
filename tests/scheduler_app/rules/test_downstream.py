from __future__ import annotations

from scheduler_app.rules import downstream
from scheduler_app.rules.conflict import Severity
from tests.factories import SEOUL, campaign, local
from tests.scheduler_app.rules.support import process_schedule, run_rule


def test_two_harvests_while_only_one_of_two_trains_is_open() -> None:
    s = process_schedule()  # SDO-DSP-02 opens 2027-03-01; ABX harvests for 5 days
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-02-01", batches=1)  # to 02-15
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-02-03", batches=1)  # to 02-17

    [found] = run_rule(s, downstream)

    assert found.kind == "downstream"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert (found.start, found.end) == (local("2027-02-17", SEOUL), local("2027-02-20", SEOUL))
    assert found.message == (
        "downstream: 2 harvests need the 2 downstream trains serving SDO-S1 (1 available) from "
        "2027-02-17 to 2027-02-20 (Seoul) — move CMP-0002 to start on or after 2027-02-06 or to "
        "a bioreactor served by other downstream trains"
    )


def test_two_trains_take_two_harvests() -> None:
    s = process_schedule()
    campaign(s, "CMP-0001", bioreactor="SDO-BR1501", start="2027-04-01", batches=1)
    campaign(s, "CMP-0002", bioreactor="SDO-SU01", start="2027-04-01", batches=1)

    assert run_rule(s, downstream) == []


def test_harvest_follows_each_batch_not_the_campaign() -> None:
    s = process_schedule()
    # CDX batches of 12 days every 15 days, 6 harvest days: batch 1 harvests 03-13..03-19,
    # batch 2 03-28..04-03; SYR has one train. ABX harvests 5 days after its 14-day batch.
    campaign(s, "CMP-0001", product="CDX-110", start="2027-03-01", batches=2)
    campaign(s, "CMP-0002", bioreactor="SYR-BR501", start="2027-03-05", batches=1)  # 03-19..24

    assert run_rule(s, downstream) == []
    campaign(s, "CMP-0002", bioreactor="SYR-BR501", start="2027-03-01", batches=1)  # 03-15..20

    [found] = run_rule(s, downstream)

    assert (found.start, found.end) == (local("2027-03-15"), local("2027-03-19"))
