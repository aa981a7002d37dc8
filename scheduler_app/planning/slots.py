"""The slot finder: the earliest start on each candidate bioreactor at which a campaign creates no
error-severity conflict, every other campaign staying where it is.

The engine decides: it is asked whether a start is clear and, if not, for the next start that
could be (``ConflictEngine.next_start_after``, where each rule bounds its own jump); that is
snapped to the site's next local midnight and asked again, until the engine says the placement is
clear or that it never will be. Starts the bioreactor's own rules provably refuse are skipped
in bulk first (``lane_room``), so a packed lane costs one numpy pass, not a question per campaign.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.equipment import Bioreactor
from scheduler_app.errors import SchedulerError, ValidationError
from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode
from scheduler_app.localtime import from_epoch, start_of_local_date
from scheduler_app.planning.days import next_midnight
from scheduler_app.planning.lane_room import lane_room
from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

ROUNDING_S = 1e-3
"""A room boundary this close after a start is float rounding: the engine judges that start."""
MAX_STEPS = 200_000
"""A safety net: the engine's bounds always move forward, so a search this long means a bug."""


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a campaign could start on one bioreactor, with the warning kinds it would still
    carry there (``late``, ``turnaround``, ``qualification``, …)."""

    campaign: CampaignId
    bioreactor: BioreactorCode
    site: SiteCode
    start: datetime
    end: datetime
    warnings: tuple[str, ...]

    def placed(self, campaign: Campaign) -> Campaign:
        """The campaign moved into this slot."""
        return dataclasses.replace(campaign, bioreactor=self.bioreactor, start=self.start)

    def as_json(self) -> dict[str, object]:
        """The shape ``slot --json`` prints, times in ISO 8601 UTC."""
        return {
            "bioreactor": self.bioreactor,
            "site": self.site,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "warnings": list(self.warnings),
        }


def production_bioreactors(schedule: Schedule) -> list[Bioreactor]:
    """Bioreactors campaigns can be booked on, in the timeline's order."""
    return schedule.production_bioreactors()


def candidate_bioreactors(schedule: Schedule, campaign: Campaign) -> list[Bioreactor]:
    """Every production bioreactor where the campaign's product is validated at that scale."""
    scales = schedule.product(campaign.product).validated_scales_l
    return [r for r in production_bioreactors(schedule) if r.working_volume_l in scales]


def earliest_start(
    engine: ConflictEngine, campaign: Campaign, bioreactor: str, after: datetime
) -> datetime | None:
    """The first site-local midnight at or after ``after`` at which ``campaign``, moved onto
    ``bioreactor``, has no error-severity conflict; None when no start there ever can.

    The lane's room (:mod:`~scheduler_app.planning.lane_room`) skips, in one step, every start
    the bioreactor's own rules refuse; each start it lets through is judged by the engine, whose
    bound (shared equipment, material, …) says where to look next."""
    tz_name = engine.schedule.time_zone_of(bioreactor)
    lane = engine.lane(bioreactor)
    room = lane_room(lane, campaign) if lane is not None else None
    moved = dataclasses.replace(campaign, bioreactor=BioreactorCode(bioreactor))
    at = after
    for _ in range(MAX_STEPS):
        start = next_midnight(at, tz_name)
        if room is not None:
            free = room.first_at_or_after(start.timestamp())
            if free is None:
                return None
            if free - start.timestamp() > ROUNDING_S:
                at = from_epoch(free)  # past ``start``, so the loop moves on
                continue
        bound = engine.next_start_after(dataclasses.replace(moved, start=start))
        if bound is None:
            return None
        if bound == start:
            return bound
        if bound < start:
            raise SchedulerError(
                f"The conflict engine pointed {campaign.id} back in time on {bioreactor}; "
                "please report this."
            )
        at = bound
    raise SchedulerError(f"No slot for {campaign.id} on {bioreactor} found in {MAX_STEPS} steps.")


def find_slots(
    engine: ConflictEngine,
    campaign_id: str,
    bioreactors: Sequence[str] | None = None,
    after: date | None = None,
) -> list[Slot]:
    """The earliest error-free slot on each candidate bioreactor (default: every production
    bioreactor where the product's scale is validated), earliest first; ``after`` is a site-local
    date of each candidate's site (default: the campaign's current start day)."""
    schedule = engine.schedule
    campaign = schedule.campaign(campaign_id)
    if campaign.status.locked:
        raise ValidationError(
            f"{campaign.id} is {campaign.status.value} and locked: it cannot be moved."
        )
    if bioreactors:
        codes: list[str] = list(bioreactors)
    else:
        codes = [r.code for r in candidate_bioreactors(schedule, campaign)]
    slots: list[Slot] = []
    for code in _known(schedule, codes):
        tz_name = schedule.time_zone_of(code)
        floor = start_of_local_date(after, tz_name) if after is not None else campaign.start
        start = earliest_start(engine, campaign, code, floor)
        if start is not None:
            slots.append(slot_at(engine, campaign, code, start))
    slots.sort(key=lambda s: (s.start, s.bioreactor))
    return slots


def slot_at(engine: ConflictEngine, campaign: Campaign, bioreactor: str, start: datetime) -> Slot:
    """The campaign placed at ``start`` on ``bioreactor`` described as a slot."""
    schedule = engine.schedule
    moved = dataclasses.replace(campaign, bioreactor=BioreactorCode(bioreactor), start=start)
    warnings = sorted(
        {
            c.kind
            for c in engine.preview([moved])
            if c.severity is Severity.WARNING and campaign.id in c.campaigns
        }
    )
    return Slot(
        campaign.id,
        moved.bioreactor,
        schedule.site_of(bioreactor).code,
        start,
        moved.end_in(schedule.time_zone_of(bioreactor)),
        tuple(warnings),
    )


def _known(schedule: Schedule, codes: Iterable[str]) -> list[str]:
    for code in codes:
        schedule.bioreactor(code)
    return list(dict.fromkeys(codes))


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
