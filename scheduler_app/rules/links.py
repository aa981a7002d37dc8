"""Campaign links as a scope: a campaign that needs another campaign's output (``needs``), with
when that output is ready — the needed campaign's end plus the consumer's lag days (QC release),
counted on the needed campaign's site calendar.

A link is decided by its two campaigns only, so a change re-decides the links of the campaigns it
touched, as consumer or as needed campaign, wherever their bioreactors are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import add_local_days
from scheduler_app.rules.context import ReactorContext
from scheduler_app.rules.facts import measure
from scheduler_app.rules.zone_table import zone_table

FloatArray = NDArray[np.float64]

_CANCELLED = Status.CANCELLED


@dataclass(frozen=True, slots=True)
class Links:
    """Live consumers (campaigns that need another) with their bioreactor's context, the needed
    campaign (``None``: missing), the consumer's start and when the needed output is ready (epoch
    seconds; ``nan`` when the needed campaign is missing or cancelled)."""

    consumers: list[Campaign]
    contexts: list[ReactorContext]
    needed: list[Campaign | None]
    starts: FloatArray
    ready: FloatArray
    ready_tz: list[str]

    def __len__(self) -> int:
        return len(self.consumers)


def gather_links(
    campaigns: Mapping[CampaignId, Campaign],
    contexts: dict[str, ReactorContext],
    consumers: list[Campaign],
) -> Links:
    """The links of ``consumers`` (those live, linked and on a known bioreactor with a known
    product); needed campaigns are looked up in ``campaigns``."""
    kept: list[Campaign] = []
    kept_contexts: list[ReactorContext] = []
    needed: list[Campaign | None] = []
    for consumer in consumers:
        if consumer.needs is None or consumer.status is _CANCELLED:
            continue
        context = contexts.get(consumer.bioreactor)
        if context is None or consumer.product not in context.catalogue.index:
            continue
        kept.append(consumer)
        kept_contexts.append(context)
        needed.append(campaigns.get(consumer.needs))
    n = len(kept)
    starts = np.fromiter(map(_timestamp, kept), np.float64, n)
    ready = np.full(n, np.nan)
    zones = [""] * n
    by_zone: dict[str, list[int]] = {}
    for i, (other, context) in enumerate(zip(needed, kept_contexts, strict=True)):
        if other is None or other.status is _CANCELLED:
            continue
        own = contexts.get(other.bioreactor)
        tz = own.tz if own is not None else context.tz
        zones[i] = tz
        by_zone.setdefault(tz, []).append(i)
    for tz, rows in by_zone.items():
        sources = [needed[i] for i in rows]
        ends = measure([c for c in sources if c is not None], tz).ends
        lags = np.fromiter((kept[i].lag_days for i in rows), np.float64, len(rows))
        found = zone_table(tz).add_days(ends, lags)
        for k in (ends % 1).nonzero()[0].tolist():
            source = sources[k]
            assert source is not None
            end = source.end_in(tz)
            found[k] = add_local_days(end, float(lags[k]), tz).timestamp()
        ready[rows] = found
    return Links(kept, kept_contexts, needed, starts, ready, zones)


def _timestamp(campaign: Campaign) -> float:
    return campaign.start.timestamp()


def consumers_of(consumers: Iterable[Campaign]) -> dict[CampaignId, set[CampaignId]]:
    """For each needed campaign ID, the campaigns of ``consumers`` that name it in ``needs``."""
    found: dict[CampaignId, set[CampaignId]] = {}
    for campaign in consumers:
        if campaign.needs is not None:
            found.setdefault(campaign.needs, set()).add(campaign.id)
    return found
