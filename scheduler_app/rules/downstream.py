"""``downstream`` (error): at some moment more harvests — the product's harvest days from each
batch's end — need the downstream (purification) trains serving their production bioreactors than
there are such trains available (each has its own availability and maintenance). The scope is a
pool of shared downstream trains (see ``pools.py``)."""

from __future__ import annotations

from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.pools import Pool
from scheduler_app.rules.protocol import Rule, Scope
from scheduler_app.rules.sharing import bound, report_overbooking

KIND = "downstream"
SEVERITY = Severity.ERROR


def find(pool: Pool, found: Findings) -> None:
    report_overbooking(pool, found, KIND, SEVERITY)


RULE = Rule(KIND, SEVERITY, Scope.DOWNSTREAM, find, bound)
