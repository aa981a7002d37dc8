"""Per-campaign facts the rules need, cached by campaign identity.

Campaigns are immutable, so a fact found once (epoch start and end, the due instant) stays true
until the campaign object is replaced; keeping them saves the calendar arithmetic on every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import is_

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import DAY_SECONDS, end_of_local_date
from scheduler_app.rules.zone_table import zone_table


@dataclass(slots=True, eq=False)
class Facts:
    """What the rules need of one campaign on a site calendar, as epoch seconds; ``due_end`` is
    ``inf`` without a due date. ``end_time`` (the end as a datetime) is made when first asked."""

    campaign: Campaign | None
    tz: str
    start: float
    end: float
    due_end: float
    _end_time: datetime | None = None

    @property
    def end_time(self) -> datetime:
        if self._end_time is None:
            assert self.campaign is not None
            if self.end % 1:
                self._end_time = self.campaign.end_in(self.tz)
            else:  # whole seconds convert exactly, and much faster than the calendar arithmetic
                self._end_time = datetime.fromtimestamp(self.end, UTC)
        return self._end_time

    @classmethod
    def of(cls, campaign: Campaign, tz: str) -> Facts:
        end = campaign.end_in(tz)
        due = campaign.due
        due_end = np.inf if due is None else end_of_local_date(due, tz).timestamp()
        return cls(campaign, tz, campaign.start.timestamp(), end.timestamp(), due_end, end)

    @classmethod
    def many(cls, campaigns: list[Campaign], tz: str) -> list[Facts]:
        """:meth:`of` for many campaigns, with the calendar arithmetic done on arrays (exact for
        whole-second starts; others go one by one)."""
        n = len(campaigns)
        if n < 8:
            return [cls.of(c, tz) for c in campaigns]
        starts = np.fromiter([c.start.timestamp() for c in campaigns], np.float64, n)
        if (starts % 1).any():
            return [cls.of(c, tz) for c in campaigns]
        table = zone_table(tz)
        days = np.fromiter([c.duration_days for c in campaigns], np.float64, n)
        ends = table.add_days(starts, days).tolist()
        due_ends = np.full(n, np.inf)
        dated = [i for i, c in enumerate(campaigns) if c.due is not None]
        if dated:
            # The end of the due day is the next day's local midnight.
            dues = [campaigns[i].due for i in dated]
            walls = [(d.toordinal() + 1 - _EPOCH_DAY) * DAY_SECONDS for d in dues if d is not None]
            due_ends[dated] = table.from_wall(np.array(walls, dtype=np.float64))
        return [
            cls(c, tz, start, end, due_end)
            for c, start, end, due_end in zip(
                campaigns, starts.tolist(), ends, due_ends.tolist(), strict=True
            )
        ]


_EPOCH_DAY = date(1970, 1, 1).toordinal()
_NO_FACTS = Facts(None, "", 0.0, 0.0, 0.0)


class FactCache:
    """Facts per time zone and campaign ID, valid while the stored campaign is the very same
    object."""

    def __init__(self) -> None:
        self._zones: dict[str, dict[CampaignId, Facts]] = {}

    def of(self, campaigns: list[Campaign], tz: str, remember: bool = True) -> list[Facts]:
        cache = self._zones.setdefault(tz, {})
        get = cache.get
        found = [get(c.id, _NO_FACTS) for c in campaigns]
        if all(map(is_, [f.campaign for f in found], campaigns)):
            return found
        missing = [
            i for i, (f, c) in enumerate(zip(found, campaigns, strict=True)) if f.campaign is not c
        ]
        fresh = Facts.many([campaigns[i] for i in missing], tz)
        for i, facts in zip(missing, fresh, strict=True):
            found[i] = facts
            if remember:
                cache[campaigns[i].id] = facts
        return found

    def prune(self, campaigns: Mapping[CampaignId, Campaign]) -> None:
        """Drop the facts of deleted campaigns and of campaigns that moved to another time zone,
        once the cache holds a third more entries than there are campaigns (the pass over the
        cache is not worth it for fewer)."""
        kept = sum(len(cache) for cache in self._zones.values())
        if kept * 3 <= len(campaigns) * 4 + 64:
            return
        for tz, cache in self._zones.items():
            self._zones[tz] = {
                key: facts for key, facts in cache.items() if campaigns.get(key) is facts.campaign
            }
