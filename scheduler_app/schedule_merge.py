"""How an incoming schedule (an import, the demo) lays over the one held: which master data to
upsert, which campaigns to add, change or delete, and whether the maintenance windows and the
extra-column order change. Pure: nothing is written here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from scheduler_app import campaign_edits as edits
from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import same_content
from scheduler_app.ids import ProductCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule

Pair = tuple[Campaign | None, Campaign | None]

MASTER_KINDS = (
    ("site", "sites"),
    ("suite", "suites"),
    ("bioreactor", "bioreactors"),
    ("product", "products"),
)


@dataclass(frozen=True)
class Merge:
    """``merged`` is the held master data with the incoming laid over it (what the incoming
    campaigns must refer to); ``master`` lists ``(kind, old or None, new)`` to upsert; ``pairs``
    the campaigns ``(held or None, incoming or None)``; ``windows`` the new maintenance list, or
    None when it is unchanged; ``changeovers`` the new changeover matrix, or None when it is
    unchanged."""

    merged: Schedule
    master: list[tuple[str, Any, Any]]
    pairs: list[Pair]
    windows: list[MaintenanceWindow] | None
    columns: list[str]
    changeovers: dict[tuple[ProductCode, ProductCode], int] | None = None

    def summary(self) -> str:
        """``3 changed, 1 added``, ``1 deleted`` or ``no campaign changes``."""
        counts = [
            (sum(1 for b, a in self.pairs if b is not None and a is not None), "changed"),
            (sum(1 for b, _ in self.pairs if b is None), "added"),
            (sum(1 for _, a in self.pairs if a is None), "deleted"),
        ]
        shown = [f"{count} {word}" for count, word in counts if count]
        return ", ".join(shown) or "no campaign changes"


def merge_schedule(
    held: Schedule, incoming: Schedule, delete_missing: bool, prune_master: bool = False
) -> Merge:
    """Campaigns are matched by ID and compared without their versions (unchanged ones are
    skipped); those missing from ``incoming`` are deleted only with ``delete_missing``. With
    ``prune_master`` (the demo replacing a schedule) sites, suites, bioreactors and products
    missing from ``incoming`` are removed too (``(kind, old, None)``). Raises ``NotFoundError``
    when incoming master data refers to something unknown."""
    merged = held.copy()
    master: list[tuple[str, Any, Any]] = []
    for kind, attribute in MASTER_KINDS:
        current, wanted = getattr(held, attribute), getattr(incoming, attribute)
        getattr(merged, attribute).update(wanted)
        master += [(kind, current.get(k), v) for k, v in wanted.items() if current.get(k) != v]
        if prune_master:
            master += [(kind, old, None) for k, old in current.items() if k not in wanted]
    edits.validate_master(merged, incoming)
    pairs: list[Pair] = []
    for key, new in incoming.campaigns.items():
        old = held.campaigns.get(key)
        if old is None:
            pairs.append((None, dataclasses.replace(new, version=1)))
        elif not same_content(new, old):
            pairs.append((old, new))
    if delete_missing:
        pairs += [
            (old, None) for key, old in held.campaigns.items() if key not in incoming.campaigns
        ]
    windows = None
    old_windows = sorted(map(edits.window_key, held.maintenance))
    if old_windows != sorted(map(edits.window_key, incoming.maintenance)):
        windows = list(incoming.maintenance)
    columns = list(dict.fromkeys([*incoming.extra_columns, *held.extra_columns]))
    matrix = None
    if incoming.changeovers != held.changeovers:
        matrix = dict(incoming.changeovers)
        merged.changeovers = dict(matrix)
        edits.validate_changeovers(merged)
    return Merge(merged, master, pairs, windows, columns, matrix)
