"""Client programmes (products) and what the plant must know to schedule them."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler_app.ids import ProductCode, SiteCode


@dataclass(frozen=True, slots=True)
class Product:
    """A client programme. ``client`` is an alias: client names are confidential."""

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
