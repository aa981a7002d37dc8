"""Any sequence of planner actions followed by as many undos restores the database and the
in-memory schedule to where they started (versions aside)."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign
from tests.factories import local
from tests.ui.helpers import stored

IDS = ["CMP-0001", "CMP-0002", "CMP-0003", "CMP-0004"]
REACTORS = ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]

actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("move"), st.sampled_from(IDS), st.integers(-60, 60), st.sampled_from(REACTORS)
        ),
        st.tuples(st.just("resize"), st.sampled_from(IDS), st.integers(1, 6)),
        st.tuples(st.just("notes"), st.sampled_from(IDS), st.text(max_size=12)),
        st.tuples(st.just("create"), st.sampled_from(REACTORS), st.integers(0, 400)),
        st.tuples(st.just("delete"), st.sampled_from(IDS)),
    ),
    min_size=1,
    max_size=5,
)


def _content(campaigns: dict[str, Campaign]) -> dict[str, Campaign]:
    return {key: dataclasses.replace(c, version=0) for key, c in campaigns.items()}


def _perform(window, action: tuple) -> None:  # type: ignore[no-untyped-def]
    schedule = window.service.schedule
    kind, *args = action
    if kind == "create":
        reactor, day = args
        start = local("2027-01-01", schedule.time_zone_of(reactor)) + timedelta(days=day)
        made = Campaign(schedule.next_campaign_id(), "ABX-201", reactor, start, 1, 14, 2)
        window.create_campaign(made)
        return
    key = args[0]
    if key not in schedule.campaigns:
        return
    if kind == "move":
        window.move_campaigns(
            [(key, schedule.campaigns[key].start + timedelta(days=args[1]), args[2])]
        )
    elif kind == "resize":
        window.resize_campaign(key, args[1])
    elif kind == "notes":
        window.edit_campaign(dataclasses.replace(schedule.campaigns[key], notes=args[1].strip()))
    elif kind == "delete":
        window.timeline.select([key])
        window.delete_selected()


# The fixture is a factory: each example opens its own database copy and window.
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_every_sequence_of_actions_undoes_to_the_start(open_window, plan_template, steps) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "plan.sqlite"
        shutil.copyfile(plan_template, db)
        window = open_window(db, show=False)
        start = _content(stored(db).campaigns)
        for step in steps:
            _perform(window, step)
        assert window.notifier.messages.count(("error", "Another planner got there first")) == 0
        for _ in range(window.undo_stack.count()):
            window.undo()
        assert _content(stored(db).campaigns) == start
        assert _content(window.service.schedule.campaigns) == start
        window.close()
