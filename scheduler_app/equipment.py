"""Production bioreactors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scheduler_app.ids import BioreactorCode, SuiteCode


class ReactorType(StrEnum):
    STAINLESS = "Stainless"
    SINGLE_USE = "Single-use"

    @classmethod
    def parse(cls, text: str) -> ReactorType:
        key = "".join(ch for ch in text.lower() if ch.isalnum())
        for member in cls:
            if key == "".join(ch for ch in member.value.lower() if ch.isalnum()):
                return member
        if key in {"ss", "steel", "stainlesssteel"}:
            return cls.STAINLESS
        if key in {"su", "sub", "singleusebioreactor", "disposable"}:
            return cls.SINGLE_USE
        raise ValueError(f"unknown bioreactor type {text!r} (use Stainless or Single-use)")


@dataclass(frozen=True, slots=True)
class Bioreactor:
    """A production vessel; its code is unique across sites (e.g. ``SYR-BR501``)."""

    code: BioreactorCode
    suite: SuiteCode
    working_volume_l: int
    reactor_type: ReactorType = ReactorType.STAINLESS
    available_from: date | None = None
