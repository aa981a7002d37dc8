"""The greedy baseline: walk the movable campaigns in time order, keep each where it is when that
is clear, else put it at its earliest clear start on any allowed bioreactor. What a planner does
with the slot finder by hand; the optimiser starts from it and is measured against it."""

from __future__ import annotations

from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.planning.sequence import Placed, earliest_after, fits
from scheduler_app.planning.window import Instance, Movable

Assignment = dict[CampaignId, tuple[BioreactorCode, int]]


def greedy_plan(instance: Instance) -> Assignment | None:
    """A placement for every movable campaign, or None when one finds no room at all."""
    plan, stuck = greedy_partial(instance)
    return None if stuck else plan


def greedy_partial(instance: Instance) -> tuple[Assignment, list[CampaignId]]:
    """Like :func:`greedy_plan`, but a campaign that finds no room stays where it is (in its
    conflict, in the way of later ones) and is listed as stuck."""
    placed: dict[BioreactorCode, list[tuple[int, Movable]]] = {}
    plan: Assignment = {}
    stuck: list[CampaignId] = []
    for movable in sorted(instance.movables, key=lambda m: (m.origin_day, m.campaign.id)):
        choice = _keep(instance, placed, movable) or _earliest(instance, placed, movable)
        if choice is None:
            stuck.append(movable.campaign.id)
            choice = (movable.origin, movable.origin_day)
        else:
            plan[movable.campaign.id] = choice
        code, day = choice
        placed.setdefault(code, []).append((day, movable))
    return plan, stuck


def _keep(
    instance: Instance, placed: dict[BioreactorCode, list[tuple[int, Movable]]], movable: Movable
) -> tuple[BioreactorCode, int] | None:
    allowed = movable.options.get(movable.origin)
    if allowed is None or not allowed.contains(movable.origin_day):
        return None
    if not _clear(instance, movable.origin, placed, movable, movable.origin_day):
        return None
    return movable.origin, movable.origin_day


def _earliest(
    instance: Instance, placed: dict[BioreactorCode, list[tuple[int, Movable]]], movable: Movable
) -> tuple[BioreactorCode, int] | None:
    """The earliest clear start over every allowed bioreactor: it is where the allowed days
    begin or where a gap after a block or a placed campaign ends."""
    best: tuple[int, int, BioreactorCode] | None = None
    for rank, (code, allowed) in enumerate(movable.options.items()):
        flat = allowed.flattened_intervals()
        points = set(flat[0::2])
        points.update(
            day + other.length + instance.gap(other, movable) for day, other in placed.get(code, [])
        )
        points.update(
            earliest_after(block, movable.product, instance.need)
            for block in instance.blocks.get(code, [])
        )
        for day in sorted(points):
            if allowed.contains(day) and _clear(instance, code, placed, movable, day):
                key = (day, 0 if code == movable.origin else rank + 1, code)
                if best is None or key < best:
                    best = key
                break
    return None if best is None else (best[2], best[0])


def _clear(
    instance: Instance,
    code: BioreactorCode,
    placed: dict[BioreactorCode, list[tuple[int, Movable]]],
    movable: Movable,
    day: int,
) -> bool:
    others = [Placed(d, m.length, m.product) for d, m in placed.get(code, [])]
    blocks = instance.blocks.get(code, [])
    return fits(blocks, others, day, movable.length, movable.product, instance.need)
