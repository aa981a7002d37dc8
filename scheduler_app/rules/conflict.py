"""What a rule reports: a conflict a planner can read and act on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Conflict:
    """One broken rule. ``kind`` is stable (``overlap``, ``changeover``, …); ``campaigns`` lists the
    campaign IDs involved, the offending one last; ``start``/``end`` are UTC.

    Immutable (read-only fields), compared and hashed by all eight fields like a frozen dataclass.
    A rule may pass ``describe`` instead of ``message``: formatting site-local dates costs more than
    finding the conflict, and a full check finds hundreds that nobody may read, so the text is
    written on first access and kept. Fields are read-only properties over private slots because a
    frozen class's ``__setattr__`` makes construction, which a full check does hundreds of times,
    several times slower."""

    __slots__ = (
        "_kind",
        "_severity",
        "_campaigns",
        "_site",
        "_bioreactor",
        "_start",
        "_end",
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
        self._kind = kind
        self._severity = severity
        self._campaigns = campaigns
        self._site = site
        self._bioreactor = bioreactor
        self._start = start
        self._end = end
        self._message = message
        self._describe = describe

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def severity(self) -> Severity:
        return self._severity

    @property
    def campaigns(self) -> tuple[CampaignId, ...]:
        return self._campaigns

    @property
    def site(self) -> SiteCode:
        return self._site

    @property
    def bioreactor(self) -> BioreactorCode:
        return self._bioreactor

    @property
    def start(self) -> datetime:
        return self._start

    @property
    def end(self) -> datetime:
        return self._end

    @property
    def message(self) -> str:
        """The plain-language text: what is wrong and what to do."""
        text = self._message
        if text is None:
            describe = self._describe
            assert describe is not None
            text = self._message = describe()
            self._describe = None  # let go of what it held
        return text

    def _fields(self) -> tuple[Any, ...]:
        return (
            self._kind,
            self._severity,
            self._campaigns,
            self._site,
            self._bioreactor,
            self._start,
            self._end,
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
        pairs = zip(self.__match_args__, self._fields(), strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"Conflict({shown})"

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
