"""Small, readable schedules for tests: two sites, three bioreactors, two products."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import Bioreactor, ReactorType
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.localtime import start_of_local_date
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite

NEW_YORK = "America/New_York"
SEOUL = "Asia/Seoul"


def small_schedule() -> Schedule:
    """SYR (New York) with SYR-BR501 5,000 L; SDO (Seoul, from 2027-01-01) with SDO-BR1501
    15,000 L stainless and SDO-SU01 2,000 L single-use. ABX-201 runs at 5,000 and 15,000 L,
    qualified at both sites; CDX-110 runs at 2,000 and 5,000 L, qualified at SYR only."""
    s = Schedule()
    s.sites[SiteCode("SYR")] = Site(SiteCode("SYR"), "Syracuse Bio Campus", NEW_YORK)
    s.sites[SiteCode("SDO")] = Site(
        SiteCode("SDO"), "Songdo Bio Campus Plant 1", SEOUL, available_from=date(2027, 1, 1)
    )
    s.suites[SuiteCode("SYR-S1")] = Suite(SuiteCode("SYR-S1"), SiteCode("SYR"), "Suite 1")
    s.suites[SuiteCode("SDO-S1")] = Suite(SuiteCode("SDO-S1"), SiteCode("SDO"), "Suite 1")
    for code, suite, volume, kind in [
        ("SYR-BR501", "SYR-S1", 5000, ReactorType.STAINLESS),
        ("SDO-BR1501", "SDO-S1", 15000, ReactorType.STAINLESS),
        ("SDO-SU01", "SDO-S1", 2000, ReactorType.SINGLE_USE),
    ]:
        s.bioreactors[BioreactorCode(code)] = Bioreactor(
            BioreactorCode(code), SuiteCode(suite), volume, kind
        )
    s.products[ProductCode("ABX-201")] = Product(
        ProductCode("ABX-201"),
        "Abexumab",
        "Client A",
        "mAb",
        (5000, 15000),
        14,
        2,
        10,
        (SiteCode("SYR"), SiteCode("SDO")),
        "#1f77b4",
    )
    s.products[ProductCode("CDX-110")] = Product(
        ProductCode("CDX-110"),
        "Cedoxin",
        "Client B",
        "Fusion protein",
        (2000, 5000),
        12,
        3,
        7,
        (SiteCode("SYR"),),
        "#ff7f0e",
    )
    return s


def local(day: date | str, tz_name: str = NEW_YORK) -> datetime:
    """Local midnight of ``day`` at a site, in UTC."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return start_of_local_date(day, tz_name)


def campaign(
    schedule: Schedule,
    campaign_id: str,
    product: str = "ABX-201",
    bioreactor: str = "SYR-BR501",
    start: datetime | str = "2027-03-01",
    batches: int = 2,
    **fields: Any,
) -> Campaign:
    """Add a campaign (days defaulting from the product) and return it."""
    if isinstance(start, str):
        start = local(start, schedule.time_zone_of(bioreactor))
    prod = schedule.products[ProductCode(product)]
    fields.setdefault("batch_days", prod.batch_days)
    fields.setdefault("turnaround_days", prod.turnaround_days)
    fields.setdefault("status", Status.PLANNED)
    made = Campaign(
        CampaignId(campaign_id),
        ProductCode(product),
        BioreactorCode(bioreactor),
        start.astimezone(UTC),
        batches,
        **fields,
    )
    schedule.put_campaign(made)
    return made
