"""Where rules put what they find for one lane, and the memo that keeps re-checking cheap.

Building a :class:`Conflict` (its times, its sort key) costs more than deciding it, and a real plan
holds thousands; its message, which formats site-local dates and costs most, is written only when
read (``describe``). The rules decide every conflict afresh on every check, but when the
inputs of a conflict (campaigns, products, bioreactor, site, window: all immutable) equal those of
the same conflict at the lane's previous check, the conflict built then is the one that would be
built now, so it is reused instead of rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import total_ordering

import numpy as np
from numpy.typing import NDArray

from scheduler_app.rules.conflict import Conflict


@total_ordering
class ByMessage:
    """The last part of a sort key: a conflict ordered by its message. Two conflicts with the same
    start, bioreactor, kind, campaigns and end are rare, so only they pay for writing messages."""

    __slots__ = ("conflict",)

    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ByMessage):
            return NotImplemented
        return self.conflict is other.conflict or self.conflict.message == other.conflict.message

    def __lt__(self, other: ByMessage) -> bool:
        return self.conflict.message < other.conflict.message

    def __hash__(self) -> int:
        return hash(self.conflict.message)

    def __repr__(self) -> str:
        return f"ByMessage({self.conflict.message!r})"


SortKey = tuple[float, str, str, tuple[str, ...], float, ByMessage]
Item = tuple[SortKey, Conflict]
Entry = tuple[tuple[object, ...], Item]
KindMemo = dict[Hashable, Entry]
Memo = dict[str, KindMemo]

_NOTHING: KindMemo = {}


def sort_key(conflict: Conflict) -> SortKey:
    """The engine's total order: start, bioreactor, kind, then the rest to break ties."""
    return (
        conflict.start.timestamp(),
        conflict.bioreactor,
        conflict.kind,
        conflict.campaigns,
        conflict.end.timestamp(),
        ByMessage(conflict),
    )


def item(conflict: Conflict) -> Item:
    return (sort_key(conflict), conflict)


def item_at(conflict: Conflict, start: float, end: float) -> Item:
    """:func:`item` for a rule that knows the conflict's start and end as epoch seconds (the very
    values ``start.timestamp()`` and ``end.timestamp()`` give), saving the conversions."""
    # The slots behind the read-only properties: this runs once per conflict a check builds.
    return (
        (
            start,
            conflict._bioreactor,
            conflict._kind,
            conflict._campaigns,
            end,
            ByMessage(conflict),
        ),
        conflict,
    )


class Findings:
    """Collects ``(sort key, conflict)`` items for one lane.

    ``focus`` (a mask over the lane's rows) restricts the findings to conflicts involving those
    rows: what a drag preview asks. ``previous`` is the memo of the lane's last check."""

    def __init__(self, previous: Memo | None = None, focus: NDArray[np.bool_] | None = None):
        self.items: list[Item] = []
        self.memo: Memo = {}
        self.focus = focus
        self._previous: Memo = previous if previous is not None else {}

    def memos(self, kind: str) -> tuple[KindMemo, KindMemo]:
        """The previous check's memo of one kind (read it) and this check's (fill it). Hot rules
        use these directly: an entry is ``(inputs, item)``, reusable when the inputs are equal."""
        after = self.memo.setdefault(kind, {})
        return self._previous.get(kind, _NOTHING), after

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

    def add(
        self, kind: str, key: Hashable, inputs: tuple[object, ...], build: Callable[[], Conflict]
    ) -> None:
        """Report conflict ``key`` of ``kind``; ``build`` makes it unless it can be reused."""
        before, after = self.memos(kind)
        hit = before.get(key)
        if hit is None or hit[0] != inputs:
            hit = (inputs, item(build()))
        after[key] = hit
        self.items.append(hit[1])
