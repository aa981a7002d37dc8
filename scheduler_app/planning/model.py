"""The CP-SAT model of a window (OR-Tools): one start day per movable campaign, one presence
literal per allowed bioreactor, the fixed campaigns and maintenance as forbidden start days
(``window.py``), and pairwise order literals that keep the gap two movable campaigns need when
they share a bioreactor. The objective ranks days late over campaigns moved over days moved."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.planning.greedy import Assignment
from scheduler_app.planning.pools_model import add_needs, add_pools
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
        if hint is not None and key in hint:
            code, day = hint[key]
            model.add_hint(start, day)
            for other, literal in literals.items():
                model.add_hint(literal, other == code)
    for runs in intervals.values():
        if len(runs) > 1:
            model.add_no_overlap(runs)
    placed = [m for m in movables if m.campaign.id in starts]
    _add_gaps(model, instance, placed, starts, present, bounds)
    if schedule is not None:
        add_pools(model, schedule, instance, starts, present)
        add_needs(model, schedule, instance, starts)
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


def _add_gaps(
    model: cp_model.CpModel,
    instance: Instance,
    movables: list[Movable],
    starts: dict[CampaignId, cp_model.IntVar],
    present: dict[CampaignId, dict[BioreactorCode, cp_model.IntVar]],
    bounds: dict[CampaignId, tuple[int, int]],
) -> None:
    """Two movable campaigns on one bioreactor: one goes first and the other keeps its gap. One
    order literal per pair serves every bioreactor they share."""
    for index, first in enumerate(movables):
        a = first.campaign.id
        for second in movables[index + 1 :]:
            b = second.campaign.id
            shared = present[a].keys() & present[b].keys()
            if not shared:
                continue
            (a_lo, a_hi), (b_lo, b_hi) = bounds[a], bounds[b]
            a_first = instance.gap(first, second)
            b_first = instance.gap(second, first)
            if a_hi + first.length + a_first <= b_lo or b_hi + second.length + b_first <= a_lo:
                continue  # their possible starts are too far apart to ever meet
            order = model.new_bool_var(f"{a}_before_{b}")
            for code in shared:
                both = [present[a][code], present[b][code]]
                model.add(starts[b] >= starts[a] + first.length + a_first).only_enforce_if(
                    [order, *both]
                )
                model.add(starts[a] >= starts[b] + second.length + b_first).only_enforce_if(
                    [~order, *both]
                )
