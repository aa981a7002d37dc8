"""``turnaround`` (warning): a campaign follows one of the same product sooner than the product's
turnaround days (cleaning, CIP/SIP), counted on the site's calendar. "Follows" is as for
changeover: the latest-ending earlier campaign, and an overlap is reported as ``overlap`` only.
"""

from __future__ import annotations

from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.gaps import report_short_gaps
from scheduler_app.rules.lane import Lane
from scheduler_app.rules.protocol import Rule, Scope

KIND = "turnaround"
SEVERITY = Severity.WARNING


def find(lane: Lane, found: Findings) -> None:
    report_short_gaps(lane, found, KIND, SEVERITY, same_product=True)


RULE = Rule(KIND, SEVERITY, Scope.BIOREACTOR, find)
