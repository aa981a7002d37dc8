"""Helpers for the rule tests: run one rule, or the whole engine, over a small schedule."""

from __future__ import annotations

from types import ModuleType

from scheduler_app.rules.conflict import Conflict
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule


def run_rule(schedule: Schedule, rule: ModuleType) -> list[Conflict]:
    """The conflicts one rule module finds, through the engine as the app runs it."""
    return ConflictEngine(schedule, rules=[rule.RULE]).check_all()


def kinds(conflicts: list[Conflict]) -> list[str]:
    return [c.kind for c in conflicts]
