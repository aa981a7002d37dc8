"""The in-memory schedule: master data, campaigns and maintenance, with the lookups everyone needs.

The schedule is a plain container. Changes go through the schedule service (scheduler_app.service),
which keeps the database, the audit trail and the observers in step with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.errors import NotFoundError
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.sites import Site, Suite

_ID_NUMBER = re.compile(r"^CMP-(\d+)$")


@dataclass
class Schedule:
    sites: dict[SiteCode, Site] = field(default_factory=dict)
    suites: dict[SuiteCode, Suite] = field(default_factory=dict)
    bioreactors: dict[BioreactorCode, Bioreactor] = field(default_factory=dict)
    products: dict[ProductCode, Product] = field(default_factory=dict)
    campaigns: dict[CampaignId, Campaign] = field(default_factory=dict)
    maintenance: list[MaintenanceWindow] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    origin: str = field(default="", compare=False)
    """Which database this schedule was loaded from (its first audited change), so that a
    workbook exported from it is recognised when it comes back; empty when unknown."""
    changeovers: dict[tuple[ProductCode, ProductCode], int] = field(default_factory=dict)
    """The changeover matrix: (from product, to product) → days of cleaning between them."""
    _ends: dict[CampaignId, tuple[Campaign, str, datetime]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def site(self, code: str) -> Site:
        try:
            return self.sites[SiteCode(code)]
        except KeyError:
            raise NotFoundError(f"Unknown site {code!r}.") from None

    def bioreactor(self, code: str) -> Bioreactor:
        try:
            return self.bioreactors[BioreactorCode(code)]
        except KeyError:
            raise NotFoundError(f"Unknown bioreactor {code!r}.") from None

    def product(self, code: str) -> Product:
        try:
            return self.products[ProductCode(code)]
        except KeyError:
            raise NotFoundError(f"Unknown product {code!r}.") from None

    def campaign(self, campaign_id: str) -> Campaign:
        try:
            return self.campaigns[CampaignId(campaign_id)]
        except KeyError:
            raise NotFoundError(f"Unknown campaign {campaign_id!r}.") from None

    def site_of(self, bioreactor: str) -> Site:
        """The site a bioreactor stands in."""
        return self.sites[self.suites[self.bioreactor(bioreactor).suite].site]

    def suite_of(self, bioreactor: str) -> Suite:
        return self.suites[self.bioreactor(bioreactor).suite]

    def time_zone_of(self, bioreactor: str) -> str:
        return self.site_of(bioreactor).time_zone

    def campaign_end(self, campaign: Campaign) -> datetime:
        """End of a campaign, counted on its bioreactor's site calendar; cached per campaign."""
        tz_name = self.time_zone_of(campaign.bioreactor)
        cached = self._ends.get(campaign.id)
        if cached is not None and cached[0] is campaign and cached[1] == tz_name:
            return cached[2]
        end = campaign.end_in(tz_name)
        self._ends[campaign.id] = (campaign, tz_name, end)
        return end

    def put_campaign(self, campaign: Campaign) -> None:
        self.campaigns[campaign.id] = campaign

    def remove_campaign(self, campaign_id: CampaignId) -> Campaign:
        self._ends.pop(campaign_id, None)
        return self.campaigns.pop(campaign_id)

    def bioreactors_in_order(self) -> list[Bioreactor]:
        """Bioreactors grouped site → suite → code, the order the timeline and exports use. Sites
        come in the order they went into operation (the running site first), then by code."""
        site_order = {site.code: i for i, site in enumerate(self.sites_in_order())}

        def key(reactor: Bioreactor) -> tuple[int, str, str]:
            suite = self.suites[reactor.suite]
            return (site_order.get(suite.site, 99), suite.code, reactor.code)

        return sorted(self.bioreactors.values(), key=key)

    def sites_in_order(self) -> list[Site]:
        return sorted(self.sites.values(), key=lambda s: (s.available_from or date.min, s.code))

    def campaigns_on(self, bioreactor: str) -> list[Campaign]:
        """Campaigns on one bioreactor, by start (linear scan; the engine keeps its own index)."""
        found = [c for c in self.campaigns.values() if c.bioreactor == bioreactor]
        return sorted(found, key=lambda c: (c.start, c.id))

    def maintenance_for(self, bioreactor: str) -> Iterator[MaintenanceWindow]:
        """Windows that take ``bioreactor`` down: its own, its suite's and its site's."""
        reactor = self.bioreactor(bioreactor)
        suite = self.suites[reactor.suite]
        for window in self.maintenance:
            if window.bioreactor is not None:
                if window.bioreactor == reactor.code:
                    yield window
            elif window.suite is not None:
                if window.suite == suite.code:
                    yield window
            elif window.site == suite.site:
                yield window

    def production_bioreactors(self) -> list[Bioreactor]:
        """The bioreactors campaigns are booked on, in display order."""
        return [b for b in self.bioreactors_in_order() if b.role is EquipmentRole.PRODUCTION]

    def serves(self, unit: Bioreactor, bioreactor: Bioreactor) -> bool:
        """Whether seed or downstream ``unit`` serves production ``bioreactor``: it names the
        bioreactor or its suite in ``serves``, or (``serves`` empty) stands in the same suite."""
        if not unit.serves:
            return unit.suite == bioreactor.suite
        return bioreactor.code in unit.serves or bioreactor.suite in unit.serves

    def serving(self, role: EquipmentRole, bioreactor_code: str) -> tuple[Bioreactor, ...]:
        """The seed bioreactors (``role`` Seed) or downstream trains (Downstream) that serve the
        production bioreactor ``bioreactor_code``, by code."""
        reactor = self.bioreactor(bioreactor_code)
        found = [
            unit
            for unit in self.bioreactors.values()
            if unit.role is role and self.serves(unit, reactor)
        ]
        return tuple(sorted(found, key=lambda unit: unit.code))

    def served_by(self, unit_code: str) -> tuple[Bioreactor, ...]:
        """The production bioreactors a seed bioreactor or downstream train serves, by code."""
        unit = self.bioreactor(unit_code)
        found = [
            reactor
            for reactor in self.bioreactors.values()
            if reactor.role is EquipmentRole.PRODUCTION and self.serves(unit, reactor)
        ]
        return tuple(sorted(found, key=lambda reactor: reactor.code))

    def changeover_days(self, before: str, after: str) -> int:
        """Days of cleaning from product ``before`` to ``after``: the matrix entry when the
        ordered pair is listed, otherwise the larger of the two products' changeover days."""
        listed = self.changeovers.get((ProductCode(before), ProductCode(after)))
        if listed is not None:
            return listed
        return max(self.product(before).changeover_days, self.product(after).changeover_days)

    def next_campaign_id(self, taken: Iterable[str] = ()) -> CampaignId:
        """The next free ``CMP-nnnn`` identifier."""
        highest = 0
        for key in [*self.campaigns, *taken]:
            match = _ID_NUMBER.match(key)
            if match:
                highest = max(highest, int(match.group(1)))
        return CampaignId(f"CMP-{highest + 1:04d}")

    def copy(self) -> Schedule:
        """A shallow copy: entities are immutable, so sharing them is safe."""
        return Schedule(
            sites=dict(self.sites),
            suites=dict(self.suites),
            bioreactors=dict(self.bioreactors),
            products=dict(self.products),
            campaigns=dict(self.campaigns),
            maintenance=list(self.maintenance),
            extra_columns=list(self.extra_columns),
            origin=self.origin,
            changeovers=dict(self.changeovers),
        )
