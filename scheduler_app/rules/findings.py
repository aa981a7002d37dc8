"""Where rules put what they find for one lane, in the order the engine lists conflicts.

Building a :class:`Conflict` (its message formats site-local dates) costs more than deciding it, and
a real plan holds thousands. The rules decide every conflict afresh on every check, but when all the
inputs of a conflict (campaigns, products, bioreactor, site, window) are the very same immutable
objects as at the lane's previous check, the conflict built then is equal to the one that would be
built now, so it is reused instead of rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import is_

import numpy as np
from numpy.typing import NDArray

from scheduler_app.rules.conflict import Conflict

SortKey = tuple[float, str, str, tuple[str, ...], float, str]
Entry = tuple[tuple[object, ...], SortKey, Conflict]
Memo = dict[Hashable, Entry]


def sort_key(conflict: Conflict) -> SortKey:
    """The engine's total order: start, bioreactor, kind, then the rest to break ties."""
    return (
        conflict.start.timestamp(),
        conflict.bioreactor,
        conflict.kind,
        conflict.campaigns,
        conflict.end.timestamp(),
        conflict.message,
    )


class Findings:
    """Collects ``(sort key, conflict)`` pairs for one lane.

    ``focus`` (a mask over the lane's rows) restricts the findings to conflicts involving those
    rows: what a drag preview asks. ``previous`` is the memo of the lane's last check."""

    def __init__(self, previous: Memo | None = None, focus: NDArray[np.bool_] | None = None):
        self.items: list[tuple[SortKey, Conflict]] = []
        self.memo: Memo = {}
        self.focus = focus
        self._previous: Memo = previous if previous is not None else {}

    def narrow(self, rows: NDArray[np.intp]) -> NDArray[np.intp]:
        """The rows a single-campaign rule should report on."""
        return rows if self.focus is None else rows[self.focus[rows]]

    def narrow_pairs(
        self, later: NDArray[np.intp], earlier: NDArray[np.intp]
    ) -> NDArray[np.bool_] | None:
        """A mask of the pairs a pair rule should report on, or ``None`` for all."""
        if self.focus is None:
            return None
        return self.focus[later] | self.focus[earlier]

    def add(self, key: Hashable, inputs: tuple[object, ...], build: Callable[[], Conflict]) -> None:
        """Report the conflict ``key``; ``build`` makes it unless an identical one can be reused."""
        hit = self._previous.get(key)
        if hit is None or len(hit[0]) != len(inputs) or not all(map(is_, hit[0], inputs)):
            conflict = build()
            hit = (inputs, sort_key(conflict), conflict)
        self.memo[key] = hit
        self.items.append((hit[1], hit[2]))
