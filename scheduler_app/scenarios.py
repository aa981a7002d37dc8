"""Scenarios: named what-if copies of Live's campaigns and maintenance windows (master data is
shared). A ``ScheduleService(store, scenario=NAME)`` edits one; this module makes, lists,
deletes and compares them, and promotes one to Live.
"""

from __future__ import annotations

from scheduler_app.change_set import Source
from scheduler_app.plan_diff import PlanDiff, diff_plans
from scheduler_app.storage import Store
from scheduler_app.storage import scenario_rows as rows
from scheduler_app.storage.scenario_rows import ScenarioInfo, check_name

__all__ = [
    "ScenarioInfo",
    "check_name",
    "create_scenario",
    "delete_scenario",
    "diff_scenario",
    "list_scenarios",
]


def create_scenario(
    store: Store,
    name: str,
    *,
    user: str,
    source: Source | str = Source.APP,
    description: str = "",
) -> ScenarioInfo:
    """Copy Live as it is now into a new scenario called ``name`` (audited)."""
    return rows.create(store, name, user=user, source=str(Source(source)), description=description)


def delete_scenario(
    store: Store, name: str, *, user: str, source: Source | str = Source.APP
) -> None:
    """Delete the scenario ``name`` and its campaigns and windows (audited); Live is untouched."""
    rows.remove(store, name, user=user, source=str(Source(source)))


def list_scenarios(store: Store) -> list[ScenarioInfo]:
    return rows.listing(store)


def diff_scenario(store: Store, name: str) -> PlanDiff:
    """What the scenario ``name`` changes compared with Live as it is now."""
    live = store.load()
    scenario = store.load(name)
    return diff_plans(live, scenario)
