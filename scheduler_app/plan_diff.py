"""What differs between two plans of the same schedule (Live and a scenario, or a published
version and Live now): campaigns added, removed and changed field by field, and the conflicts
the second plan gains and resolves.

The scenario compare table, ``scenario diff``, ``diff --since-version`` and promote's preview all
read this one answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule

COMPARED_FIELDS = tuple(f.name for f in dataclasses.fields(Campaign) if f.name != "version")
"""Every campaign field but the row version, which says nothing a planner changed."""

ConflictKey = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class CampaignDiff:
    """One campaign present in both plans with ``fields`` name → (old, new) that differ."""

    before: Campaign
    after: Campaign
    fields: dict[str, tuple[Any, Any]]

    @property
    def campaign_id(self) -> CampaignId:
        return self.after.id


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """``added``/``removed``/``changed`` are sorted by campaign ID; ``gained`` are conflicts
    only the second plan has, ``resolved`` those only the first has."""

    added: tuple[Campaign, ...]
    removed: tuple[Campaign, ...]
    changed: tuple[CampaignDiff, ...]
    gained: tuple[Conflict, ...]
    resolved: tuple[Conflict, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed; "
            f"conflicts {len(self.gained)} gained, {len(self.resolved)} resolved"
        )

    def as_json(self) -> dict[str, Any]:
        """DESIGN's shape for ``scenario diff --json`` and ``diff --json``."""
        return {
            "added": [c.id for c in self.added],
            "removed": [c.id for c in self.removed],
            "changed": [
                {
                    "campaign": item.campaign_id,
                    "fields": {
                        name: [json_value(old), json_value(new)]
                        for name, (old, new) in item.fields.items()
                    },
                }
                for item in self.changed
            ],
            "conflicts": {
                "gained": [c.as_json() for c in self.gained],
                "resolved": [c.as_json() for c in self.resolved],
            },
        }


def field_changes(before: Campaign, after: Campaign) -> dict[str, tuple[Any, Any]]:
    """Field name → (old, new) for every compared field that differs."""
    if dataclasses.replace(before, version=after.version) == after:
        return {}
    out = {}
    for name in COMPARED_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out[name] = (old, new)
    return out


def conflict_key(conflict: Conflict) -> ConflictKey:
    """A conflict's identity across plans: what, who and where, not its wording."""
    return (
        conflict.kind,
        conflict.severity,
        conflict.campaigns,
        conflict.bioreactor,
        conflict.start,
        conflict.end,
    )


def diff_campaigns(
    first: dict[CampaignId, Campaign], second: dict[CampaignId, Campaign]
) -> tuple[tuple[Campaign, ...], tuple[Campaign, ...], tuple[CampaignDiff, ...]]:
    """Added, removed and changed campaigns going from ``first`` to ``second``."""
    added = tuple(second[key] for key in sorted(second.keys() - first.keys()))
    removed = tuple(first[key] for key in sorted(first.keys() - second.keys()))
    changed = []
    for key in sorted(first.keys() & second.keys()):
        before, after = first[key], second[key]
        if before is after:
            continue
        fields = field_changes(before, after)
        if fields:
            changed.append(CampaignDiff(before, after, fields))
    return added, removed, tuple(changed)


def diff_conflicts(
    first: Iterable[Conflict], second: Iterable[Conflict]
) -> tuple[tuple[Conflict, ...], tuple[Conflict, ...]]:
    """Conflicts gained (only in ``second``) and resolved (only in ``first``), in order."""
    first_list, second_list = list(first), list(second)
    first_keys = {conflict_key(c) for c in first_list}
    second_keys = {conflict_key(c) for c in second_list}
    gained = tuple(c for c in second_list if conflict_key(c) not in first_keys)
    resolved = tuple(c for c in first_list if conflict_key(c) not in second_keys)
    return gained, resolved


def diff_plans(
    first: Schedule,
    second: Schedule,
    first_conflicts: Sequence[Conflict] | None = None,
    second_conflicts: Sequence[Conflict] | None = None,
) -> PlanDiff:
    """What going from ``first`` to ``second`` changes; conflicts are checked when not given
    (pass an engine's current list to skip a full check)."""
    from scheduler_app.rules.engine import check_schedule

    added, removed, changed = diff_campaigns(first.campaigns, second.campaigns)
    if first_conflicts is None:
        first_conflicts = check_schedule(first)
    if second_conflicts is None:
        second_conflicts = check_schedule(second)
    gained, resolved = diff_conflicts(first_conflicts, second_conflicts)
    return PlanDiff(added, removed, changed, gained, resolved)


def json_value(value: Any) -> Any:
    """A field value as JSON: instants in ISO 8601 UTC, dates ISO, enums by value, extra columns
    as ``[[column, value], ...]``."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat(sep=" ")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    return value
