"""Per-campaign facts the rules need, cached by campaign identity.

Campaigns are immutable, so a fact found once (epoch start and end, the due instant) stays true
until the campaign object is replaced; keeping them saves the calendar arithmetic on every check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import is_

import numpy as np

from scheduler_app.campaigns import Campaign
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import end_of_local_date


@dataclass(slots=True, eq=False)
class Facts:
    """What the rules need of one campaign on a site calendar; ``due_end`` is ``inf`` if no due."""

    campaign: Campaign | None
    start: float
    end: float
    end_time: datetime
    due_end: float

    @classmethod
    def of(cls, campaign: Campaign, tz: str) -> Facts:
        end = campaign.end_in(tz)
        due = campaign.due
        due_end = np.inf if due is None else end_of_local_date(due, tz).timestamp()
        return cls(campaign, campaign.start.timestamp(), end.timestamp(), end, due_end)


_NO_FACTS = Facts(None, 0.0, 0.0, datetime(1970, 1, 1), 0.0)


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
        for i, (facts, campaign) in enumerate(zip(found, campaigns, strict=True)):
            if facts.campaign is not campaign:
                fresh = Facts.of(campaign, tz)
                found[i] = fresh
                if remember:
                    cache[campaign.id] = fresh
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
