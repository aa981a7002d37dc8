"""Campaigns from the Campaigns sheet: forgiving about how a value is typed, strict about what it
means.

Decisions a planner should know: Start is read on the wall clock of the bioreactor's site; the
Bioreactor decides Site and Suite, so a Site or Suite cell that disagrees is a warning and is
ignored (like an edited End or Client), while a site that exists nowhere is an error. A blank
Status keeps the campaign's current status (Planned for a new one); blank Batch days and
Turnaround days take the product's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from scheduler_app.campaigns import Campaign, ExtraValue, Status
from scheduler_app.excel import layout
from scheduler_app.excel.cell_checks import (
    MAX_CELL_TEXT,
    checked_code,
    checked_text_problem,
    excel_error,
)
from scheduler_app.excel.issues import Issues, RowReader
from scheduler_app.excel.master_rows import find_site
from scheduler_app.excel.process_rows import check_needs, read_needs, read_purpose
from scheduler_app.excel.table import Table
from scheduler_app.excel.values import (
    cell_text,
    non_negative_whole,
    parse_day,
    parse_wall_clock,
    positive_whole,
)
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import add_local_days, local_datetime_to_utc, utc_to_local_naive
from scheduler_app.schedule import Schedule
from scheduler_app.unicode_text import nfc

_SHOWN_CHOICES = 12
MAX_BATCHES = 100  # more batches than any bioreactor runs in a campaign: a typing slip
T = TypeVar("T", bound=str)


@dataclass
class CampaignRows:
    campaigns: dict[CampaignId, Campaign] = field(default_factory=dict)
    new_ids: list[CampaignId] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    rows: dict[CampaignId, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)


def _status(value: object) -> Status:
    try:
        return Status.parse(cell_text(value))
    except ValueError:
        allowed = ", ".join(status.value for status in Status)
        raise ValueError(f"is not a status; use one of: {allowed}") from None


def _choices(codes: Iterable[str]) -> str:
    ordered = sorted(codes)
    shown = ", ".join(ordered[:_SHOWN_CHOICES])
    return shown + (", …" if len(ordered) > _SHOWN_CHOICES else "")


def _extra_value(value: object) -> ExtraValue:
    """What an extra column keeps: text, a finite number, a yes/no or a date-time; anything
    else Excel can hold (a time of day, a duration) is kept as its text."""
    if isinstance(value, str):
        return nfc(value)
    if value is None or isinstance(value, bool | int | datetime):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return cell_text(value)


def _unique_names(names: list[str]) -> list[str]:
    """Two extra columns with one header would overwrite each other; the second becomes
    ``Name (2)``."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate in seen:
            number += 1
            candidate = f"{name} ({number})"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def read_campaigns(
    table: Table, issues: Issues, schedule: Schedule, known: Schedule | None
) -> CampaignRows:
    """``schedule`` holds the incoming master data; ``known`` is the database schedule, whose
    versions and statuses matched rows inherit and whose IDs new rows must not reuse."""
    own = [(position, name) for position, name in table.extras if not layout.is_export_only(name)]
    table.extras = list(
        zip(
            [position for position, _ in own],
            _unique_names([nfc(name) for _, name in own]),
            strict=True,
        )
    )
    result = CampaignRows(extra_columns=[name for _, name in table.extras])
    explicit = [cell_text(table.value(row, "id")) for _, row in table.rows]
    lookup = known if known is not None else schedule
    # One scan for the highest CMP number, then counting up: new IDs in O(1) each (asking the
    # schedule per row rescanned every ID taken so far, minutes at 20,000 rows).
    next_number = int(lookup.next_campaign_id(c for c in explicit if c).removeprefix("CMP-"))
    for number, row in table.rows:
        reader = RowReader(table, issues, number, row)
        campaign = _read_row(reader, schedule, known, result)
        if campaign is None:
            continue
        if not campaign.id:
            new_id = CampaignId(f"CMP-{next_number:04d}")
            next_number += 1
            result.new_ids.append(new_id)
            campaign = replace(campaign, id=new_id)
        result.campaigns[campaign.id] = campaign
        result.rows[campaign.id] = number
    if table.has("needs"):
        check_needs(table, issues, result.campaigns, result.rows, known)
    return result


def _read_row(
    reader: RowReader, schedule: Schedule, known: Schedule | None, result: CampaignRows
) -> Campaign | None:
    typed_id = _campaign_id(reader)
    if typed_id is None:
        return None
    campaign_id = _known_id(typed_id, known)
    if campaign_id and campaign_id in result.seen:
        reader.error(
            "id",
            f"Campaign ID {campaign_id} appears twice (rows {result.seen[campaign_id]} and "
            f"{reader.number}); give each campaign its own ID or leave it blank for a new one.",
        )
    elif campaign_id:
        result.seen[campaign_id] = reader.number
    product_code = reader.required("product", cell_text, "Product")
    product = schedule.products.get(_code(ProductCode(product_code or ""), schedule.products))
    if product_code and product is None:
        reader.error("product", f"Unknown product; use one of: {_choices(schedule.products)}.")
    reactor_code = reader.required("bioreactor", cell_text, "Bioreactor")
    reactor = schedule.bioreactors.get(
        _code(BioreactorCode(reactor_code or ""), schedule.bioreactors)
    )
    if reactor_code and reactor is None:
        production = [code for code, unit in schedule.bioreactors.items() if unit.is_production]
        reader.error("bioreactor", f"Unknown bioreactor; use one of: {_choices(production)}.")
    elif reactor is not None and not reactor.is_production:
        reader.error(
            "bioreactor",
            f"{reactor.code} is a {reactor.role.value.lower()} unit; campaigns are booked on "
            "production bioreactors only.",
        )
        reactor = None
    start = reader.required("start", parse_wall_clock, "Start")
    batches = reader.required("batches", _batches, "Batches")
    batch_days = reader.optional("batch_days", positive_whole, "Batch days")
    turnaround = reader.optional("turnaround_days", non_negative_whole, "Turnaround days")
    status = reader.optional("status", _status, "Status")
    due = reader.optional("due", parse_day, "Due")
    lag_days = reader.optional("lag_days", non_negative_whole, "Lag days")
    _check_site_and_suite(reader, schedule, reactor_code if reactor else None)
    previous = known.campaigns.get(campaign_id) if known is not None and campaign_id else None
    purpose = read_purpose(reader, previous)
    if product is not None:
        _check_client(reader, product.code, product.client, _stale_client(previous, known))
    if reader.failed or product is None or reactor is None or start is None or batches is None:
        return None
    assert purpose is not None
    if status is None:
        status = previous.status if previous is not None else Status.PLANNED
    notes = _long_text(reader, "notes", reader.raw("notes"))
    extra = tuple(
        (name, _extra_value(reader.row[position]))
        for position, name in reader.table.extras
        if position < len(reader.row) and not _blank(reader.row[position])
    )
    for name, value in extra:
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            reader.issues.error(
                reader.table,
                reader.number,
                name,
                value[:40] + "…",
                f"{name} {checked_text_problem(value)}.",
            )
            return None
    if notes is None:
        return None
    tz_name = schedule.time_zone_of(reactor.code)
    _check_wall_clock(reader, start, tz_name, schedule.site_of(reactor.code).name)
    campaign = Campaign(
        campaign_id,
        product.code,
        reactor.code,
        local_datetime_to_utc(start, tz_name),
        batches,
        batch_days if batch_days is not None else product.batch_days,
        turnaround if turnaround is not None else product.turnaround_days,
        status,
        due,
        notes if isinstance(notes, str) else cell_text(notes),
        extra,
        previous.version if previous is not None else 1,
        purpose,
        read_needs(reader),
        lag_days or 0,
    )
    if previous is not None:
        campaign = _keep_absent_columns(campaign, previous, reader.table)
    _check_end(reader, campaign, tz_name, _stale_end(previous, known))
    return campaign


def _campaign_id(reader: RowReader) -> CampaignId | None:
    """The typed Campaign ID in NFC ("" for a new row), or None after reporting why it cannot
    be one: an Excel error value, an invisible or look-alike character, too long."""
    raw = reader.raw("id")
    code = excel_error(raw)
    if code is not None:
        reader.error("id", f"Campaign ID is the Excel error value {code}, not an ID.")
        return None
    try:
        return CampaignId(checked_code(cell_text(raw)))
    except ValueError as problem:
        reader.error("id", f"Campaign ID {problem}.")
        return None


def _batches(value: object) -> int:
    """A batch count no bioreactor could run (1,000 typed for 10, 1e3) is refused, not stored."""
    count = positive_whole(value, at_most=1_000_000_000)
    if count > MAX_BATCHES:
        raise ValueError(
            f"is {count:,}, more than the {MAX_BATCHES} batches any campaign can run; check "
            "for a thousands separator or an exponent typed by mistake"
        )
    return count


def _long_text(reader: RowReader, key: str, value: object) -> str | None:
    """Free text in NFC (notes typed on a Mac arrive decomposed: not a change), refused over
    Excel's cell limit."""
    text = nfc(value if isinstance(value, str) else cell_text(value))
    if len(text) > MAX_CELL_TEXT:
        reader.error(
            key, f"{reader.table.header(key)} {checked_text_problem(text)}.", text[:40] + "…"
        )
        return None
    return text


def _check_wall_clock(reader: RowReader, start: datetime, tz_name: str, place: str) -> None:
    """A start the clocks skip (the spring-forward hour) does not exist on the site's wall
    clock; it is read as the moment after the gap, and the planner is told so."""
    moved = utc_to_local_naive(local_datetime_to_utc(start, tz_name), tz_name)
    if moved != start:
        reader.warn(
            "start",
            f"{start:%Y-%m-%d %H:%M} does not exist in {place} (the clocks go forward that "
            f"night); it was read as {moved:%Y-%m-%d %H:%M}.",
        )


def _known_id(campaign_id: CampaignId, known: Schedule | None) -> CampaignId:
    """``cmp-0042`` typed for ``CMP-0042``: the database's spelling of the same ID."""
    if not campaign_id or known is None or campaign_id in known.campaigns:
        return campaign_id
    return _code(campaign_id, known.campaigns)


def _code(typed: T, codes: Mapping[T, object]) -> T:
    """A code as typed, or the known code it matches ignoring case."""
    if typed in codes:
        return typed
    folded = typed.casefold()
    for code in codes:
        if code.casefold() == folded:
            return code
    return typed


def _keep_absent_columns(campaign: Campaign, previous: Campaign, table: Table) -> Campaign:
    """A column missing from the sheet altogether was not edited: the campaign keeps its value
    (a blank cell in a present column, by contrast, clears or defaults it). Extra values whose
    column is not in the sheet are kept too."""
    kept: dict[str, object] = {}
    for key in ("batch_days", "turnaround_days", "due", "notes", "purpose", "needs", "lag_days"):
        if not table.has(key):
            kept[key] = getattr(previous, key)
    present = {name for _, name in table.extras}
    missing = tuple((name, value) for name, value in previous.extra if name not in present)
    if missing:
        kept["extra"] = campaign.extra + missing
    return replace(campaign, **kept) if kept else campaign  # type: ignore[arg-type]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _check_site_and_suite(reader: RowReader, schedule: Schedule, reactor_code: str | None) -> None:
    site_raw = reader.raw("site")
    if site_raw not in (None, "") and cell_text(site_raw):
        site = find_site(site_raw, schedule.sites)
        if site is None:
            reader.error("site", f"Unknown site; use one of: {_choices(schedule.sites)}.")
        elif reactor_code is not None:
            actual = schedule.site_of(reactor_code).code
            if site != actual:
                reader.warn(
                    "site",
                    f"Bioreactor {reactor_code} is at {actual}, not {site}; the bioreactor "
                    "decides the site, so Site was ignored.",
                )
    suite_raw = cell_text(reader.raw("suite"))
    if suite_raw and reactor_code is not None:
        actual_suite = schedule.suite_of(reactor_code).code
        if suite_raw.casefold() != actual_suite.casefold():
            reader.warn(
                "suite",
                f"Bioreactor {reactor_code} is in suite {actual_suite}, not {suite_raw}; the "
                "bioreactor decides the suite, so Suite was ignored.",
            )


def _stale_client(previous: Campaign | None, known: Schedule | None) -> str | None:
    """The Client the exported row showed (the old product's); left as it was after the Product
    was changed, it is stale rather than edited."""
    if previous is None or known is None or previous.product not in known.products:
        return None
    return known.products[previous.product].client


def _check_client(reader: RowReader, code: str, client: str, stale: str | None) -> None:
    typed = cell_text(reader.raw("client"))
    if typed and typed != client and typed != stale:
        reader.warn(
            "client",
            f"Client differs from product {code}'s client ({client}); it was ignored (change "
            "it on the Products sheet).",
        )


def _stale_end(previous: Campaign | None, known: Schedule | None) -> datetime | None:
    """The End the exported row showed; still seeing it after Start or Batches were edited means
    End was left alone, not edited, so it deserves no warning."""
    if previous is None or known is None or previous.bioreactor not in known.bioreactors:
        return None
    tz_name = known.time_zone_of(previous.bioreactor)
    return utc_to_local_naive(known.campaign_end(previous), tz_name)


def _check_end(reader: RowReader, campaign: Campaign, tz_name: str, stale: datetime | None) -> None:
    raw = reader.raw("end")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return
    derived = utc_to_local_naive(
        add_local_days(campaign.start, campaign.duration_days, tz_name), tz_name
    )
    try:
        typed = parse_wall_clock(raw)
    except ValueError:
        reader.warn(
            "end", "End is not a date; End is derived from Start and Batches, so it was ignored."
        )
        return
    if typed != derived and typed != stale:
        reader.warn(
            "end",
            f"End disagrees with Start, Batches, Batch days and Turnaround days (they give "
            f"{derived:%Y-%m-%d %H:%M}); End is derived, so the edit was ignored.",
        )
