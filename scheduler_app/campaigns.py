"""Campaigns: N consecutive batches of one product on one bioreactor."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum

from scheduler_app.choices import one_of, parse_choice
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import add_local_days

ExtraValue = str | int | float | bool | datetime | None


class Status(StrEnum):
    PLANNED = "Planned"
    TENTATIVE = "Tentative"
    CONFIRMED = "Confirmed"
    IN_PROGRESS = "In progress"
    COMPLETE = "Complete"
    CANCELLED = "Cancelled"

    @property
    def locked(self) -> bool:
        """In progress and Complete campaigns cannot be dragged or resized."""
        return self in (Status.IN_PROGRESS, Status.COMPLETE)

    @classmethod
    def parse(cls, text: str) -> Status:
        """A status typed in any case, with or without spaces, hyphens or underscores."""
        synonyms = {
            "canceled": cls.CANCELLED,
            "completed": cls.COMPLETE,
            "done": cls.COMPLETE,
            "inprogres": cls.IN_PROGRESS,
            "running": cls.IN_PROGRESS,
            "started": cls.IN_PROGRESS,
        }
        return parse_choice(cls, text, synonyms, "status", one_of(cls))


class Purpose(StrEnum):
    """Why a campaign runs; a new site ramps Engineering → PPQ → Commercial."""

    ENGINEERING = "Engineering"
    PPQ = "PPQ"
    CLINICAL = "Clinical"
    COMMERCIAL = "Commercial"

    @property
    def tag(self) -> str:
        """The short tag the timeline shows on a block (blank for Commercial, the usual case)."""
        return _PURPOSE_TAGS[self]

    @classmethod
    def parse(cls, text: str) -> Purpose:
        """A purpose in any case; blank is Commercial (the default of older workbooks)."""
        synonyms = {
            "eng": cls.ENGINEERING,
            "engineeringrun": cls.ENGINEERING,
            "processperformancequalification": cls.PPQ,
            "validation": cls.PPQ,
            "cln": cls.CLINICAL,
            "clinic": cls.CLINICAL,
            "gmpclinical": cls.CLINICAL,
            "com": cls.COMMERCIAL,
            "comm": cls.COMMERCIAL,
        }
        return parse_choice(cls, text, synonyms, "purpose", one_of(cls), blank=cls.COMMERCIAL)


_PURPOSE_TAGS = {
    Purpose.ENGINEERING: "ENG",
    Purpose.PPQ: "PPQ",
    Purpose.CLINICAL: "CLN",
    Purpose.COMMERCIAL: "",
}


@dataclass(frozen=True, slots=True)
class Campaign:
    """Immutable: an edit makes a new ``Campaign`` (``dataclasses.replace``), which keeps undo and
    change sets simple. ``extra`` holds columns operations added in Excel, in their order.
    ``needs`` names the campaign whose output this one consumes; it may start ``lag_days`` (QC
    release) after that one ends."""

    id: CampaignId
    product: ProductCode
    bioreactor: BioreactorCode
    start: datetime
    batches: int
    batch_days: int
    turnaround_days: int
    status: Status = Status.PLANNED
    due: date | None = None
    notes: str = ""
    extra: tuple[tuple[str, ExtraValue], ...] = field(default=())
    version: int = 1
    purpose: Purpose = Purpose.COMMERCIAL
    needs: CampaignId | None = None
    lag_days: int = 0

    @property
    def duration_days(self) -> int:
        """Site-local days the bioreactor is occupied: batches plus the turnarounds between them."""
        return self.batches * self.batch_days + (self.batches - 1) * self.turnaround_days

    def end_in(self, tz_name: str) -> datetime:
        """End of the last batch, counting days on the wall clock of ``tz_name``."""
        return add_local_days(self.start, self.duration_days, tz_name)

    def batch_intervals(self, tz_name: str) -> list[tuple[datetime, datetime]]:
        """``[start, end)`` of each batch, in UTC."""
        step = self.batch_days + self.turnaround_days
        out = []
        for index in range(self.batches):
            begin = add_local_days(self.start, index * step, tz_name)
            out.append((begin, add_local_days(begin, self.batch_days, tz_name)))
        return out

    def extra_value(self, column: str) -> ExtraValue:
        for name, value in self.extra:
            if name == column:
                return value
        return None


CAMPAIGN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Campaign))
"""Every field of a campaign, in declaration order (what storage reads and writes)."""

EDITABLE_FIELDS: tuple[str, ...] = tuple(n for n in CAMPAIGN_FIELDS if n not in ("id", "version"))
"""The fields a planner may change; ``id`` is stable and ``version`` belongs to storage."""


class _Filling:
    """Campaign's slot layout without the frozen ``__setattr__``. :func:`campaign_of` fills one
    with plain attribute stores and then makes it a :class:`Campaign` (the layouts match, so
    ``__class__`` may be assigned): 0.25 µs against 2 µs for the frozen ``__init__``'s one
    ``object.__setattr__`` per field, which was most of loading 100,000 campaigns."""

    __slots__ = CAMPAIGN_FIELDS
    id: CampaignId
    product: ProductCode
    bioreactor: BioreactorCode
    start: datetime
    batches: int
    batch_days: int
    turnaround_days: int
    status: Status
    due: date | None
    notes: str
    extra: tuple[tuple[str, ExtraValue], ...]
    version: int
    purpose: Purpose
    needs: CampaignId | None
    lag_days: int


def campaign_of(
    id: CampaignId,
    product: ProductCode,
    bioreactor: BioreactorCode,
    start: datetime,
    batches: int,
    batch_days: int,
    turnaround_days: int,
    status: Status,
    due: date | None,
    notes: str,
    extra: tuple[tuple[str, ExtraValue], ...],
    version: int,
    purpose: Purpose,
    needs: CampaignId | None,
    lag_days: int,
) -> Campaign:
    """``Campaign(...)`` with every field given, in declaration order, built faster (storage's
    bulk load). The result is an ordinary frozen Campaign: equal, hashed and immutable alike."""
    made = _Filling.__new__(_Filling)
    made.id = id
    made.product = product
    made.bioreactor = bioreactor
    made.start = start
    made.batches = batches
    made.batch_days = batch_days
    made.turnaround_days = turnaround_days
    made.status = status
    made.due = due
    made.notes = notes
    made.extra = extra
    made.version = version
    made.purpose = purpose
    made.needs = needs
    made.lag_days = lag_days
    made.__class__ = Campaign  # type: ignore[assignment]
    return made  # type: ignore[return-value]  # a Campaign since the line above
