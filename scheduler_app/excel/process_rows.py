"""The process-rule columns: dated qualified sites, what seed and downstream units serve, the
Changeovers sheet, and which campaign another needs.

They are checked across rows (a ``Serves`` may name a suite defined further down; ``Needs`` may
name a campaign on a later row), so each check runs once the sheet is read, and reports on the
row and column the planner has to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from scheduler_app.campaigns import Campaign, Purpose
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.excel.cell_checks import checked_code
from scheduler_app.excel.issues import Issues, RowReader
from scheduler_app.excel.table import Row, Table
from scheduler_app.excel.values import cell_text, non_negative_whole, parse_day, parse_list
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite

_DATED = re.compile(r"^(.*?)\s*(?:\bfrom\b|:)\s*(.+)$", re.IGNORECASE)
Matrix = dict[tuple[ProductCode, ProductCode], int]


def qualified_sites_text(product: Product) -> str:
    """``SYR; SDO from 2027-03-01``: a dated site carries the day it is qualified from."""
    items = []
    for site in product.qualified_sites:
        day = product.qualified_date(site)
        items.append(site if day is None else f"{site} from {day.isoformat()}")
    return "; ".join(items)


def read_qualified_sites(
    reader: RowReader, sites: Mapping[SiteCode, Site]
) -> tuple[tuple[SiteCode, ...], tuple[tuple[SiteCode, date], ...]]:
    """``SYR; SDO from 2027-03-01`` or ``SDO:2027-03-01`` → the sites and the dated ones."""
    from scheduler_app.excel.master_rows import find_site

    qualified: dict[SiteCode, date | None] = {}
    for item in parse_list(reader.raw("qualified_sites")):
        name, day = item, None
        match = _DATED.match(item)
        if match is not None and find_site(item, sites) is None:
            name = match.group(1)
            try:
                day = parse_day(match.group(2))
            except ValueError:
                reader.error(
                    "qualified_sites",
                    f"{match.group(2)!r} in Qualified sites is not a date; write a dated site "
                    "as 'SDO from 2027-03-01'.",
                )
                continue
        site = find_site(name, sites)
        if site is None:
            reader.error("qualified_sites", f"Unknown site {name!r} in Qualified sites.")
        else:
            qualified[site] = day
    dated = tuple((site, day) for site, day in qualified.items() if day is not None)
    return tuple(qualified), dated


def read_role(reader: RowReader) -> EquipmentRole:
    role = reader.optional("role", lambda v: EquipmentRole.parse(cell_text(v)), "Role")
    return role or EquipmentRole.PRODUCTION


def check_serves(
    table: Table,
    issues: Issues,
    rows: Mapping[BioreactorCode, tuple[int, Row]],
    suites: Mapping[SuiteCode, Suite],
    reactors: dict[BioreactorCode, Bioreactor],
    known: Schedule | None,
) -> None:
    """Each ``Serves`` item is a suite or a production bioreactor (of the sheet or the
    database); the spelling is made the known one. A production bioreactor that serves something
    is a warning (Serves is ignored). A unit with an error is left out, like any bad row."""
    all_suites = {code.casefold(): code for code in [*(known.suites if known else {}), *suites]}
    production = {
        code.casefold(): code
        for code, reactor in [*(known.bioreactors.items() if known else []), *reactors.items()]
        if reactor.is_production
    }
    others = {code.casefold() for code in [*(known.bioreactors if known else {}), *reactors]}
    for code, (number, row) in rows.items():
        reactor = reactors.get(code)
        if reactor is None or not reactor.serves:
            continue
        reader = RowReader(table, issues, number, row)
        if reactor.is_production:
            reader.warn(
                "serves",
                f"{code} is a production bioreactor; Serves applies to Seed and Downstream "
                "units only, so it was ignored.",
            )
            reactors[code] = _replace_serves(reactor, ())
            continue
        resolved: list[str] = []
        for item in reactor.serves:
            folded = item.casefold()
            if folded in all_suites:
                resolved.append(all_suites[folded])
            elif folded in production:
                resolved.append(production[folded])
            elif folded in others:
                reader.error(
                    "serves",
                    f"Serves names {item}, which is not a production bioreactor; list the suites "
                    "or production bioreactors this unit serves.",
                )
            else:
                reader.error(
                    "serves",
                    f"Serves names {item}, which is neither a suite nor a bioreactor; use a "
                    "suite code such as SYR-S1 or a production bioreactor such as SYR-BR501.",
                )
        if reader.failed:
            del reactors[code]
        else:
            reactors[code] = _replace_serves(reactor, tuple(dict.fromkeys(resolved)))


def _replace_serves(reactor: Bioreactor, serves: tuple[str, ...]) -> Bioreactor:
    from dataclasses import replace

    return replace(reactor, serves=serves)


def read_changeovers(
    table: Table, issues: Issues, products: Mapping[ProductCode, Product]
) -> Matrix:
    """The Changeovers sheet: each ordered pair of two different, known products once."""
    by_fold = {code.casefold(): code for code in products}
    matrix: Matrix = {}
    seen: dict[tuple[ProductCode, ProductCode], int] = {}
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        pair = []
        for key, label in (("from_product", "From product"), ("to_product", "To product")):
            typed = reader.required(key, cell_text, label)
            code = by_fold.get((typed or "").casefold())
            if typed and code is None:
                reader.error(key, f"Unknown product {typed}.")
            pair.append(code)
        days = reader.required("days", non_negative_whole, "Days")
        before, after = pair
        if reader.failed or before is None or after is None or days is None:
            continue
        if before == after:
            reader.error(
                "to_product",
                f"A changeover from {before} to itself is its turnaround; list two different "
                "products.",
            )
            continue
        if (before, after) in seen:
            reader.error(
                "to_product",
                f"The changeover from {before} to {after} appears twice (rows "
                f"{seen[before, after]} and {number}).",
            )
            continue
        seen[before, after] = number
        matrix[before, after] = days
    return matrix


def read_purpose(reader: RowReader, previous: Campaign | None) -> Purpose | None:
    """A typed purpose; blank keeps the campaign's (Commercial for a new one). None: an error."""
    raw = reader.raw("purpose")
    if raw is None or not cell_text(raw):
        return previous.purpose if previous is not None else Purpose.COMMERCIAL
    try:
        return Purpose.parse(cell_text(raw))
    except ValueError:
        allowed = ", ".join(purpose.value for purpose in Purpose)
        reader.error("purpose", f"Unknown purpose; use one of: {allowed}.")
        return None


def read_needs(reader: RowReader) -> CampaignId | None:
    """The Campaign ID typed in Needs (NFC, no invisible or look-alike characters)."""
    typed = reader.optional("needs", lambda v: checked_code(cell_text(v)), "Needs")
    return CampaignId(typed) if typed else None


def check_needs(
    table: Table,
    issues: Issues,
    campaigns: dict[CampaignId, Campaign],
    rows: Mapping[CampaignId, int],
    known: Schedule | None,
) -> None:
    """Every ``Needs`` names another campaign of the workbook or the database (spelling made the
    known one) and no chain of needs comes back to where it started. A campaign with an error is
    dropped from ``campaigns`` so that nothing is applied."""
    from dataclasses import replace

    spelled = {key.casefold(): key for key in [*(known.campaigns if known else {}), *campaigns]}
    for key, campaign in list(campaigns.items()):
        if campaign.needs is None:
            continue
        needed = spelled.get(campaign.needs.casefold())
        if needed == key:
            _error(table, issues, rows, key, campaign.needs, f"{key} cannot need itself.")
        elif needed is None:
            _error(
                table,
                issues,
                rows,
                key,
                campaign.needs,
                f"Needs names {campaign.needs}, which is not a campaign in the workbook or the "
                "database.",
            )
        elif needed != campaign.needs:
            campaigns[key] = replace(campaign, needs=needed)

    def needs_of(key: CampaignId) -> CampaignId | None:
        if key in campaigns:
            return campaigns[key].needs
        if known is not None and key in known.campaigns:
            return known.campaigns[key].needs
        return None

    reported: set[CampaignId] = set()
    for start in sorted(campaigns):
        path: list[CampaignId] = []
        cursor: CampaignId | None = start
        while cursor is not None and cursor not in path and cursor not in reported:
            path.append(cursor)
            cursor = needs_of(cursor)
        if cursor is not None and cursor in path and cursor != path[-1]:
            cycle = path[path.index(cursor) :]
            chain = " → ".join([*cycle, cursor])
            for key in cycle:
                if key in campaigns:
                    _error(
                        table,
                        issues,
                        rows,
                        key,
                        campaigns[key].needs,
                        f"Needs go round in a circle ({chain}); a campaign cannot need its own "
                        "output, even through others.",
                    )
            reported.update(cycle)
        reported.update(path)


def _error(
    table: Table,
    issues: Issues,
    rows: Mapping[CampaignId, int],
    key: CampaignId,
    value: object,
    message: str,
) -> None:
    issues.error(table, rows.get(key, 0), "needs", value, message)
