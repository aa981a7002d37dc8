"""Bioreactors: production vessels, N-1 seed bioreactors and downstream trains."""

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


class EquipmentRole(StrEnum):
    """What a unit does: campaigns are booked only on production bioreactors; seed bioreactors
    and downstream trains are shared resources the process rules count."""

    PRODUCTION = "Production"
    SEED = "Seed"
    DOWNSTREAM = "Downstream"

    @classmethod
    def parse(cls, text: str) -> EquipmentRole:
        key = "".join(ch for ch in text.lower() if ch.isalnum())
        if not key:
            return cls.PRODUCTION
        for member in cls:
            if key == member.value.lower():
                return member
        synonyms = {
            "prod": cls.PRODUCTION,
            "main": cls.PRODUCTION,
            "n1": cls.SEED,
            "n1seed": cls.SEED,
            "seedbioreactor": cls.SEED,
            "inoculum": cls.SEED,
            "dsp": cls.DOWNSTREAM,
            "purification": cls.DOWNSTREAM,
            "downstreamtrain": cls.DOWNSTREAM,
            "purificationtrain": cls.DOWNSTREAM,
        }
        if key in synonyms:
            return synonyms[key]
        raise ValueError(f"unknown role {text!r} (use Production, Seed or Downstream)")


@dataclass(frozen=True, slots=True)
class Bioreactor:
    """A vessel or train; its code is unique across sites (e.g. ``SYR-BR501``, ``SYR-N1-01``).
    ``serves`` lists the suites or production bioreactors a seed or downstream unit serves
    (empty: its own suite); a production bioreactor leaves it empty."""

    code: BioreactorCode
    suite: SuiteCode
    working_volume_l: int
    reactor_type: ReactorType = ReactorType.STAINLESS
    available_from: date | None = None
    role: EquipmentRole = EquipmentRole.PRODUCTION
    serves: tuple[str, ...] = ()

    @property
    def is_production(self) -> bool:
        return self.role is EquipmentRole.PRODUCTION
