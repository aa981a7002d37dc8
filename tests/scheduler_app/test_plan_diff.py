"""``diff_plans`` equals a brute-force comparison of two plans, on hypothesis-made pairs."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.plan_diff import conflict_key, diff_plans
from scheduler_app.rules.engine import check_schedule
from scheduler_app.schedule import Schedule
from tests.factories import campaign, small_schedule


def base_plan() -> Schedule:
    s = small_schedule()
    for index in range(8):
        campaign(s, f"CMP-{index:04d}", start=f"2027-0{1 + index % 9}-0{1 + index % 7}", batches=1)
    return s


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["move", "batches", "status", "notes", "reactor", "delete", "add", "keep"]),
        st.integers(0, 11),
        st.integers(-40, 40),
    ),
    max_size=12,
)


def edited(plan: Schedule, edits: list[tuple[str, int, int]]) -> Schedule:
    out = plan.copy()
    for kind, index, amount in edits:
        key = CampaignId(f"CMP-{index:04d}")
        current = out.campaigns.get(key)
        if kind == "add" and current is None:
            campaign(out, key, start="2028-02-01", batches=1 + abs(amount) % 3)
            continue
        if current is None:
            continue
        if kind == "delete":
            out.remove_campaign(key)
            continue
        changes: dict[str, object] = {}
        if kind == "move":
            changes["start"] = current.start + timedelta(days=amount)
        elif kind == "batches":
            changes["batches"] = 1 + abs(amount) % 4
        elif kind == "status":
            changes["status"] = list(Status)[abs(amount) % len(Status)]
        elif kind == "notes":
            changes["notes"] = f"note {amount}"
        elif kind == "reactor":
            changes["bioreactor"] = BioreactorCode(["SYR-BR501", "SDO-BR1501"][amount % 2])
        # A version bump alone is not a difference a planner made.
        changes["version"] = current.version + (amount % 2)
        out.put_campaign(dataclasses.replace(current, **changes))
    return out


def brute_force(first: Schedule, second: Schedule):
    added, removed, changed = [], [], {}
    for key in sorted(set(first.campaigns) | set(second.campaigns)):
        a, b = first.campaigns.get(key), second.campaigns.get(key)
        if a is None:
            added.append(key)
        elif b is None:
            removed.append(key)
        else:
            fields = {
                f.name: (getattr(a, f.name), getattr(b, f.name))
                for f in dataclasses.fields(Campaign)
                if f.name != "version" and getattr(a, f.name) != getattr(b, f.name)
            }
            if fields:
                changed[key] = fields
    first_keys = [conflict_key(c) for c in check_schedule(first)]
    second_keys = [conflict_key(c) for c in check_schedule(second)]
    gained = [k for k in second_keys if k not in first_keys]
    resolved = [k for k in first_keys if k not in second_keys]
    return added, removed, changed, gained, resolved


@given(EDITS, EDITS)
def test_diff_equals_brute_force(left: list, right: list) -> None:
    plan = base_plan()
    first, second = edited(plan, left), edited(plan, right)
    diff = diff_plans(first, second)
    added, removed, changed, gained, resolved = brute_force(first, second)
    assert [c.id for c in diff.added] == added
    assert [c.id for c in diff.removed] == removed
    assert {item.campaign_id: item.fields for item in diff.changed} == changed
    assert [conflict_key(c) for c in diff.gained] == gained
    assert [conflict_key(c) for c in diff.resolved] == resolved
    back = diff_plans(second, first)
    assert [c.id for c in back.added] == removed and [c.id for c in back.removed] == added
