"""What one planner action changed, in the shape observers and undo steps consume."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode, CampaignId


class Source(StrEnum):
    """Where a change came from, as the audit log records it."""

    APP = "app"
    IMPORT = "import"
    CLI = "cli"
    DEMO = "demo"


@dataclass(frozen=True, slots=True)
class CampaignChange:
    """One campaign as it was and as it is now: ``before`` None is an addition, ``after`` None a
    deletion. ``after`` carries the version the database now holds."""

    before: Campaign | None
    after: Campaign | None

    @property
    def campaign_id(self) -> CampaignId:
        found = self.after or self.before
        assert found is not None
        return found.id

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "deleted" if self.after is None else "changed"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one action changed; ``description`` is what an Undo menu shows. Views refresh the
    ``touched_bioreactors`` rows, and everything when ``master_data_changed``.
    ``audit_change_set`` is the id shared by the audit rows the action wrote (None if none)."""

    action: str
    description: str
    changes: tuple[CampaignChange, ...]
    touched_bioreactors: frozenset[BioreactorCode]
    source: Source
    master_data_changed: bool = False
    maintenance_changed: bool = False
    audit_change_set: str | None = None

    def ids(self, kind: str) -> list[CampaignId]:
        """IDs of the ``added``, ``changed`` or ``deleted`` campaigns, in order."""
        return [change.campaign_id for change in self.changes if change.kind == kind]


def same_content(a: Campaign, b: Campaign) -> bool:
    """Equal apart from the version number."""
    return dataclasses.replace(a, version=b.version) == b


def diff_campaigns(
    held: Mapping[CampaignId, Campaign], fresh: Mapping[CampaignId, Campaign]
) -> list[CampaignChange]:
    """Changes that turn ``held`` into ``fresh`` (versions count as a change)."""
    changes = [
        CampaignChange(old, fresh.get(key)) for key, old in held.items() if fresh.get(key) != old
    ]
    changes += [CampaignChange(None, new) for key, new in fresh.items() if key not in held]
    return changes


def touched_bioreactors(changes: Iterable[CampaignChange]) -> frozenset[BioreactorCode]:
    """Every bioreactor a campaign left or arrived on."""
    found = set()
    for change in changes:
        for campaign in (change.before, change.after):
            if campaign is not None:
                found.add(campaign.bioreactor)
    return frozenset(found)
