from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Status
from scheduler_app.ids import BioreactorCode
from scheduler_app.rules import overlap
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine, check_schedule
from scheduler_app.schedule import Schedule
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.reference import Fact, facts_of, overlap_clusters
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


def test_a_cluster_of_overlapping_campaigns_is_one_conflict_naming_them_all() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=4)  # to 2027-05-02
    campaign(s, "CMP-0002", start="2027-03-05", batches=1)  # to 03-19
    campaign(s, "CMP-0003", start="2027-03-10", batches=1)  # to 03-24
    campaign(s, "CMP-0004", start="2027-04-20", batches=1)  # inside 0001 only, to 05-04

    [found] = run_rule(s, overlap)

    assert found.campaigns == ("CMP-0001", "CMP-0002", "CMP-0003", "CMP-0004")
    # From the second start to the second latest end: while at least two are busy.
    assert (found.start, found.end) == (local("2027-03-05"), local("2027-05-02"))
    assert found.message == (
        "overlap: CMP-0001, CMP-0002, CMP-0003 and CMP-0004 overlap on SYR-BR501 from "
        "2027-03-05 to 2027-05-02 (New York) — keep one there and move the others to other "
        "bioreactors or later starts (SYR-BR501 is busy with them until 2027-05-04)"
    )


def test_a_chain_of_overlaps_is_one_cluster_and_a_gap_starts_another() -> None:
    s = small_schedule()
    campaign(s, "CMP-0001", start="2027-03-01", batches=1)  # to 03-15
    campaign(s, "CMP-0002", start="2027-03-10", batches=1)  # to 03-24: overlaps 0001
    campaign(s, "CMP-0003", start="2027-03-20", batches=1)  # to 04-03: overlaps 0002 only
    campaign(s, "CMP-0004", start="2027-04-03", batches=1)  # touches 0003: no overlap
    campaign(s, "CMP-0005", start="2027-04-10", batches=1)  # overlaps 0004

    found = run_rule(s, overlap)

    assert [c.campaigns for c in found] == [
        ("CMP-0001", "CMP-0002", "CMP-0003"),
        ("CMP-0004", "CMP-0005"),
    ]


def test_a_thousand_rows_pasted_onto_one_date_are_one_readable_conflict() -> None:
    s = small_schedule()
    for number in range(1, 1001):
        campaign(s, f"CMP-{number:04d}", start="2027-03-01", batches=1)

    [found] = check_schedule(s)

    assert found.kind == "overlap"
    assert len(found.campaigns) == 1000
    assert found.campaigns[:2] == ("CMP-0001", "CMP-0002")
    assert found.message == (
        "overlap: 1,000 campaigns overlap on SYR-BR501 from 2027-03-01 to 2027-03-15 "
        "(New York): CMP-0001, CMP-0002, CMP-0003, CMP-0004, CMP-0005 and 995 more — keep one "
        "there and move the others to other bioreactors or later starts (SYR-BR501 is busy "
        "with them until 2027-03-15)"
    )


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


# Dense lanes: up to 40 campaigns of 1-3 batches within ~4 months on one bioreactor, starting at
# odd hours too, so that clusters chain, nest, touch and split.
dense_specs = st.lists(
    st.tuples(st.integers(0, 120), st.sampled_from([0, 0, 0, 7, 13]), st.integers(1, 3)),
    min_size=0,
    max_size=40,
)


def _dense(specs: list[tuple[int, int, int]]) -> Schedule:
    s = small_schedule()
    for number, (day, hour, batches) in enumerate(specs, start=1):
        start = local(date(2027, 3, 1) + timedelta(days=day)) + timedelta(hours=hour)
        campaign(s, f"CMP-{number:04d}", start=start, batches=batches)
    return s


def _reference(s: Schedule) -> Counter[Fact]:
    code = BioreactorCode("SYR-BR501")
    live = sorted(s.campaigns.values(), key=lambda c: (c.start, c.id))
    return overlap_clusters(live, {c.id: c.end_in(s.time_zone_of(code)) for c in live}, code)


@given(specs=dense_specs)
def test_clusters_are_the_connected_components_of_the_overlap_graph(
    specs: list[tuple[int, int, int]],
) -> None:
    s = _dense(specs)

    assert facts_of(run_rule(s, overlap)) == _reference(s)


@given(
    specs=dense_specs,
    moves=st.lists(st.tuples(st.integers(0, 99), st.integers(-30, 30)), max_size=8),
)
def test_incremental_check_of_clusters_equals_a_full_check_after_moves(
    specs: list[tuple[int, int, int]], moves: list[tuple[int, int]]
) -> None:
    s = _dense(specs)
    engine = ConflictEngine(s)
    engine.check_all()
    for pick, delta in moves:
        if not s.campaigns:
            break
        old = s.campaigns[sorted(s.campaigns)[pick % len(s.campaigns)]]
        s.put_campaign(replace(old, start=old.start + timedelta(days=delta)))
        assert engine.update({old.bioreactor}) == check_schedule(s)
    assert facts_of([c for c in engine.conflicts if c.kind == "overlap"]) == _reference(s)
