"""What a rule reports: a conflict a planner can read and act on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn

from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


_FIELDS = ("kind", "severity", "campaigns", "site", "bioreactor", "start", "end", "message")


class Conflict:
    """One broken rule. ``kind`` is stable (``overlap``, ``changeover``, …); ``campaigns`` lists the
    campaign IDs involved, the offending one last; ``start``/``end`` are UTC.

    Immutable, compared and hashed by all eight fields like a frozen dataclass. A rule may pass
    ``describe`` instead of ``message``: formatting site-local dates costs more than finding the
    conflict, and a full check finds hundreds that nobody may read, so the text is written on
    first access (and kept)."""

    __slots__ = (
        "kind",
        "severity",
        "campaigns",
        "site",
        "bioreactor",
        "start",
        "end",
        "_message",
        "_describe",
    )
    __match_args__ = (
        "kind",
        "severity",
        "campaigns",
        "site",
        "bioreactor",
        "start",
        "end",
        "message",
    )

    kind: str
    severity: Severity
    campaigns: tuple[CampaignId, ...]
    site: SiteCode
    bioreactor: BioreactorCode
    start: datetime
    end: datetime
    _message: str | None
    _describe: Callable[[], str] | None

    def __init__(
        self,
        kind: str,
        severity: Severity,
        campaigns: tuple[CampaignId, ...],
        site: SiteCode,
        bioreactor: BioreactorCode,
        start: datetime,
        end: datetime,
        message: str | None = None,
        *,
        describe: Callable[[], str] | None = None,
    ) -> None:
        if (message is None) == (describe is None):
            raise TypeError("Conflict needs exactly one of message and describe")
        put = object.__setattr__
        put(self, "kind", kind)
        put(self, "severity", severity)
        put(self, "campaigns", campaigns)
        put(self, "site", site)
        put(self, "bioreactor", bioreactor)
        put(self, "start", start)
        put(self, "end", end)
        put(self, "_message", message)
        put(self, "_describe", describe)

    @property
    def message(self) -> str:
        """The plain-language text: what is wrong and what to do."""
        text = self._message
        if text is None:
            describe = self._describe
            assert describe is not None
            text = describe()
            object.__setattr__(self, "_message", text)
            object.__setattr__(self, "_describe", None)  # let go of what it held
        return text

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.kind,
            self.severity,
            self.campaigns,
            self.site,
            self.bioreactor,
            self.start,
            self.end,
            self.message,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Conflict)
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        pairs = zip(_FIELDS, self._fields(), strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"Conflict({shown})"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r}: a Conflict is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r}: a Conflict is immutable")

    def __reduce__(self) -> tuple[type[Conflict], tuple[Any, ...]]:
        return (Conflict, self._fields())

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
