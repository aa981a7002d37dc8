"""One bioreactor as the conflict engine last saw it, and what an update finds changed on it:
what :meth:`ConflictEngine.update` compares with the schedule instead of scanning it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Item, Memo
from scheduler_app.rules.lane import Lane

campaign_id_of = attrgetter("id")


@dataclass(slots=True, eq=False)
class LaneState:
    """One bioreactor as the engine last saw it: every campaign on it (cancelled ones too, so that
    the engine can tell when one is removed or moves away), the lane, and the lane's conflicts."""

    members: list[Campaign]
    lane: Lane | None
    memo: Memo
    items: list[Item]
    errors: int = -1
    ids: list[CampaignId] | None = None
    """The members' IDs, in their order, once an update has needed them (see :meth:`fetch`)."""
    _fetch: Callable[[Mapping[CampaignId, Campaign]], tuple[Campaign, ...]] | None = None

    def error_count(self) -> int:
        if self.errors < 0:
            self.errors = sum(1 for _, c in self.items if c.severity is Severity.ERROR)
        return self.errors

    def member_ids(self) -> list[CampaignId]:
        if self.ids is None:
            self.ids = list(map(campaign_id_of, self.members))
        return self.ids

    def keep_ids_of(self, previous: LaneState) -> None:
        """Take ``previous``'s worked-out IDs (and lookup), when it has the very same members."""
        if previous.members is self.members:
            self.ids, self._fetch = previous.ids, previous._fetch

    def fetch(self, campaigns: Mapping[CampaignId, Campaign]) -> list[Campaign | None]:
        """What ``campaigns`` holds now under each member's ID (``None``: removed), in one C call
        over the kept IDs when none was removed: an update compares a touched bioreactor's members
        with the schedule this way, without reading the member objects for their IDs."""
        ids = self.member_ids()
        if len(ids) < 2:
            return list(map(campaigns.get, ids))
        fetch = self._fetch
        if fetch is None:
            fetch = self._fetch = itemgetter(*ids)
        try:
            return list(fetch(campaigns))
        except KeyError:
            return list(map(campaigns.get, ids))


@dataclass(slots=True, eq=False)
class LaneChange:
    """A bioreactor's campaigns after a change, and which campaign objects left and came."""

    members: list[Campaign]
    left: list[Campaign]
    came: list[Campaign]
    ids: list[CampaignId]
    """The members' IDs, in their order (what the next update compares with)."""


def added_ids(
    current: dict[CampaignId, Campaign], known: dict[CampaignId, None]
) -> list[CampaignId]:
    """The campaign IDs the engine has not seen. A dict keeps insertion order and new keys go last,
    so they are looked for from the end first; the whole schedule is compared only if that fails."""
    missing = len(current) - len(known)
    found: list[CampaignId] = []
    if missing <= 0:
        return found
    for looked, campaign_id in enumerate(reversed(current)):
        if campaign_id not in known:
            found.append(campaign_id)
            if len(found) == missing:
                return found
        if looked > 64 + 4 * missing:
            break
    return list(current.keys() - known.keys())
