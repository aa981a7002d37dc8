"""What a rule is: a kind, a severity, a scope and a find function (plus, optionally, a bound).

The engine owns everything around a rule: grouping campaigns into scopes, the memo that keeps
re-checking cheap, the focus of a drag preview and which scopes a change touches. A rule only
looks at the plain arrays of one scope and reports to :class:`Findings`. Scopes:

- ``BIOREACTOR``: one production bioreactor's :class:`~scheduler_app.rules.lane.Lane`.
- ``SEED`` / ``DOWNSTREAM``: a :class:`~scheduler_app.rules.pools.Pool`, the seed bioreactors or
  downstream trains that serve a set of production bioreactors, with the batches that need them.
- ``LINK``: :class:`~scheduler_app.rules.links.Links`, campaigns that need another campaign.

``bound`` answers :meth:`ConflictEngine.next_start_after` for the rule: given a hypothetical
placement the rule objects to, the earliest later start the rule could accept (no start strictly
between is acceptable to it), or ``None`` when no later start on that bioreactor is. A rule
without one gets the default: one site-local day later, which is exact for starts at local
midnights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from scheduler_app.rules.conflict import Severity

if TYPE_CHECKING:
    from scheduler_app.campaigns import Campaign
    from scheduler_app.rules.findings import Findings
    from scheduler_app.rules.lane import Lane
    from scheduler_app.rules.links import Links
    from scheduler_app.rules.pools import Pool


class Scope(StrEnum):
    """What one decision of a rule looks at."""

    BIOREACTOR = "bioreactor"
    SEED = "seed"
    DOWNSTREAM = "downstream"
    LINK = "link"


S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Probe:
    """A hypothetical placement asked about by :meth:`ConflictEngine.next_start_after`: the
    campaign at ``row`` of its bioreactor's hypothetical ``lane``; ``pool`` or ``links`` for
    rules of those scopes (holding the hypothetical campaign)."""

    campaign: Campaign
    lane: Lane
    row: int
    pool: Pool | None = None
    links: Links | None = None


@dataclass(frozen=True, slots=True)
class Rule(Generic[S]):
    """One conflict rule. ``find(scope, found)`` reports the scope's conflicts of ``kind``;
    ``bound(probe)`` (error rules) says how far a campaign it objects to must move."""

    kind: str
    severity: Severity
    scope: Scope
    find: Callable[[S, Findings], None]
    bound: Callable[[Probe], float | None] | None = None


AnyRule = Rule[Any]
