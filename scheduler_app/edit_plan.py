"""What the service is asked to write, before it is written: an ``EditPlan``, and the plans that
undo and redo a ``ChangeSet``.

A normal action expects each campaign at the version the service holds; an undo or redo
(``replay``) expects the content the change wrote (or found), whatever its version, and is
refused when the database holds anything else, so it never overwrites another planner's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.change_set import ChangeSet, MasterChange, Matrix, Source
from scheduler_app.errors import ReasonRequiredError
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule

Pair = tuple[Campaign | None, Campaign | None]
WindowPair = tuple[MaintenanceWindow | None, MaintenanceWindow | None]

REQUIRE_REASON_KEY = "require_reason"
"""The setting (settings table) that makes every change ask for a reason."""

# Master data is removed child first and added parent first.
MASTER_ORDER = ("site", "suite", "bioreactor", "product")


@dataclass
class EditPlan:
    """One action to write. ``pairs`` are ``(expected | None, after | None)``; ``windows`` is
    ``(expected, new)`` when the maintenance list is replaced; ``settings`` are ``(key, old,
    new)`` rows of the settings table. ``check_edits`` applies the full edit validation (lock
    rule, due before start) rather than only the references and counts; ``reasoned`` applies
    the reason rule."""

    action: str
    description: str
    pairs: list[Pair]
    source: Source
    master: list[MasterChange] = field(default_factory=list)
    windows: tuple[Sequence[MaintenanceWindow], Sequence[MaintenanceWindow]] | None = None
    columns: list[str] | None = None
    changeovers: tuple[Matrix, Matrix] | None = None
    """``(expected, new)`` when the changeover matrix is replaced."""
    settings: list[tuple[str, str | None, str]] = field(default_factory=list)
    lookup: Schedule | None = None
    check_edits: bool = True
    reasoned: bool = True
    replay: str | None = None
    """``"undo"`` or ``"redo"``: compare content with the database, not versions."""
    window_pairs: list[WindowPair] = field(default_factory=list)
    """Single maintenance windows ``(expected | None, after | None)``, each checked against its
    own row version (two planners can edit different windows at once)."""
    strict_master: bool = False
    """A master-data row the database still refers to is refused (nothing written), not kept
    silently as an import keeps it."""


def replay_plan(change_set: ChangeSet, backwards: bool, source: Source) -> EditPlan:
    """The plan that takes the database from what ``change_set`` wrote back to what it found
    (``backwards``), or from what it found to what it wrote again."""

    def flip(before: object, after: object) -> tuple[object, object]:
        return (after, before) if backwards else (before, after)

    pairs: list[Pair] = []
    for change in change_set.changes:
        expected, target = flip(change.before, change.after)
        pairs.append((expected, target))  # type: ignore[arg-type]
    master = []
    for item in change_set.master:
        expected, target = flip(item.before, item.after)
        master.append(MasterChange(item.kind, expected, target))
    windows = None
    if change_set.maintenance_before is not None and change_set.maintenance_after is not None:
        old, new = change_set.maintenance_before, change_set.maintenance_after
        windows = (new, old) if backwards else (old, new)
    columns = None
    if change_set.extra_columns is not None:
        old_columns, new_columns = change_set.extra_columns
        columns = list(old_columns if backwards else new_columns)
    changeovers = None
    if change_set.changeovers is not None:
        old_matrix, new_matrix = change_set.changeovers
        changeovers = (new_matrix, old_matrix) if backwards else (old_matrix, new_matrix)
    window_pairs: list[WindowPair] = [
        (after, before) if backwards else (before, after)
        for before, after in change_set.window_changes
    ]
    verb = "undo" if backwards else "redo"
    description = f"Undo {change_set.description}" if backwards else change_set.description
    return EditPlan(
        verb,
        description,
        pairs,
        source,
        master=master,
        windows=windows,
        columns=columns,
        changeovers=changeovers,
        window_pairs=window_pairs,
        check_edits=False,
        # The change was given a reason when it needed one; its undo and redo carry it.
        reasoned=False,
        replay=verb,
    )


def reason_problem(
    pairs: Sequence[Pair], reason: str | None, require_always: bool
) -> ReasonRequiredError | None:
    """The refusal when a reason is needed and none was given: a campaign that is Confirmed is
    moved, edited or deleted, or the schedule requires a reason for every change."""
    if reason is not None and reason.strip():
        return None
    if require_always and pairs:
        return ReasonRequiredError(
            "This schedule requires a reason for every change; give one and try again."
        )
    confirmed = sorted(
        {
            before.id
            for before, _ in pairs
            if before is not None and before.status is Status.CONFIRMED
        }
    )
    if not confirmed:
        return None
    names = ", ".join(confirmed[:5]) + (
        f" and {len(confirmed) - 5} more" if len(confirmed) > 5 else ""
    )
    verb = "is" if len(confirmed) == 1 else "are"
    return ReasonRequiredError(
        f"{names} {verb} Confirmed: a change needs a reason (who asked, and why); nothing was "
        "changed."
    )
