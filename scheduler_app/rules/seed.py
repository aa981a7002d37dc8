"""``seed`` (error): at some moment more batches need seed occupancy — the product's seed days
before each batch starts — from the N-1 seed bioreactors serving their production bioreactors
than there are such seed bioreactors available (each has its own availability and maintenance).
The scope is a pool of shared seed bioreactors (see ``pools.py``)."""

from __future__ import annotations

from scheduler_app.rules.conflict import Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.pools import Pool
from scheduler_app.rules.protocol import Rule, Scope
from scheduler_app.rules.sharing import bound, report_overbooking

KIND = "seed"
SEVERITY = Severity.ERROR


def find(pool: Pool, found: Findings) -> None:
    report_overbooking(pool, found, KIND, SEVERITY)


RULE = Rule(KIND, SEVERITY, Scope.SEED, find, bound)
