"""The CP-SAT model of a window (OR-Tools): one start day per movable campaign, one presence
literal per allowed bioreactor, overlap with the fixed campaigns and maintenance as forbidden
start days (``window.py``), and per bioreactor a circuit through what stays put and the movable
campaigns placed there, whose arcs keep the changeover from each one's predecessor, as the gap
rules measure it. The objective ranks days late over campaigns moved over days moved."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.planning.greedy import Assignment
from scheduler_app.planning.pools_model import add_needs, add_pools
from scheduler_app.planning.sequence import Block, earliest_after, latest_end_before
from scheduler_app.planning.window import Instance, Movable
from scheduler_app.schedule import Schedule


@dataclass(slots=True)
class PlanModel:
    """The model and the variables a solution is read from."""

    model: cp_model.CpModel
    starts: dict[CampaignId, cp_model.IntVar]
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]]
    late: cp_model.LinearExpr
    moved: cp_model.LinearExpr
    shifted: cp_model.LinearExpr
    weights: tuple[int, int, int]
    _equal: dict[tuple[CampaignId, BioreactorCode, int], cp_model.IntVar] = field(
        default_factory=dict
    )

    def read(self, solver: cp_model.CpSolver) -> Assignment:
        """The placement of every movable campaign in the solver's current solution."""
        plan: Assignment = {}
        for key, start in self.starts.items():
            day = int(solver.value(start))
            for code, literal in self.present[key].items():
                if solver.boolean_value(literal):
                    plan[key] = (code, day)
        return plan

    def forbid(self, placements: list[tuple[CampaignId, BioreactorCode, int]]) -> None:
        """Forbid these placements together (a combination the conflict engine refused)."""
        literals = []
        for key, code, day in placements:
            present = self.present.get(key, {}).get(code)
            if present is None:
                continue
            equal = self._equal.get((key, code, day))
            if equal is None:
                equal = self.model.new_bool_var(f"at_{key}_{code}_{day}")
                self.model.add(self.starts[key] == day).only_enforce_if(equal)
                self.model.add(self.starts[key] != day).only_enforce_if(~equal)
                self._equal[(key, code, day)] = equal
            literals += [~equal, ~present]
        if literals:
            self.model.add_bool_or(literals)


def build_model(
    instance: Instance, hint: Assignment | None = None, schedule: Schedule | None = None
) -> PlanModel:
    """The CP-SAT model of ``instance``; ``hint`` (e.g. the greedy plan) seeds the search. With
    ``schedule``, shared seed bioreactors and downstream trains are modelled too."""
    model = cp_model.CpModel()
    movables = list(instance.movables)
    span = instance.highest - instance.lowest + max((m.length for m in movables), default=0)
    count = max(len(movables), 1)
    weight_days = 1
    weight_moved = count * span + 1
    weight_late = count * weight_moved + count * span + 1
    starts: dict[CampaignId, cp_model.IntVar] = {}
    bounds: dict[CampaignId, tuple[int, int]] = {}
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]] = {}
    intervals: dict[BioreactorCode, list[cp_model.IntervalVar]] = {}
    late_terms, moved_terms, shifted_terms = [], [], []
    for movable in movables:
        key = movable.campaign.id
        union = None
        for allowed in movable.options.values():
            union = allowed if union is None else union.union_with(allowed)
        if union is None:
            model.add_bool_or([])  # no bioreactor has room: the model is infeasible
            continue
        start = model.new_int_var_from_domain(union, f"start_{key}")
        starts[key] = start
        bounds[key] = (union.min(), union.max())
        literals: dict[BioreactorCode, cp_model.IntVar] = {}
        for code, allowed in movable.options.items():
            literal = model.new_bool_var(f"on_{key}_{code}")
            literals[code] = literal
            if allowed != union:
                model.add_linear_expression_in_domain(start, allowed).only_enforce_if(literal)
            intervals.setdefault(code, []).append(
                model.new_optional_fixed_size_interval_var(
                    start, movable.length, literal, f"run_{key}_{code}"
                )
            )
        model.add_exactly_one(literals.values())
        present[key] = literals
        moved = model.new_bool_var(f"moved_{key}")
        stay = literals.get(movable.origin)
        if stay is None or not union.contains(movable.origin_day):
            model.add(moved == 1)
        else:
            model.add(start == movable.origin_day).only_enforce_if(~moved)
            model.add_implication(~moved, stay)
        moved_terms.append(moved)
        shift = model.new_int_var(0, span, f"shift_{key}")
        model.add_abs_equality(shift, start - movable.origin_day)
        shifted_terms.append(shift)
        if movable.due_end is not None:
            # A start after the due date itself is an edit the service refuses (validate_edit),
            # not merely a late campaign: keep each start on or before its due day.
            if movable.origin_day < movable.due_end:
                model.add(start <= movable.due_end - 1)
            late = model.new_int_var(0, span + movable.length, f"late_{key}")
            duration = movable.campaign.duration_days
            model.add(late >= start + duration - movable.due_end)
            late_terms.append(late)
        if hint is not None and _hintable(movable, hint.get(key)):
            code, day = hint[key]
            model.add_hint(start, day)
            for other, literal in literals.items():
                model.add_hint(literal, other == code)
    placed = [m for m in movables if m.campaign.id in starts]
    _add_sequences(model, instance, placed, starts, present, bounds, hint or {})
    for code, runs in intervals.items():
        # Redundant with the circuits and the start days allowed, but a strong propagator.
        for first, last in _whole_days(instance.blocks.get(code, [])):
            runs.append(model.new_fixed_size_interval_var(first, last - first, "kept"))
        if len(runs) > 1:
            model.add_no_overlap(runs)
    if schedule is not None:
        add_pools(model, schedule, instance, starts, present)
        add_needs(model, schedule, instance, starts, present)
    late_sum = cp_model.LinearExpr.sum(late_terms)
    moved_sum = cp_model.LinearExpr.sum(moved_terms)
    shifted_sum = cp_model.LinearExpr.sum(shifted_terms)
    model.minimize(weight_late * late_sum + weight_moved * moved_sum + weight_days * shifted_sum)
    return PlanModel(
        model,
        starts,
        present,
        late_sum,
        moved_sum,
        shifted_sum,
        (weight_late, weight_moved, weight_days),
    )


def _hintable(movable: Movable, placed: tuple[BioreactorCode, int] | None) -> bool:
    """Whether the model can take ``placed``: not a campaign the greedy pass kept at its exact
    time of day where a whole day would not fit."""
    if placed is None:
        return False
    allowed = movable.options.get(placed[0])
    return allowed is not None and allowed.contains(placed[1])


def _whole_days(blocks: list[Block]) -> list[tuple[int, int]]:
    """The whole days ``blocks`` (in start order) touch, as spans that do not overlap: two
    campaigns that stay put back to back within a day (one ends at 19:00, the next starts then)
    share that day, and as two intervals they would make ``add_no_overlap`` infeasible."""
    spans: list[tuple[int, int]] = []
    for block in blocks:
        first, last = math.floor(block.start), math.ceil(block.end)
        if spans and first < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((first, last))
    return spans


def _add_sequences(
    model: cp_model.CpModel,
    instance: Instance,
    movables: list[Movable],
    starts: dict[CampaignId, cp_model.IntVar],
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]],
    bounds: dict[CampaignId, tuple[int, int]],
    hint: Assignment,
) -> None:
    """The order of everything on each bioreactor as a circuit: a depot, the blocks of what stays
    put (always there, in their own order) and the movable campaigns that may go there (skipped
    when they go elsewhere). An arc from one to the next is the gap rules' *predecessor*: the
    next one keeps its changeover from that one only, so a campaign two places back needs none,
    as in the engine."""
    longest = max((m.length for m in movables), default=0)
    most = max((max(row) for row in instance.need), default=0)
    for code, all_blocks in instance.blocks.items():
        here = [m for m in movables if code in present[m.campaign.id]]
        if not here:
            continue
        blocks = _near(all_blocks, instance.lowest, instance.highest + longest + most)
        if not blocks and len(here) < 2:
            continue
        count = len(blocks)
        holes = {m.campaign.id: _holes(blocks, m, code, instance) for m in here}
        arcs: list[tuple[int, int, cp_model.LiteralT]] = []
        if not blocks:
            arcs.append((0, 0, model.new_bool_var(f"idle_{code}")))
        else:
            chain = [0, *range(1, count + 1), 0]
            for tail, head in itertools.pairwise(chain):
                arcs.append((tail, head, model.new_bool_var(f"next_{code}_{tail}_{head}")))
        for number, movable in enumerate(here, start=count + 1):
            key = movable.campaign.id
            start = starts[key]
            on = present[key][code]
            arcs.append((number, number, ~on))
            arcs.append((0, number, model.new_bool_var(f"first_{code}_{key}")))
            arcs.append((number, 0, model.new_bool_var(f"last_{code}_{key}")))
            for k, block in enumerate(blocks, start=1):
                if k in holes[key]:  # the hole after block k
                    arc = model.new_bool_var(f"after_{code}_{k}_{key}")
                    earliest = earliest_after(block, movable.product, instance.need)
                    model.add(start >= earliest).only_enforce_if(arc)
                    arcs.append((k, number, arc))
                if k - 1 in holes[key]:  # the hole before block k
                    arc = model.new_bool_var(f"before_{code}_{k}_{key}")
                    latest = latest_end_before(block, movable.product, instance.need)
                    model.add(start + movable.length <= latest).only_enforce_if(arc)
                    arcs.append((number, k, arc))
        for i, first in enumerate(here, start=count + 1):
            for j, second in enumerate(here, start=count + 1):
                a, b = first.campaign.id, second.campaign.id
                if a == b or not holes[a] & holes[b]:
                    continue
                gap = first.length + instance.gap(first, second)
                if bounds[a][0] + gap > bounds[b][1]:
                    continue  # ``second`` can never start that long after ``first``
                arc = model.new_bool_var(f"{a}_then_{b}_{code}")
                model.add(starts[b] >= starts[a] + gap).only_enforce_if(arc)
                arcs.append((i, j, arc))
        model.add_circuit(arcs)
        _hint_order(model, code, blocks, here, hint, arcs)


def _hint_order(
    model: cp_model.CpModel,
    code: BioreactorCode,
    blocks: list[Block],
    here: list[Movable],
    hint: Assignment,
    arcs: list[tuple[int, int, cp_model.LiteralT]],
) -> None:
    """Hint the arcs of the order the hinted starts make, so the solver starts from a whole
    plan (a hint that leaves the order open is one it often cannot complete)."""
    if not hint:
        return
    items: list[tuple[float, int]] = [(b.start, k) for k, b in enumerate(blocks, start=1)]
    for number, movable in enumerate(here, start=len(blocks) + 1):
        placed = hint.get(movable.campaign.id)
        if placed is not None and placed[0] == code:
            items.append((placed[1], number))
    order = [0, *(node for _, node in sorted(items)), 0]
    chain = set(itertools.pairwise(order)) if len(order) > 2 else {(0, 0)}
    for tail, head, literal in arcs:
        if isinstance(literal, cp_model.IntVar) and (tail != head or tail == 0):
            model.add_hint(literal, (tail, head) in chain)


def _near(blocks: list[Block], lowest: int, top: int) -> list[Block]:
    """The blocks a campaign starting from ``lowest`` and ending by ``top`` can follow or precede:
    the last one starting before ``lowest`` and those starting before ``top``."""
    first = 0
    for index, block in enumerate(blocks):
        if block.start < lowest:
            first = index
    return [b for b in blocks[first:] if b.start < top]


def _holes(
    blocks: list[Block], movable: Movable, code: BioreactorCode, instance: Instance
) -> set[int]:
    """The holes (0 before the first block, k after block k) where ``movable`` has a start day
    allowed on ``code``."""
    allowed = movable.options[code]
    found = set()
    for k in range(len(blocks) + 1):
        low = math.ceil(blocks[k - 1].end) if k else instance.lowest
        high = math.floor(blocks[k].start) - movable.length if k < len(blocks) else instance.highest
        if low <= high and not allowed.intersection_with(Domain(low, high)).is_empty():
            found.add(k)
    return found
