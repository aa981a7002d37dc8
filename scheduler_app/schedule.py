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

JournalEntry = tuple[CampaignId, Campaign | None]
"""A campaign ID written or removed, and the campaign the dict held under it just before."""


class CampaignJournal:
    """What :meth:`Schedule.put_campaign` and :meth:`Schedule.remove_campaign` did to one campaigns
    dict (``target``), in order, so that the conflict engine can tell which campaigns changed
    without comparing every campaign of a bioreactor with the dict.

    A *mark* is a position in the journal; :meth:`since` gives the entries after one. Writes made
    to the dict directly are not noted, so the journal vouches only while it watches the dict the
    schedule holds now and that dict has the length the noted writes and removals give it
    (``size``): a dict replaced, or a campaign added or deleted behind its back, makes every mark
    taken before unusable until :meth:`restart` (a full check). A direct write that replaces a
    campaign under an existing ID cannot be noticed: code changes campaigns through the two methods
    (``tests/scheduler_app/test_campaign_journal.py`` audits the source for direct writes)."""

    __slots__ = ("base", "entries", "size", "target")

    LIMIT = 1024
    """Entries kept at most: past it the older half is dropped (older marks compare instead)."""

    def __init__(self) -> None:
        self.target: dict[CampaignId, Campaign] | None = None
        self.entries: list[JournalEntry] = []
        self.base = 0
        self.size = 0

    def restart(self, campaigns: dict[CampaignId, Campaign]) -> None:
        """Forget every entry, so no earlier mark is vouched for, and watch ``campaigns``."""
        self.base += len(self.entries) + 1
        self.entries = []
        self.target = campaigns
        self.size = len(campaigns)

    def note(
        self,
        campaigns: dict[CampaignId, Campaign],
        campaign_id: CampaignId,
        previous: Campaign | None,
        grew: int,
    ) -> None:
        """``campaign_id`` was just written or removed in ``campaigns`` (which held ``previous``
        under it), changing its length by ``grew``."""
        if self.target is not campaigns:
            self.restart(campaigns)
            return
        entries = self.entries
        if len(entries) >= self.LIMIT:
            dropped = self.LIMIT // 2  # marks before the entries kept compare instead
            del entries[:dropped]
            self.base += dropped
        entries.append((campaign_id, previous))
        self.size += grew

    def vouches(self, campaigns: dict[CampaignId, Campaign]) -> bool:
        return self.target is campaigns and len(campaigns) == self.size

    def mark(self, campaigns: dict[CampaignId, Campaign]) -> int | None:
        """The position after the last entry, or ``None`` when the journal cannot vouch for
        ``campaigns`` now."""
        return self.base + len(self.entries) if self.vouches(campaigns) else None

    def since(self, campaigns: dict[CampaignId, Campaign], mark: int) -> list[JournalEntry] | None:
        """Every entry after ``mark``, or ``None`` when the journal cannot vouch for them: every
        change of ``campaigns`` since the mark, if only the two methods changed it."""
        if mark < self.base or not self.vouches(campaigns):
            return None
        return self.entries[mark - self.base :]


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
    _journal: CampaignJournal = field(default_factory=CampaignJournal, repr=False, compare=False)

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
        campaigns = self.campaigns
        previous = campaigns.get(campaign.id)
        campaigns[campaign.id] = campaign
        self._journal.note(campaigns, campaign.id, previous, 0 if previous is not None else 1)

    def remove_campaign(self, campaign_id: CampaignId) -> Campaign:
        self._ends.pop(campaign_id, None)
        campaigns = self.campaigns
        removed = campaigns.pop(campaign_id)
        self._journal.note(campaigns, campaign_id, removed, -1)
        return removed

    @property
    def journal(self) -> CampaignJournal:
        """What :meth:`put_campaign` and :meth:`remove_campaign` did (see
        :class:`CampaignJournal`)."""
        return self._journal

    def watched_journal(self) -> CampaignJournal:
        """The journal, restarted on the campaigns dict unless it vouches for it: what a reader
        that has just compared the whole dict (a full check) takes its mark from."""
        journal = self._journal
        if not journal.vouches(self.campaigns):
            journal.restart(self.campaigns)
        return journal

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
