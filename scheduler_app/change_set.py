"""What one planner action changed, in the shape observers and undo steps consume."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.conflict import Conflict

Matrix = dict[tuple[ProductCode, ProductCode], int]
"""A changeover matrix: (from product, to product) → days."""


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
class MasterChange:
    """One site, suite, bioreactor or product as it was and as it is now (``before`` None: it was
    added). ``kind`` is ``site``, ``suite``, ``bioreactor`` or ``product``."""

    kind: str
    before: Any | None
    after: Any | None

    @property
    def code(self) -> str:
        found = self.after if self.after is not None else self.before
        return str(getattr(found, "code", ""))


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one action changed, and all an undo needs to put it back; ``description`` is what an
    Undo menu shows (the core writes it). Views refresh the ``touched_bioreactors`` rows, and
    everything when ``master_data_changed``.

    ``master``, ``maintenance_before``/``maintenance_after`` (None when the windows did not
    change), ``extra_columns`` and ``changeovers`` (before, after; None when unchanged) let an
    import be undone whole. ``new_conflicts`` are the conflicts of the changed campaigns that
    were not there before, computed against the database as it was at commit time.
    ``audit_change_set`` is the id shared by the audit rows the action wrote (None if none);
    ``remote_user`` is set when the change was committed by another planner or process and
    picked up by ``service.sync()``."""

    action: str
    description: str
    changes: tuple[CampaignChange, ...]
    touched_bioreactors: frozenset[BioreactorCode]
    source: Source
    master_data_changed: bool = False
    maintenance_changed: bool = False
    audit_change_set: str | None = None
    master: tuple[MasterChange, ...] = ()
    maintenance_before: tuple[MaintenanceWindow, ...] | None = None
    maintenance_after: tuple[MaintenanceWindow, ...] | None = None
    extra_columns: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    changeovers: tuple[Matrix, Matrix] | None = None
    new_conflicts: tuple[Conflict, ...] = ()
    user: str = ""
    reason: str | None = None
    remote_user: str | None = None
    window_changes: tuple[tuple[MaintenanceWindow | None, MaintenanceWindow | None], ...] = ()
    """Single maintenance windows as they were and as stored (None: added / deleted)."""

    def ids(self, kind: str) -> list[CampaignId]:
        """IDs of the ``added``, ``changed`` or ``deleted`` campaigns, in order."""
        return [change.campaign_id for change in self.changes if change.kind == kind]

    @property
    def campaign_ids(self) -> list[CampaignId]:
        return [change.campaign_id for change in self.changes]

    @property
    def campaigns(self) -> list[Campaign]:
        """The campaigns as they are after the change (deleted ones left out), in order."""
        return [change.after for change in self.changes if change.after is not None]

    def after(self, campaign_id: str) -> Campaign | None:
        """The campaign as this change left it (None when deleted or not part of it)."""
        for change in self.changes:
            if change.campaign_id == campaign_id:
                return change.after
        return None

    def before(self, campaign_id: str) -> Campaign | None:
        """The campaign as it was before this change (None when created or not part of it)."""
        for change in self.changes:
            if change.campaign_id == campaign_id:
                return change.before
        return None

    @property
    def is_empty(self) -> bool:
        return not (
            self.changes
            or self.master
            or self.window_changes
            or self.maintenance_after is not None
            or self.extra_columns is not None
            or self.changeovers is not None
        )


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
