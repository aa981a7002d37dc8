"""``changeover`` (error): a campaign follows one of a different product too soon.

"Follows" means: its predecessor on the bioreactor is the latest-ending campaign that started
before it (see :class:`~scheduler_app.rules.lane.Lane`); a campaign that overlaps its predecessor is
reported as ``overlap`` instead. The gap must be at least the larger of the two products'
changeover days, counted on the site's calendar.
"""

from __future__ import annotations

from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.gaps import gap_bound, report_short_gaps
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.protocol import Rule, Scope

KIND = "changeover"
SEVERITY = Severity.ERROR


def find(lane: Lane, found: Findings) -> None:
    report_short_gaps(lane, found, KIND, SEVERITY, same_product=False)


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find, gap_bound)
