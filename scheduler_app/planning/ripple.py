"""Ripple: move a campaign and push each following campaign on its bioreactor just enough to keep
the gap it needs after the one before it (no overlap, plus the turnaround for the same product or
the changeover between different ones). A locked campaign in the way refuses the whole move."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.errors import LockedError
from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import add_local_days, local_days_between
from scheduler_app.planning.days import local_date
from scheduler_app.planning.needs import Needs
from scheduler_app.schedule import Schedule

Move = tuple[Campaign, Campaign]


class RippleBlockedError(LockedError):
    """A locked campaign (``campaign_id``) would have to move for the ripple to keep its gaps;
    nothing is moved."""

    def __init__(self, message: str, campaign_id: str) -> None:
        super().__init__(message)
        self.campaign_id = campaign_id


def ripple_moves(
    schedule: Schedule,
    campaign_id: str,
    start: datetime | None = None,
    bioreactor: str | None = None,
) -> list[Move]:
    """``(before, after)`` for the moved campaign and every following campaign that must move,
    in time order. Following means: on the target bioreactor, not cancelled, starting at or after
    the moved campaign's old start (same bioreactor) or its new start (another bioreactor)."""
    before = schedule.campaign(campaign_id)
    target = BioreactorCode(bioreactor) if bioreactor is not None else before.bioreactor
    moved = dataclasses.replace(
        before, bioreactor=target, start=before.start if start is None else start
    )
    if before.status.locked and moved != before:
        raise RippleBlockedError(
            f"{before.id} is {before.status.value} and locked: it cannot be moved.", before.id
        )
    tz_name = schedule.time_zone_of(target)
    since = before.start if target == before.bioreactor else moved.start
    following = sorted(
        (
            c
            for c in schedule.campaigns.values()
            if c.bioreactor == target
            and c.id != before.id
            and c.status is not Status.CANCELLED
            and c.start >= since
        ),
        key=lambda c: (c.start, c.id),
    )
    needs = Needs.of(schedule)
    moves: list[Move] = [(before, moved)]
    latest, latest_end = moved, moved.end_in(tz_name)
    for campaign in following:
        need = needs.between(latest.product, campaign.product)
        earliest = add_local_days(latest_end, need, tz_name)
        placed = campaign
        if campaign.start < earliest:
            if campaign.status.locked:
                raise RippleBlockedError(
                    f"Ripple refused: {campaign.id} is {campaign.status.value} and locked, and "
                    f"would have to start on or after {local_date(earliest, tz_name)} to keep "
                    f"{need} days after {latest.id}. Nothing was moved.",
                    campaign.id,
                )
            days = math.ceil(local_days_between(campaign.start, earliest, tz_name) - 1e-9)
            placed = dataclasses.replace(
                campaign, start=add_local_days(campaign.start, days, tz_name)
            )
            moves.append((campaign, placed))
        end = placed.end_in(tz_name)
        if end >= latest_end:
            latest, latest_end = placed, end
    return moves
