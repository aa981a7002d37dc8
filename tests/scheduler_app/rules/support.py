"""Helpers for the rule tests: run one rule, or the whole engine, over a small schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import ModuleType

from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode, ProductCode, SuiteCode
from scheduler_app.rules.conflict import Conflict
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from tests.factories import small_schedule


def run_rule(schedule: Schedule, rule: ModuleType) -> list[Conflict]:
    """The conflicts one rule module finds, through the engine as the app runs it."""
    return ConflictEngine(schedule, rules=[rule.RULE]).check_all()


def kinds(conflicts: list[Conflict]) -> list[str]:
    return [c.kind for c in conflicts]


def process_schedule() -> Schedule:
    """The small schedule with shared equipment: one seed bioreactor and one downstream train in
    Syracuse, one seed bioreactor and two trains (one opening later) in Songdo; seed and harvest
    days, a cleaning-validation limit and a matrix entry on the products."""
    s = small_schedule()
    for code, suite, role, opens in [
        ("SYR-N1-01", "SYR-S1", EquipmentRole.SEED, None),
        ("SDO-N1-01", "SDO-S1", EquipmentRole.SEED, None),
        ("SYR-DSP-01", "SYR-S1", EquipmentRole.DOWNSTREAM, None),
        ("SDO-DSP-01", "SDO-S1", EquipmentRole.DOWNSTREAM, None),
        ("SDO-DSP-02", "SDO-S1", EquipmentRole.DOWNSTREAM, date(2027, 3, 1)),
    ]:
        s.bioreactors[BioreactorCode(code)] = Bioreactor(
            BioreactorCode(code), SuiteCode(suite), 500, available_from=opens, role=role
        )
    abx, cdx = ProductCode("ABX-201"), ProductCode("CDX-110")
    s.products[abx] = replace(s.products[abx], seed_days=4, harvest_days=5)
    s.products[cdx] = replace(s.products[cdx], seed_days=3, harvest_days=6, max_batches=2)
    s.changeovers[(abx, cdx)] = 16
    return s
