"""Every conflict rule the engine runs, in one list: adding a rule is adding its module here."""

from __future__ import annotations

from scheduler_app.rules import (
    changeover,
    late,
    maintenance,
    overlap,
    qualification,
    scale,
    turnaround,
    unavailable,
)
from scheduler_app.rules.protocol import AnyRule

RULES: tuple[AnyRule, ...] = (
    overlap.RULE,
    changeover.RULE,
    turnaround.RULE,
    maintenance.RULE,
    scale.RULE,
    unavailable.RULE,
    qualification.RULE,
    late.RULE,
)
