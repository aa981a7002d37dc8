"""Maintenance windows: periods when a bioreactor, a suite or a whole site is down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """Half-open ``[start, end)`` in UTC. No suite and no bioreactor means the whole site."""

    site: SiteCode
    start: datetime
    end: datetime
    reason: str
    suite: SuiteCode | None = None
    bioreactor: BioreactorCode | None = None
    id: int | None = None
    version: int = 1

    @property
    def scope(self) -> str:
        if self.bioreactor:
            return f"bioreactor {self.bioreactor}"
        if self.suite:
            return f"suite {self.suite}"
        return f"site {self.site}"
