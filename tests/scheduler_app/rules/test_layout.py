from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.rules.context import Catalogue, reactor_contexts
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.layout import build_lane, patch_lane
from scheduler_app.rules.spans import lane_spans, lane_spans_cached
from tests.factories import campaign, local, small_schedule
from tests.scheduler_app.rules.support import process_schedule

ROLES = (EquipmentRole.SEED, EquipmentRole.DOWNSTREAM)


def _layout(lane: Lane) -> tuple[object, ...]:
    return (
        [c.id for c in lane.campaigns],
        lane.starts.tolist(),
        lane.ends.tolist(),
        lane.due_ends.tolist(),
        lane.products.tolist(),
        lane.reach.tolist(),
        lane.latest.tolist(),
        lane.whole_seconds,
    )


def test_lane_is_sorted_by_start_then_id_and_skips_cancelled() -> None:
    s = small_schedule()
    members = [
        campaign(s, "CMP-0003", start="2027-03-01"),
        campaign(s, "CMP-0001", start="2027-03-01"),
        campaign(s, "CMP-0002", start="2027-02-01", status=Status.CANCELLED),
        campaign(s, "CMP-0004", product="CDX-110", start="2027-01-01", batches=1),
    ]
    catalogue = Catalogue.of(s)
    context = reactor_contexts(s, catalogue)["SYR-BR501"]

    lane = build_lane(context, members)

    assert [c.id for c in lane.campaigns] == ["CMP-0004", "CMP-0001", "CMP-0003"]
    assert lane.reach.tolist() == np.maximum.accumulate(lane.ends).tolist()
    assert lane.latest.tolist() == [0, 1, 2]  # ties on the latest end go to the later row


@given(
    days=st.lists(st.integers(0, 200), min_size=1, max_size=12),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["drop", "shift", "cancel", "add"]),
            st.integers(0, 99),
            st.integers(-20, 20),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_patching_a_lane_equals_building_it(
    days: list[int], edits: list[tuple[str, int, int]]
) -> None:
    s = small_schedule()
    members: list[Campaign] = [
        campaign(s, f"CMP-{n:04d}", start="2027-01-01", batches=1) for n in range(len(days))
    ]
    members = [
        replace(c, start=c.start + timedelta(days=d)) for c, d in zip(members, days, strict=True)
    ]
    context = reactor_contexts(s, Catalogue.of(s))["SYR-BR501"]
    old = build_lane(context, members)
    new, left, came = list(members), [], []
    for what, pick, delta in edits:
        if what == "add":
            made = replace(
                members[0],
                id=f"CMP-9{len(came):03d}",
                start=members[0].start + timedelta(days=delta),
            )
            new.append(made)
            came.append(made)
            continue
        if not new:
            continue
        at = pick % len(new)
        gone = new.pop(at)
        if any(made is gone for made in came):
            came = [made for made in came if made is not gone]
        else:
            left.append(gone)
        if what == "shift":
            made = replace(gone, start=gone.start + timedelta(days=delta))
        elif what == "cancel":
            made = replace(gone, status=Status.CANCELLED)
        else:
            continue
        new.insert(at, made)
        came.append(made)

    patched = patch_lane(old, new, left, came, most=99)

    assert patched is not None
    assert _layout(patched) == _layout(build_lane(context, new))


@given(
    days=st.lists(st.integers(0, 400), min_size=1, max_size=10),
    products=st.lists(st.sampled_from(["ABX-201", "CDX-110"]), min_size=10, max_size=10),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["drop", "shift", "cancel", "add"]),
            st.integers(0, 99),
            st.integers(-60, 60),
            st.sampled_from([0, 0, 250_000]),  # some starts off whole seconds
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_a_patched_lane_carries_the_spans_a_built_one_works_out(
    days: list[int], products: list[str], edits: list[tuple[str, int, int, int]]
) -> None:
    # The seed and harvest spans a patched lane takes over from the old one (working out only the
    # campaigns that came) are the very arrays the lane itself would work out, across clock
    # changes (New York) and for starts off whole seconds.
    s = process_schedule()
    members: list[Campaign] = [
        campaign(s, f"CMP-{n:04d}", product=products[n], start="2027-01-01", batches=1 + n % 3)
        for n in range(len(days))
    ]
    members = [
        replace(c, start=c.start + timedelta(days=d)) for c, d in zip(members, days, strict=True)
    ]
    context = reactor_contexts(s, Catalogue.of(s))["SYR-BR501"]
    old = build_lane(context, members)
    for role in ROLES:
        lane_spans_cached(old, role)
    new, left, came = list(members), [], []
    for what, pick, delta, micro in edits:
        if what == "add":
            made = replace(
                members[pick % len(members)],
                id=f"CMP-9{len(came):03d}",
                start=members[0].start + timedelta(days=delta, microseconds=micro),
            )
            new.append(made)
            came.append(made)
            continue
        if not new:
            continue
        at = pick % len(new)
        gone = new.pop(at)
        if any(made is gone for made in came):
            came = [made for made in came if made is not gone]
        else:
            left.append(gone)
        if what == "shift":
            made = replace(gone, start=gone.start + timedelta(days=delta, microseconds=micro))
        elif what == "cancel":
            made = replace(gone, status=Status.CANCELLED)
        else:
            continue
        new.insert(at, made)
        came.append(made)

    patched = patch_lane(old, new, left, came, most=99)

    assert patched is not None
    built = build_lane(context, new)
    for role in ROLES:
        carried, worked_out = patched.spans[role], lane_spans(built, role)
        assert carried.starts.tolist() == worked_out.starts.tolist()
        assert carried.ends.tolist() == worked_out.ends.tolist()
        assert carried.rows.tolist() == worked_out.rows.tolist()


@settings(max_examples=400)
@given(
    gaps=st.lists(st.integers(-12, 16) | st.integers(-150, 0), min_size=1, max_size=14),
    lengths=st.lists(st.integers(1, 3) | st.integers(4, 8), min_size=14, max_size=14),
    products=st.lists(st.sampled_from(["ABX-201", "CDX-110"]), min_size=14, max_size=14),
    what=st.sampled_from(["shift", "drop", "add", "cancel", "onto", "product"]),
    pick=st.integers(0, 99),
    other=st.integers(0, 99),
    delta=st.integers(-40, 40),
    micro=st.sampled_from([0, 0, 0, 1, 250_000]),
)
def test_a_patched_lane_carries_the_short_gaps_a_built_one_finds(
    gaps: list[int],
    lengths: list[int],
    products: list[str],
    what: str,
    pick: int,
    other: int,
    delta: int,
    micro: int,
) -> None:
    # The short gaps (and the count of campaigns starting inside another) a lane patched by one
    # campaign out and one in takes over from the old lane, deciding again only the rows the
    # edit can reach, are the ones the built lane finds: campaigns one after another with gaps
    # short and long, overlaps, long campaigns holding later ones, equal starts and ends, a clock
    # change (New York, March) and starts off whole seconds.
    s = small_schedule()
    members: list[Campaign] = []
    start = local("2027-01-20")
    for n, gap in enumerate(gaps):
        made = campaign(s, f"CMP-{n:04d}", product=products[n], start=start, batches=lengths[n])
        members.append(made)
        start = made.start + timedelta(days=made.duration_days + gap)
    context = reactor_contexts(s, Catalogue.of(s))["SYR-BR501"]
    old = build_lane(context, members)
    old.neighbours()
    at = pick % len(members)
    gone = members[at]
    new, left, came = list(members), [gone], []
    if what == "add":
        made = replace(
            gone, id="CMP-9000", start=gone.start + timedelta(days=delta, microseconds=micro)
        )
        new.append(made)
        left, came = [], [made]
    elif what == "drop":
        del new[at]
    elif what == "product":
        # The same dates, another product: a campaign that may still reach furthest.
        made = replace(gone, product="CDX-110" if gone.product == "ABX-201" else "ABX-201")
        new[at] = made
        came = [made]
    elif what == "onto":
        # Onto another campaign's start, or its end: equal starts, and equal ends for equal
        # lengths, where the latest end so far is reached by two campaigns at once.
        there = members[other % len(members)]
        moved = there.start if delta % 2 else there.start + timedelta(days=there.duration_days)
        made = replace(gone, start=moved - timedelta(days=gone.duration_days * (delta % 3 == 0)))
        new[at] = made
        came = [made]
    else:
        made = (
            replace(gone, start=gone.start + timedelta(days=delta, microseconds=micro))
            if what == "shift"
            else replace(gone, status=Status.CANCELLED)
        )
        new[at] = made
        came = [made]

    patched = patch_lane(old, new, left, came)

    assert patched is not None
    assert patched.known_neighbours() is not None  # taken over, not worked out again
    assert patched.neighbours() == build_lane(context, new).neighbours()
