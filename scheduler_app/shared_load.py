"""What the seed bioreactors and downstream trains are busy with, derived from the production
campaigns they serve, for showing them on the timeline.

Each batch of a production campaign needs a seed bioreactor serving its vessel for
``[batch start − seed days, batch start)`` and a downstream train for ``[batch end, batch end +
harvest days)`` (site-local days). A window is given to the first unit of its pool that is free
(not busy with an earlier window, not under maintenance, available); a window that finds none is
over-booked and reported as such. This is a picture for planners, not a rule: the conflict
engine decides conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scheduler_app.campaigns import Status
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import add_local_days, start_of_local_date
from scheduler_app.schedule import Schedule


@dataclass(frozen=True, slots=True)
class UnitWindow:
    """One batch's need of a shared unit: ``[start, end)`` in UTC."""

    start: datetime
    end: datetime
    campaign: CampaignId
    product: ProductCode
    bioreactor: BioreactorCode


@dataclass
class SharedLoad:
    """Per unit the windows it takes on; per unit the over-booked windows of the pools it is in
    (drawn on each row of the pool)."""

    windows: dict[BioreactorCode, list[UnitWindow]] = field(default_factory=dict)
    overbooked: dict[BioreactorCode, list[UnitWindow]] = field(default_factory=dict)


def shared_load(schedule: Schedule) -> SharedLoad:
    load = SharedLoad()
    units = [b for b in schedule.bioreactors.values() if not b.is_production]
    if not units:
        return load
    down: dict[BioreactorCode, list[tuple[datetime, datetime]]] = {}
    free_from: dict[BioreactorCode, datetime] = {}
    for unit in units:
        load.windows[unit.code] = []
        load.overbooked[unit.code] = []
        down[unit.code] = _down(schedule, unit)
    pools: dict[tuple[str, EquipmentRole], tuple[Bioreactor, ...]] = {}
    wanted: list[tuple[UnitWindow, tuple[Bioreactor, ...]]] = []
    for campaign in schedule.campaigns.values():
        if campaign.status is Status.CANCELLED:
            continue
        product = schedule.products.get(campaign.product)
        reactor = schedule.bioreactors.get(campaign.bioreactor)
        if product is None or reactor is None or not reactor.is_production:
            continue
        tz_name = schedule.time_zone_of(reactor.code)
        for role, days in (
            (EquipmentRole.SEED, product.seed_days),
            (EquipmentRole.DOWNSTREAM, product.harvest_days),
        ):
            if days <= 0:
                continue
            key = (reactor.code, role)
            if key not in pools:
                pools[key] = schedule.serving(role, reactor.code)
            pool = pools[key]
            if not pool:
                continue
            for begin, end in campaign.batch_intervals(tz_name):
                if role is EquipmentRole.SEED:
                    span = (add_local_days(begin, -days, tz_name), begin)
                else:
                    span = (end, add_local_days(end, days, tz_name))
                window = UnitWindow(*span, campaign.id, campaign.product, reactor.code)
                wanted.append((window, pool))
    wanted.sort(key=lambda item: (item[0].start, item[0].campaign))
    for window, pool in wanted:
        for unit in pool:
            # Windows come in start order, so a unit is free once its last window has ended.
            last = free_from.get(unit.code)
            if last is not None and last > window.start:
                continue
            if any(s < window.end and window.start < e for s, e in down[unit.code]):
                continue
            free_from[unit.code] = window.end
            load.windows[unit.code].append(window)
            break
        else:
            for unit in pool:
                load.overbooked[unit.code].append(window)
    return load


def _down(schedule: Schedule, unit: Bioreactor) -> list[tuple[datetime, datetime]]:
    """Maintenance and the time before the unit is available, as busy time."""
    out = [(w.start, w.end) for w in schedule.maintenance_for(unit.code)]
    opens = [d for d in (unit.available_from, schedule.site_of(unit.code).available_from) if d]
    if opens:
        first = start_of_local_date(max(opens), schedule.time_zone_of(unit.code))
        out.append((datetime.min.replace(tzinfo=first.tzinfo), first))
    return out
