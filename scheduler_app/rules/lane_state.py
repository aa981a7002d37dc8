"""One bioreactor as the conflict engine last saw it, and what an update finds changed on it:
what :meth:`ConflictEngine.update` compares with the schedule instead of scanning it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import attrgetter, is_, itemgetter

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Item, Memo
from scheduler_app.rules.lane import Lane
from scheduler_app.schedule import JournalEntry

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
    mark: int | None = None
    """The schedule's campaign journal position at which the members were the campaigns the
    schedule held under their IDs (see :func:`journaled_rows`); ``None``: compare instead."""

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


_MOST_ENTRIES = 128
"""Past this many journal entries since a lane's mark, comparing its members costs less."""


def journaled_rows(
    state: LaneState,
    code: str,
    entries: list[JournalEntry],
    campaigns: Mapping[CampaignId, Campaign],
) -> list[tuple[int, Campaign | None]] | None:
    """The members of bioreactor ``code`` that ``campaigns`` no longer holds as they were, from the
    journal ``entries`` written since the state's mark: (row, what it holds now; ``None``:
    removed), by row. The first entry of an ID after the mark names the campaign the dict held then,
    which is the member when the ID was one of this bioreactor's. ``None`` when there are too many
    entries, or an entry names a campaign of this bioreactor the members lack (the journal does not
    match what the engine saw): compare the members with the dict instead."""
    if len(entries) > _MOST_ENTRIES:
        return None
    first: dict[CampaignId, Campaign | None] = {}
    for campaign_id, previous in entries:
        first.setdefault(campaign_id, previous)
    members = state.members
    rows: list[tuple[int, Campaign | None]] = []
    for campaign_id, previous in first.items():
        if previous is None or previous.bioreactor != code:
            continue  # not on this bioreactor at the mark
        now = campaigns.get(campaign_id)
        if now is previous:
            continue
        at = next(compress(count(), map(is_, members, repeat(previous))), None)
        if at is None:
            return None
        rows.append((at, now))
    rows.sort(key=_row)
    return rows


def _row(found: tuple[int, Campaign | None]) -> int:
    return found[0]
