"""How the slot finder asks the rules where the next possible start is.

The conflict engine answers ``next_start_after`` (CONTRACTS.md): each rule bounds the next start at
which it could be clear. Until the engine offers it, :func:`next_start_after` falls back to asking
``engine.preview`` one site-local day at a time, which is exact but slow.
"""

from __future__ import annotations

from datetime import datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.localtime import add_local_days
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine

NEVER_CLEARS = frozenset({"scale"})
"""Error kinds that no later start on the same bioreactor can clear."""


def next_start_after(engine: ConflictEngine, campaign: Campaign) -> datetime | None:
    """``campaign.start`` when the placement has no error-severity conflict; otherwise a later
    start with no error-free start strictly between; None when none can ever be error-free."""
    errors = {
        conflict.kind
        for conflict in engine.preview([campaign])
        if conflict.severity is Severity.ERROR and campaign.id in conflict.campaigns
    }
    if not errors:
        return campaign.start
    if errors & NEVER_CLEARS:
        return None
    tz_name = engine.schedule.time_zone_of(campaign.bioreactor)
    return add_local_days(campaign.start, 1, tz_name)
