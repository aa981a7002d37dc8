"""Translation between domain dataclasses and table rows, kept flat so that loading 10,000
campaigns is a tight loop over tuples."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from scheduler_app.campaigns import (
    CAMPAIGN_FIELDS,
    Campaign,
    ExtraValue,
    Purpose,
    Status,
    campaign_of,
)
from scheduler_app.equipment import Bioreactor, EquipmentRole, ReactorType
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.sites import Site, Suite

STATUS_BY_VALUE = {status.value: status for status in Status}
PURPOSE_BY_VALUE = {purpose.value: purpose for purpose in Purpose}


def encode_extra(extra: tuple[tuple[str, ExtraValue], ...]) -> list[list[Any]] | None:
    """Ordered ``[column, value]`` pairs as JSON; date-times are tagged so they come back as
    date-times. None when there are no extra columns."""
    if not extra:
        return None
    out: list[list[Any]] = []
    for column, value in extra:
        if isinstance(value, datetime):
            out.append([column, {"datetime": value.isoformat()}])
        elif isinstance(value, date):
            out.append([column, {"date": value.isoformat()}])
        else:
            out.append([column, value])
    return out


def decode_extra(stored: list[list[Any]] | None) -> tuple[tuple[str, ExtraValue], ...]:
    if not stored:
        return ()
    out: list[tuple[str, ExtraValue]] = []
    for column, value in stored:
        if isinstance(value, dict):
            if "datetime" in value:
                value = datetime.fromisoformat(value["datetime"])
            elif "date" in value:
                value = date.fromisoformat(value["date"])
        out.append((column, value))
    return tuple(out)


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    """Column values of a campaign row, ``version`` included."""
    return {
        "id": campaign.id,
        "product": campaign.product,
        "bioreactor": campaign.bioreactor,
        "start": campaign.start,
        "batches": campaign.batches,
        "batch_days": campaign.batch_days,
        "turnaround_days": campaign.turnaround_days,
        "status": campaign.status.value,
        "due": campaign.due,
        "notes": campaign.notes,
        "extra": encode_extra(campaign.extra),
        "version": campaign.version,
        "purpose": campaign.purpose.value,
        "needs": campaign.needs,
        "lag_days": campaign.lag_days,
    }


CAMPAIGN_COLUMNS = CAMPAIGN_FIELDS


def campaign_from_row(row: Any) -> Campaign:
    """A campaign from a row selected in ``CAMPAIGN_COLUMNS`` order."""
    (
        ident,
        product,
        reactor,
        start,
        batches,
        batch_days,
        turnaround,
        status,
        due,
        notes,
        extra,
        v,
        purpose,
        needs,
        lag,
    ) = row
    return campaign_of(
        ident,
        product,
        reactor,
        start,
        batches,
        batch_days,
        turnaround,
        STATUS_BY_VALUE[status],
        due,
        notes,
        decode_extra(extra) if extra else (),
        v,
        PURPOSE_BY_VALUE[purpose],
        needs,
        lag,
    )


def campaigns_from_sqlite_text(rows: Iterable[Any]) -> dict[CampaignId, Campaign]:
    """The fast path for loading from SQLite, keyed by ID: rows selected in ``CAMPAIGN_COLUMNS``
    order with ``start``, ``due`` and ``extra`` as the stored text (naive UTC ``YYYY-MM-DD
    HH:MM:SS.ffffff``, ISO date, JSON), parsed here in C rather than through a type decorator
    per value, in one loop (100,000 rows at a time)."""
    instant, day, statuses, purposes = (
        datetime.fromisoformat,
        date.fromisoformat,
        STATUS_BY_VALUE,
        PURPOSE_BY_VALUE,
    )
    found: dict[CampaignId, Campaign] = {}
    for (
        key,
        product,
        reactor,
        start,
        batches,
        batch_days,
        turnaround,
        status,
        due,
        notes,
        extra,
        v,
        purpose,
        needs,
        lag,
    ) in rows:
        found[key] = campaign_of(
            key,
            product,
            reactor,
            instant(start + "+00:00"),
            batches,
            batch_days,
            turnaround,
            statuses[status],
            day(due) if due else None,
            notes,
            decode_extra(json.loads(extra)) if extra else (),
            v,
            purposes[purpose],
            needs,
            lag,
        )
    return found


def site_values(site: Site) -> dict[str, Any]:
    return {
        "code": site.code,
        "name": site.name,
        "time_zone": site.time_zone,
        "available_from": site.available_from,
    }


def site_from_row(row: Any) -> Site:
    return Site(SiteCode(row.code), row.name, row.time_zone, row.available_from)


def suite_values(suite: Suite) -> dict[str, Any]:
    return {"code": suite.code, "site": suite.site, "name": suite.name}


def suite_from_row(row: Any) -> Suite:
    return Suite(SuiteCode(row.code), SiteCode(row.site), row.name)


def bioreactor_values(reactor: Bioreactor) -> dict[str, Any]:
    return {
        "code": reactor.code,
        "suite": reactor.suite,
        "working_volume_l": reactor.working_volume_l,
        "reactor_type": reactor.reactor_type.value,
        "available_from": reactor.available_from,
        "role": reactor.role.value,
        "serves": list(reactor.serves) or None,
    }


def bioreactor_from_row(row: Any) -> Bioreactor:
    return Bioreactor(
        BioreactorCode(row.code),
        SuiteCode(row.suite),
        row.working_volume_l,
        ReactorType(row.reactor_type),
        row.available_from,
        EquipmentRole(row.role),
        tuple(row.serves or ()),
    )


def product_values(product: Product) -> dict[str, Any]:
    return {
        "code": product.code,
        "name": product.name,
        "client": product.client,
        "modality": product.modality,
        "validated_scales_l": list(product.validated_scales_l),
        "batch_days": product.batch_days,
        "turnaround_days": product.turnaround_days,
        "changeover_days": product.changeover_days,
        "qualified_sites": list(product.qualified_sites),
        "colour": product.colour,
        "seed_days": product.seed_days,
        "harvest_days": product.harvest_days,
        "max_batches": product.max_batches,
        "qualified_from": [[site, day.isoformat()] for site, day in product.qualified_from] or None,
    }


def product_from_row(row: Any) -> Product:
    return Product(
        ProductCode(row.code),
        row.name,
        row.client,
        row.modality,
        tuple(int(scale) for scale in row.validated_scales_l),
        row.batch_days,
        row.turnaround_days,
        row.changeover_days,
        tuple(SiteCode(site) for site in row.qualified_sites),
        row.colour,
        row.seed_days,
        row.harvest_days,
        row.max_batches,
        tuple((SiteCode(site), date.fromisoformat(day)) for site, day in row.qualified_from or ()),
    )


def changeover_rows(
    matrix: dict[tuple[ProductCode, ProductCode], int],
) -> list[dict[str, Any]]:
    """Rows of the changeovers table, in a stable order."""
    return [
        {"from_product": before, "to_product": after, "days": days}
        for (before, after), days in sorted(matrix.items())
    ]


def changeover_matrix(rows: Any) -> dict[tuple[ProductCode, ProductCode], int]:
    return {(ProductCode(r.from_product), ProductCode(r.to_product)): r.days for r in rows}


def maintenance_values(window: MaintenanceWindow) -> dict[str, Any]:
    return {
        "site": window.site,
        "suite": window.suite,
        "bioreactor": window.bioreactor,
        "start": window.start,
        "end": window.end,
        "reason": window.reason,
    }


def maintenance_from_row(row: Any) -> MaintenanceWindow:
    return MaintenanceWindow(
        SiteCode(row.site),
        row.start,
        row.end,
        row.reason,
        SuiteCode(row.suite) if row.suite is not None else None,
        BioreactorCode(row.bioreactor) if row.bioreactor is not None else None,
        row.id,
        row.version,
    )
