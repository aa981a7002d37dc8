from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import ProductCode
from scheduler_app.rules.context import Catalogue, reactor_contexts
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.layout import build_lane
from scheduler_app.rules.roster import Roster
from tests.factories import campaign, local, small_schedule

REACTORS = ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]


def _layout(lane: Lane) -> tuple[object, ...]:
    return (
        [c.id for c in lane.campaigns],
        lane.members,
        lane.starts.tolist(),
        lane.ends.tolist(),
        lane.due_ends.tolist(),
        lane.products.tolist(),
        lane.reach.tolist(),
        lane.latest.tolist(),
        lane.whole_seconds,
    )


@given(
    specs=st.lists(
        st.tuples(
            st.sampled_from(REACTORS),
            st.integers(0, 120),  # start day: few values, so ties and disorder are common
            st.sampled_from([0, 0, 0, 7, 30]),  # minutes past midnight
            st.integers(1, 4),
            st.sampled_from(["live", "live", "live", "cancelled", "unknown product"]),
            st.none() | st.integers(0, 200),
        ),
        max_size=40,
    )
)
def test_laying_out_every_lane_at_once_equals_building_each(
    specs: list[tuple[str, int, int, int, str, int | None]],
) -> None:
    s = small_schedule()
    made: list[Campaign] = []
    for n, (reactor, day, minutes, batches, kind, due) in enumerate(specs):
        tz = s.time_zone_of(reactor)
        made.append(
            campaign(
                s,
                f"CMP-{(n * 7919) % 1000:04d}",  # IDs out of insertion order
                bioreactor=reactor,
                start=local(date(2027, 3, 1) + timedelta(days=day), tz)
                + timedelta(minutes=minutes),
                batches=batches,
                status=Status.CANCELLED if kind == "cancelled" else Status.PLANNED,
                due=None if due is None else date(2027, 3, 1) + timedelta(days=due),
            )
        )
        if kind == "unknown product":
            s.put_campaign(replace(made[-1], product=ProductCode("ZZZ-999")))
    contexts = reactor_contexts(s, Catalogue.of(s))
    roster = Roster.of(list(s.campaigns.values()))

    lanes = roster.lay_out(contexts, list(roster.members))

    assert sorted(lanes) == sorted({c.bioreactor for c in s.campaigns.values()})
    for code, lane in lanes.items():
        members = [c for c in s.campaigns.values() if c.bioreactor == code]
        assert lane.members == members
        assert _layout(lane) == _layout(build_lane(contexts[code], members))
