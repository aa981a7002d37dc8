from __future__ import annotations

from scheduler_app.campaigns import Status
from scheduler_app.rules import overlap
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import check_schedule
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.support import run_rule


def test_overlapping_campaigns_are_reported_with_the_later_one_last() -> None:
    s = small_schedule()
    first = campaign(s, "CMP-0001", start="2027-03-01", batches=2)  # ends 2027-03-31
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-20", batches=1)  # ends 04-01

    [found] = run_rule(s, overlap)

    assert found.kind == "overlap"
    assert found.severity is Severity.ERROR
    assert found.campaigns == ("CMP-0001", "CMP-0002")
    assert found.bioreactor == "SYR-BR501"
    assert found.site == "SYR"
    assert (found.start, found.end) == (local("2027-03-20"), s.campaign_end(first))
    assert found.message == (
        "overlap: CMP-0002 overlaps CMP-0001 (ABX-201) on SYR-BR501 from 2027-03-20 to "
        "2027-03-31 (New York) — move CMP-0002 to start on or after 2027-04-10 or to another "
        "bioreactor"
    )


def test_touching_campaigns_do_not_overlap() -> None:
    s = small_schedule()
    first = campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", start=s.campaign_end(first))

    assert run_rule(s, overlap) == []


def test_cancelled_campaigns_are_ignored() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", status=Status.CANCELLED)
    campaign(s, "CMP-0002", start="2027-03-10")

    assert run_rule(s, overlap) == []


def test_campaigns_on_different_bioreactors_do_not_overlap() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-01")

    assert run_rule(s, overlap) == []


def test_every_overlapping_pair_is_reported_once() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=4)  # to 2027-05-02
    campaign(s, "CMP-0002", start="2027-03-05", batches=1)  # to 03-19
    campaign(s, "CMP-0003", start="2027-03-10", batches=1)  # to 03-24
    campaign(s, "CMP-0004", start="2027-04-20", batches=1)  # inside 0001 only

    pairs = sorted(c.campaigns for c in run_rule(s, overlap))

    assert pairs == [
        ("CMP-0001", "CMP-0002"),
        ("CMP-0001", "CMP-0003"),
        ("CMP-0001", "CMP-0004"),
        ("CMP-0002", "CMP-0003"),
    ]


def test_same_start_puts_the_higher_id_last() -> None:
    s = small_schedule()
    campaign(s, "CMP-0009", start="2027-03-01")
    campaign(s, "CMP-0003", start="2027-03-01", batches=1)

    [found] = run_rule(s, overlap)

    assert found.campaigns == ("CMP-0003", "CMP-0009")


def test_an_overlap_is_not_also_a_changeover_or_turnaround() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01")
    campaign(s, "CMP-0002", product="CDX-110", start="2027-03-20")
    campaign(s, "CMP-0003", start="2027-03-25")

    found = {c.kind for c in check_schedule(s) if c.bioreactor == "SYR-BR501"}

    assert found == {"overlap"}
