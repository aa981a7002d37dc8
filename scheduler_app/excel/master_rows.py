"""Master data from the Sites, Equipment, Products and Maintenance sheets.

A workbook exported from one database must rebuild everything in an empty one, so these sheets
are read with the same strictness as campaigns: a bad reference is an error on its cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfoNotFoundError

from scheduler_app.equipment import Bioreactor, ReactorType
from scheduler_app.excel.cell_checks import checked_code
from scheduler_app.excel.issues import Issues, RowReader
from scheduler_app.excel.process_rows import check_serves, read_qualified_sites, read_role
from scheduler_app.excel.table import Row, Table
from scheduler_app.excel.values import (
    MAX_VOLUME_L,
    cell_text,
    non_negative_whole,
    parse_day,
    parse_list,
    parse_wall_clock,
    positive_whole,
)
from scheduler_app.ids import BioreactorCode, ProductCode, SiteCode, SuiteCode
from scheduler_app.localtime import local_datetime_to_utc, zone
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite
from scheduler_app.unicode_text import nfc

DEFAULT_COLOUR = "#4C78A8"


def code_text(value: object) -> str:
    """A site, suite, bioreactor or product code: NFC, no invisible or look-alike characters,
    no longer than the database keeps."""
    return checked_code(cell_text(value))


def _volume(value: object) -> int:
    return positive_whole(value, at_most=MAX_VOLUME_L)


def find_site(text: object, sites: Mapping[SiteCode, Site]) -> SiteCode | None:
    """A site typed as its code or its name, in any case."""
    wanted = cell_text(text).casefold()
    for code, site in sites.items():
        if wanted in (code.casefold(), site.name.casefold()):
            return code
    return None


def _text(value: object) -> str:
    """Free text (a name, a client, a reason) in NFC, so that the same words typed on another
    system are not a change."""
    return nfc(value if isinstance(value, str) else cell_text(value))


def _time_zone(value: object) -> str:
    name = cell_text(value)
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("is not a time zone; use an IANA name such as America/New_York") from None
    return name


def _unique(reader: RowReader, key: str, code: str, seen: dict[str, int], what: str) -> bool:
    """False (and an error) if ``code`` was already on an earlier row."""
    folded = code.casefold()
    if folded in seen:
        reader.error(key, f"{what} {code} appears twice (rows {seen[folded]} and {reader.number}).")
        return False
    seen[folded] = reader.number
    return True


def read_sites(table: Table, issues: Issues) -> dict[SiteCode, Site]:
    sites: dict[SiteCode, Site] = {}
    seen: dict[str, int] = {}
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        code = reader.required("site", code_text, "Site")
        tz_name = reader.required("time_zone", _time_zone, "Time zone")
        available = reader.optional("available_from", parse_day, "Available from")
        if code is None or tz_name is None or not _unique(reader, "site", code, seen, "Site"):
            continue
        name = _text(reader.raw("name")) or code
        sites[SiteCode(code)] = Site(SiteCode(code), name, tz_name, available)
    return sites


def read_equipment(
    table: Table, issues: Issues, sites: Mapping[SiteCode, Site], known: Schedule | None
) -> tuple[dict[SuiteCode, Suite], dict[BioreactorCode, Bioreactor]]:
    suites: dict[SuiteCode, Suite] = {}
    reactors: dict[BioreactorCode, Bioreactor] = {}
    seen: dict[str, int] = {}
    rows: dict[BioreactorCode, tuple[int, Row]] = {}
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        suite_code = reader.required("suite", code_text, "Suite")
        code = reader.required("bioreactor", code_text, "Bioreactor")
        volume = reader.required("volume", _volume, "Working volume")
        kind = reader.optional("type", lambda v: ReactorType.parse(cell_text(v)), "Type")
        available = reader.optional("available_from", parse_day, "Available from")
        role = read_role(reader)
        serves = tuple(parse_list(reader.raw("serves")))
        site = _site_of_suite(reader, suite_code, sites, suites, known)
        if reader.failed or suite_code is None or code is None or volume is None or site is None:
            continue
        if not _unique(reader, "bioreactor", code, seen, "Bioreactor"):
            continue
        suite_key = SuiteCode(suite_code)
        if suite_key not in suites:
            name = _text(reader.raw("suite_name"))
            if not name and known is not None and suite_key in known.suites:
                name = known.suites[suite_key].name
            suites[suite_key] = Suite(suite_key, site, name)
        reactors[BioreactorCode(code)] = Bioreactor(
            BioreactorCode(code),
            suite_key,
            volume,
            kind or ReactorType.STAINLESS,
            available,
            role,
            serves,
        )
        rows[BioreactorCode(code)] = (number, row)
    check_serves(table, issues, rows, suites, reactors, known)
    return suites, reactors


def _site_of_suite(
    reader: RowReader,
    suite_code: str | None,
    sites: Mapping[SiteCode, Site],
    suites: Mapping[SuiteCode, Suite],
    known: Schedule | None,
) -> SiteCode | None:
    raw = reader.raw("site")
    if raw is None or not cell_text(raw):
        if suite_code and SuiteCode(suite_code) in suites:
            return suites[SuiteCode(suite_code)].site
        if suite_code and known is not None and SuiteCode(suite_code) in known.suites:
            return known.suites[SuiteCode(suite_code)].site
        reader.error("site", "Site is missing.", value="")
        return None
    site = find_site(raw, sites)
    if site is None:
        reader.error("site", f"Unknown site; use one of: {', '.join(sorted(sites))}.")
        return None
    earlier = suites.get(SuiteCode(suite_code)) if suite_code else None
    if earlier is not None and earlier.site != site:
        reader.error("site", f"Suite {suite_code} is at {earlier.site} on an earlier row.")
        return None
    return site


def read_products(
    table: Table, issues: Issues, sites: Mapping[SiteCode, Site]
) -> dict[ProductCode, Product]:
    products: dict[ProductCode, Product] = {}
    seen: dict[str, int] = {}
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        code = reader.required("product", code_text, "Product")
        scales = reader.required("scales", lambda v: [_volume(s) for s in parse_list(v)], "Scale")
        batch_days = reader.required("batch_days", positive_whole, "Batch days")
        turnaround = reader.required("turnaround_days", non_negative_whole, "Turnaround days")
        changeover = reader.required("changeover_days", non_negative_whole, "Changeover days")
        qualified, dated = read_qualified_sites(reader, sites)
        seed = reader.optional("seed_days", non_negative_whole, "Seed days")
        harvest = reader.optional("harvest_days", non_negative_whole, "Harvest days")
        max_batches = reader.optional("max_batches", non_negative_whole, "Max batches")
        colour = cell_text(reader.raw("colour")) or DEFAULT_COLOUR
        if not _is_colour(colour):
            reader.warn("colour", f"Colour is not #RRGGBB; {DEFAULT_COLOUR} was used.")
            colour = DEFAULT_COLOUR
        if reader.failed or code is None or not _unique(reader, "product", code, seen, "Product"):
            continue
        assert scales is not None and batch_days is not None
        assert turnaround is not None and changeover is not None
        products[ProductCode(code)] = Product(
            ProductCode(code),
            _text(reader.raw("name")),
            _text(reader.raw("client")),
            _text(reader.raw("modality")),
            tuple(scales),
            batch_days,
            turnaround,
            changeover,
            qualified,
            colour,
            seed or 0,
            harvest or 0,
            max_batches or 0,
            dated,
        )
    return products


def _is_colour(text: str) -> bool:
    digits = text[1:] if text.startswith("#") else ""
    return len(digits) in (3, 6) and all(ch in "0123456789abcdefABCDEF" for ch in digits)


def read_maintenance(
    table: Table, issues: Issues, schedule: Schedule, known: Schedule | None
) -> list[MaintenanceWindow]:
    """Windows in UTC, read from the site's wall clock; ids kept where the window is unchanged."""
    previous = {_window_key(w): w for w in (known.maintenance if known else [])}
    windows = []
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        site = reader.required("site", lambda v: find_site(v, schedule.sites), "Site")
        if reader.raw("site") not in (None, "") and site is None:
            reader.error("site", f"Unknown site; use one of: {', '.join(sorted(schedule.sites))}.")
        suite = cell_text(reader.raw("suite")) or None
        reactor = cell_text(reader.raw("bioreactor")) or None
        start = reader.required("start", parse_wall_clock, "Start")
        end = reader.required("end", parse_wall_clock, "End")
        if suite is not None and SuiteCode(suite) not in schedule.suites:
            reader.error("suite", "Unknown suite.")
        if reactor is not None and BioreactorCode(reactor) not in schedule.bioreactors:
            reader.error("bioreactor", "Unknown bioreactor.")
        if start is not None and end is not None and end <= start:
            reader.error("end", "End must be after Start.")
        if reader.failed or site is None or start is None or end is None:
            continue
        if suite is not None and schedule.suites[SuiteCode(suite)].site != site:
            reader.error("suite", f"Suite {suite} is not at site {site}.")
            continue
        if reactor is not None:
            home = schedule.bioreactors[BioreactorCode(reactor)].suite
            if (suite or home) != home or schedule.suites[home].site != site:
                reader.error("bioreactor", f"Bioreactor {reactor} is not in {suite or site}.")
                continue
        tz_name = schedule.sites[site].time_zone
        window = MaintenanceWindow(
            site,
            local_datetime_to_utc(start, tz_name),
            local_datetime_to_utc(end, tz_name),
            _text(reader.raw("reason")),
            SuiteCode(suite) if suite else None,
            BioreactorCode(reactor) if reactor else None,
        )
        earlier = previous.get(_window_key(window))
        windows.append(earlier if earlier is not None else window)
    return windows


def _window_key(window: MaintenanceWindow) -> tuple[object, ...]:
    start: datetime = window.start
    return (window.site, window.suite, window.bioreactor, start, window.end, window.reason)
