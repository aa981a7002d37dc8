"""What a rule reports: a conflict a planner can read and act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Conflict:
    """One broken rule. ``kind`` is stable (``overlap``, ``changeover``, …); ``campaigns`` lists the
    campaign IDs involved, the offending one last; ``start``/``end`` are UTC."""

    kind: str
    severity: Severity
    campaigns: tuple[CampaignId, ...]
    site: SiteCode
    bioreactor: BioreactorCode
    start: datetime
    end: datetime
    message: str

    def as_json(self) -> dict[str, object]:
        """The shape ``check --json`` prints, times in ISO 8601 UTC."""
        return {
            "kind": self.kind,
            "severity": self.severity.value,
            "campaigns": list(self.campaigns),
            "site": self.site,
            "bioreactor": self.bioreactor,
            "start": _iso_utc(self.start),
            "end": _iso_utc(self.end),
            "message": self.message,
        }


def _iso_utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
