"""Seeded synthetic schedules of any size, for benchmarks and property tests."""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.equipment import Bioreactor, EquipmentRole, ReactorType
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.localtime import add_local_days, start_of_local_date, utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite

SHUTDOWN_START = datetime(2027, 7, 1, tzinfo=UTC)
SHUTDOWN_END = SHUTDOWN_START + timedelta(days=14)
"""Each site's annual shutdown in the synthetic schedule."""

_PALETTE = [
    "#4C78A8",
    "#F58518",
    "#54A24B",
    "#E45756",
    "#72B7B2",
    "#EECA3B",
    "#B279A2",
    "#FF9DA6",
    "#9D755D",
    "#BAB0AC",
    "#1F77B4",
    "#2CA02C",
]


def synthetic_schedule(
    n_campaigns: int = 10_000,
    n_bioreactors: int = 60,
    seed: int = 0,
    n_products: int = 24,
    short_gap_share: float = 0.03,
    shared_equipment: bool = False,
) -> Schedule:
    """Two sites (SYR New York, SDO Seoul), ``n_bioreactors`` split between them in suites of four,
    ``n_products`` products and ``n_campaigns`` campaigns booked back to back per bioreactor from
    each site's opening, each campaign's product validated at the bioreactor's scale and (where one
    is) qualified at its site, 40 % of them repeating the previous product. Gaps respect the
    turnaround or changeover the pair needs, except for ``short_gap_share`` of them, plus one annual
    shutdown per site: a few percent conflict, as in a real plan under revision.

    ``shared_equipment`` adds the process rules' data on top of the same schedule (drawn from a
    separate random stream, so the campaigns stay the same): see :func:`add_shared_equipment`."""
    rng = random.Random(seed)
    schedule = Schedule()
    syr, sdo = SiteCode("SYR"), SiteCode("SDO")
    schedule.sites[syr] = Site(syr, "Syracuse Bio Campus", "America/New_York")
    schedule.sites[sdo] = Site(sdo, "Songdo Bio Campus Plant 1", "Asia/Seoul", date(2027, 1, 1))
    volumes = {syr: [5000], sdo: [15000, 2000]}
    for index in range(n_bioreactors):
        site_code = syr if index % 2 == 0 else sdo
        suite_code = SuiteCode(f"{site_code}-S{index // 8 + 1}")
        schedule.suites.setdefault(
            suite_code, Suite(suite_code, site_code, f"Suite {index // 8 + 1}")
        )
        volume = volumes[site_code][index % len(volumes[site_code])] if site_code == sdo else 5000
        reactor_code = BioreactorCode(f"{site_code}-BR{index + 1:03d}")
        kind = ReactorType.SINGLE_USE if volume == 2000 else ReactorType.STAINLESS
        schedule.bioreactors[reactor_code] = Bioreactor(reactor_code, suite_code, volume, kind)
    for index in range(n_products):
        code = ProductCode(f"P-{index + 1:03d}")
        scales = rng.choice([(5000, 15000), (2000,), (2000, 5000), (5000,), (15000,)])
        qualified = rng.choice([(syr, sdo), (syr,), (sdo,), (syr, sdo)])
        schedule.products[code] = Product(
            code,
            f"Product {index + 1}",
            f"Client {chr(65 + index % 8)}",
            "mAb",
            scales,
            rng.randint(12, 16),
            rng.randint(2, 3),
            rng.randint(7, 14),
            qualified,
            _PALETTE[index % len(_PALETTE)],
        )
    products = list(schedule.products.values())
    reactors = list(schedule.bioreactors.values())
    per_reactor = [n_campaigns // len(reactors)] * len(reactors)
    for index in range(n_campaigns % len(reactors)):
        per_reactor[index] += 1
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    number = 0
    statuses = [Status.PLANNED] * 6 + [Status.CONFIRMED] * 3 + [Status.TENTATIVE]
    for reactor, count in zip(reactors, per_reactor, strict=True):
        site = schedule.sites[schedule.suites[reactor.suite].site]
        scale_fits = [p for p in products if reactor.working_volume_l in p.validated_scales_l]
        site_qualified = [p for p in scale_fits if site.code in p.qualified_sites]
        fitting = site_qualified or scale_fits or products
        cursor = origin
        if site.available_from is not None:
            cursor = max(cursor, start_of_local_date(site.available_from, site.time_zone))
        previous: Product | None = None
        for _ in range(count):
            repeat = previous is not None and rng.random() < 0.4
            product = previous if repeat and previous is not None else rng.choice(fitting)
            if previous is None:
                needed = 0
            elif product.code == previous.code:
                needed = product.turnaround_days
            else:
                needed = max(product.changeover_days, previous.changeover_days)
            gap = needed + rng.randint(0, 10)
            if needed and rng.random() < short_gap_share:
                gap = rng.randint(0, needed - 1)
            start = add_local_days(cursor, gap, site.time_zone)
            number += 1
            batches, status = rng.randint(1, 4), rng.choice(statuses)
            due_days = rng.randint(50, 120) if rng.random() < 0.3 else None
            campaign = Campaign(
                CampaignId(f"CMP-{number:05d}"),
                product.code,
                reactor.code,
                start,
                batches,
                product.batch_days,
                product.turnaround_days,
                status,
            )
            if start < SHUTDOWN_END and schedule.campaign_end(campaign) > SHUTDOWN_START:
                # Planners book around the annual shutdown: a campaign that would run into it
                # starts on the first local day after it instead.
                start = _first_local_midnight_from(SHUTDOWN_END, site.time_zone)
                campaign = replace(campaign, start=start)
            if due_days is not None:
                campaign = replace(campaign, due=(start + timedelta(days=due_days)).date())
            schedule.put_campaign(campaign)
            cursor = schedule.campaign_end(campaign)
            previous = product
    for shut_site in (syr, sdo):
        schedule.maintenance.append(
            MaintenanceWindow(shut_site, SHUTDOWN_START, SHUTDOWN_END, "Annual shutdown")
        )
    if shared_equipment:
        add_shared_equipment(schedule, seed)
    return schedule


def _first_local_midnight_from(instant: datetime, tz_name: str) -> datetime:
    midnight = start_of_local_date(utc_to_local_naive(instant, tz_name).date(), tz_name)
    return midnight if midnight >= instant else add_local_days(midnight, 1, tz_name)


def add_shared_equipment(schedule: Schedule, seed: int = 0) -> None:
    """Three N-1 seed bioreactors and three downstream trains per suite of four (the third serving
    a named bioreactor only in every third suite, opening late in Songdo; a PM window on some),
    seed and harvest days on every product, a cleaning-validation limit on a sixth of them, a
    changeover-matrix entry per product, and 5 % of campaigns needing the output of an earlier
    campaign with a QC lag (a tenth of those too early)."""
    rng = random.Random(seed * 7919 + 17)
    production = list(schedule.bioreactors.values())
    for number, suite in enumerate(list(schedule.suites.values())):
        members = [r for r in production if r.suite == suite.code]
        if not members:
            continue
        for role, tag in ((EquipmentRole.SEED, "N1"), (EquipmentRole.DOWNSTREAM, "DSP")):
            for k in (1, 2, 3):
                unit = BioreactorCode(f"{suite.code}-{tag}{k}")
                serves: tuple[str, ...] = ()
                if k == 3 and number % 3 == 2:
                    serves = (members[0].code,)
                opens = date(2027, 3, 1) if suite.site == "SDO" and k == 3 else None
                schedule.bioreactors[unit] = Bioreactor(
                    unit, suite.code, 500, available_from=opens, role=role, serves=serves
                )
                if rng.random() < 0.3:
                    begin = datetime(2027, rng.randint(1, 12), 10, tzinfo=UTC)
                    schedule.maintenance.append(
                        MaintenanceWindow(
                            suite.site,
                            begin,
                            begin + timedelta(days=rng.randint(2, 6)),
                            "PM",
                            bioreactor=unit,
                        )
                    )
    codes = sorted(schedule.products)
    for index, code in enumerate(codes):
        schedule.products[code] = replace(
            schedule.products[code],
            seed_days=rng.randint(2, 4),
            harvest_days=rng.randint(2, 4),
            max_batches=3 if index % 6 == 0 else 0,
        )
        other = codes[(index + 1) % len(codes)]
        if other != code:
            schedule.changeovers[(code, other)] = rng.randint(12, 20)
    _add_needs(schedule, rng)


def _add_needs(schedule: Schedule, rng: random.Random) -> None:
    by_end = sorted((schedule.campaign_end(c), c.id) for c in schedule.campaigns.values())
    ends = [end for end, _ in by_end]
    for campaign in list(schedule.campaigns.values()):
        if rng.random() >= 0.05:
            continue
        lag = rng.choice([0, 7, 14])
        late = rng.random() < 0.1
        limit = campaign.start + timedelta(days=lag * 2 if late else -lag)
        top = bisect_right(ends, limit)
        if top == 0:
            continue
        _, needed = by_end[rng.randrange(max(0, top - 50), top)]
        if needed != campaign.id:
            schedule.put_campaign(replace(campaign, needs=needed, lag_days=lag))
