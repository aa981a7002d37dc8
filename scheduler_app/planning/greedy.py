"""The greedy baseline: walk the movable campaigns in time order, keep each where it is when that
is clear, else put it at its earliest clear start on any allowed bioreactor. What a planner does
with the slot finder by hand; the optimiser starts from it and is measured against it."""

from __future__ import annotations

from scheduler_app.ids import BioreactorCode, CampaignId
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
    if not _clear(instance, placed.get(movable.origin, []), movable, movable.origin_day):
        return None
    return movable.origin, movable.origin_day


def _earliest(
    instance: Instance, placed: dict[BioreactorCode, list[tuple[int, Movable]]], movable: Movable
) -> tuple[BioreactorCode, int] | None:
    best: tuple[int, int, BioreactorCode] | None = None
    for rank, (code, allowed) in enumerate(movable.options.items()):
        others = placed.get(code, [])
        flat = allowed.flattened_intervals()
        points = set(flat[0::2])
        points.update(day + other.length + instance.gap(other, movable) for day, other in others)
        for day in sorted(points):
            if allowed.contains(day) and _clear(instance, others, movable, day):
                key = (day, 0 if code == movable.origin else rank + 1, code)
                if best is None or key < best:
                    best = key
                break
    return None if best is None else (best[2], best[0])


def _clear(
    instance: Instance, others: list[tuple[int, Movable]], movable: Movable, day: int
) -> bool:
    for other_day, other in others:
        after = day >= other_day + other.length + instance.gap(other, movable)
        before = day + movable.length + instance.gap(movable, other) <= other_day
        if not (after or before):
            return False
    return True
