"""Planning answers applied through the service: each is one change set, one undo step."""

from __future__ import annotations

from datetime import datetime

from scheduler_app.change_set import ChangeSet
from scheduler_app.planning.optimiser import PlanResult
from scheduler_app.planning.ripple import ripple_moves
from scheduler_app.service import ScheduleService


def apply_ripple(
    service: ScheduleService,
    campaign_id: str,
    start: datetime | None = None,
    bioreactor: str | None = None,
    reason: str | None = None,
) -> ChangeSet:
    """Move a campaign and push the ones that follow it; a locked campaign in the way raises
    :class:`~scheduler_app.planning.ripple.RippleBlockedError` and nothing is applied."""
    moves = ripple_moves(service.schedule, campaign_id, start, bioreactor)
    pushed = len(moves) - 1
    description = f"Move {campaign_id} with ripple"
    if pushed:
        description += f" ({pushed} following pushed)"
    return service.replace_campaigns(
        list(moves), action="move", description=description, reason=reason
    )


def apply_plan(
    service: ScheduleService, result: PlanResult, reason: str | None = None
) -> ChangeSet:
    """Apply an optimiser plan as one change set."""
    count = len(result.moves)
    noun = "campaign" if count == 1 else "campaigns"
    return service.replace_campaigns(
        list(result.moves),
        action="plan",
        description=f"Optimise the plan ({count} {noun} moved)",
        reason=reason,
    )
