"""Client programmes (products) and what the plant must know to schedule them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler_app.ids import ProductCode, SiteCode


@dataclass(frozen=True, slots=True)
class Product:
    """A client programme. ``client`` is an alias: client names are confidential. ``seed_days``
    (N-1 seed before each batch), ``harvest_days`` (downstream after each batch) and
    ``max_batches`` (cleaning validation) are 0 when the constraint does not apply;
    ``qualified_from`` dates some of ``qualified_sites`` (qualified from that day on)."""

    code: ProductCode
    name: str
    client: str
    modality: str
    validated_scales_l: tuple[int, ...]
    batch_days: int
    turnaround_days: int
    changeover_days: int
    qualified_sites: tuple[SiteCode, ...]
    colour: str = "#4C78A8"
    seed_days: int = 0
    harvest_days: int = 0
    max_batches: int = 0
    qualified_from: tuple[tuple[SiteCode, date], ...] = ()

    def qualified_date(self, site: str) -> date | None:
        """The day the product is qualified at ``site`` from, when that is dated."""
        for code, day in self.qualified_from:
            if code == site:
                return day
        return None
