"""Sites and the GMP suites inside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler_app.ids import SiteCode, SuiteCode


@dataclass(frozen=True, slots=True)
class Site:
    """A manufacturing site with its own IANA time zone and the date it may first run batches."""

    code: SiteCode
    name: str
    time_zone: str
    available_from: date | None = None


@dataclass(frozen=True, slots=True)
class Suite:
    """A GMP manufacturing suite inside a site; holds bioreactors."""

    code: SuiteCode
    site: SiteCode
    name: str = ""
