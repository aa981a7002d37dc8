"""Every conflict rule the engine runs, in one list: adding a rule is adding its module here."""

from __future__ import annotations

from scheduler_app.rules import (
    campaign_length,
    changeover,
    downstream,
    late,
    maintenance,
    material,
    overlap,
    qualification,
    scale,
    seed,
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
    campaign_length.RULE,
    seed.RULE,
    downstream.RULE,
    material.RULE,
)
