"""Which tables hold the campaigns and maintenance windows of Live or of one scenario.

Live keeps its own tables (and with them its hot paths: loading 10,000 campaigns, persisting a
move); a scenario's rows live in copies of those tables keyed by the scenario's name. Everything
that reads or writes campaigns and windows asks a ``Plan`` for its table, its row filter, the
values a new row needs and the audit entity, so the same code serves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, Text, select, true, type_coerce

from scheduler_app.storage import codec
from scheduler_app.storage.tables import (
    campaigns,
    maintenance,
    scenario_campaigns,
    scenario_maintenance,
)

_AS_TEXT = {"start", "due", "extra"}
MAINTENANCE_COLUMNS = ("id", "site", "suite", "bioreactor", "start", "end", "reason", "version")


@dataclass(frozen=True)
class Plan:
    """Live (``scenario`` None) or one scenario: its tables and how rows are told apart."""

    scenario: str | None
    campaigns: Table
    maintenance: Table
    campaign_select: Select[Any] = field(init=False, repr=False, compare=False)
    campaign_text_select: Select[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = self.campaigns
        columns = [table.c[name] for name in codec.CAMPAIGN_COLUMNS]
        text_columns = [type_coerce(c, Text) if c.name in _AS_TEXT else c for c in columns]
        object.__setattr__(self, "campaign_select", select(*columns).where(self.campaign_rows))
        object.__setattr__(
            self, "campaign_text_select", select(*text_columns).where(self.campaign_rows)
        )

    @property
    def is_live(self) -> bool:
        return self.scenario is None

    @property
    def campaign_rows(self) -> ColumnElement[bool]:
        """The filter that keeps this plan's campaign rows (always true for Live)."""
        if self.scenario is None:
            return true()
        return self.campaigns.c.scenario == self.scenario

    @property
    def maintenance_rows(self) -> ColumnElement[bool]:
        if self.scenario is None:
            return true()
        return self.maintenance.c.scenario == self.scenario

    @property
    def row_key(self) -> dict[str, Any]:
        """What a new row of this plan carries beside the domain values."""
        return {} if self.scenario is None else {"scenario": self.scenario}

    def audit_entity(self, entity: str) -> str:
        """Scenario edits are audited apart from Live's, e.g. ``scenario campaign``."""
        return entity if self.scenario is None else f"scenario {entity}"

    def audit_key(self, key: str) -> str:
        """``CMP-0042`` in Live, ``PPQ slip/CMP-0042`` in the scenario ``PPQ slip``."""
        return key if self.scenario is None else f"{self.scenario}/{key}"

    def setting_key(self, key: str) -> str:
        """A per-plan settings row (the maintenance list's revision)."""
        return key if self.scenario is None else f"{key}:{self.scenario}"

    @property
    def label(self) -> str:
        return "Live" if self.scenario is None else f"scenario {self.scenario!r}"


LIVE = Plan(None, campaigns, maintenance)


def plan_for(scenario: str | None) -> Plan:
    """The plan of ``scenario`` (None → Live)."""
    if scenario is None:
        return LIVE
    return Plan(scenario, scenario_campaigns, scenario_maintenance)
