"""Bioreactors: production vessels, N-1 seed bioreactors and downstream trains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scheduler_app.choices import parse_choice
from scheduler_app.ids import BioreactorCode, SuiteCode


class ReactorType(StrEnum):
    STAINLESS = "Stainless"
    SINGLE_USE = "Single-use"

    @classmethod
    def parse(cls, text: str) -> ReactorType:
        synonyms = {
            "ss": cls.STAINLESS,
            "steel": cls.STAINLESS,
            "stainlesssteel": cls.STAINLESS,
            "su": cls.SINGLE_USE,
            "sub": cls.SINGLE_USE,
            "singleusebioreactor": cls.SINGLE_USE,
            "disposable": cls.SINGLE_USE,
        }
        return parse_choice(cls, text, synonyms, "bioreactor type", "Stainless or Single-use")


class EquipmentRole(StrEnum):
    """What a unit does: campaigns are booked only on production bioreactors; seed bioreactors
    and downstream trains are shared resources the process rules count."""

    PRODUCTION = "Production"
    SEED = "Seed"
    DOWNSTREAM = "Downstream"

    @classmethod
    def parse(cls, text: str) -> EquipmentRole:
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
        use = "Production, Seed or Downstream"
        return parse_choice(cls, text, synonyms, "role", use, blank=cls.PRODUCTION)


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
