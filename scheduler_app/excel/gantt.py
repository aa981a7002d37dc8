"""The Gantt sheet: one row per bioreactor, one column per week, cells coloured by product.

Weeks start on Monday of each site's own calendar, so a row reads the way the site's planners
count. Export only; the import ignores this sheet.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from scheduler_app.campaigns import Status
from scheduler_app.excel.cells import SheetCells
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule

MAX_WEEKS = 260
MAINTENANCE_COLOUR = "#9E9E9E"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


Bar = tuple[str, date, date, str, str]  # bioreactor, first day, last day, label, colour


def _local_span(start: datetime, end: datetime, tz_name: str) -> tuple[date, date]:
    first = utc_to_local_naive(start, tz_name).date()
    last = utc_to_local_naive(end, tz_name)
    # A half-open interval ending at midnight does not occupy that day.
    last_day = last.date() if last.time() != time.min else last.date() - timedelta(days=1)
    return first, max(first, last_day)


def gantt_bars(schedule: Schedule) -> list[Bar]:
    """What occupies each bioreactor, in site-local days: live campaigns, then maintenance."""
    zones = {code: schedule.time_zone_of(code) for code in schedule.bioreactors}
    bars: list[Bar] = []
    for campaign in schedule.campaigns.values():
        tz_name = zones.get(campaign.bioreactor)
        if campaign.status is Status.CANCELLED or tz_name is None:
            continue
        product = schedule.products.get(campaign.product)
        first, last = _local_span(campaign.start, schedule.campaign_end(campaign), tz_name)
        colour = product.colour if product else "#4C78A8"
        bars.append((campaign.bioreactor, first, last, campaign.product, colour))
    for reactor, tz_name in zones.items():
        for window in schedule.maintenance_for(reactor):
            first, last = _local_span(window.start, window.end, tz_name)
            bars.append((reactor, first, last, "Maint.", MAINTENANCE_COLOUR))
    return bars


def gantt_weeks(bars: list[Bar]) -> list[date]:
    """Mondays from the first bar's week, at most :data:`MAX_WEEKS` of them."""
    if not bars:
        return []
    first = _monday(min(bar[1] for bar in bars))
    last = _monday(max(bar[2] for bar in bars))
    count = min((last - first).days // 7 + 1, MAX_WEEKS)
    return [first + timedelta(weeks=index) for index in range(count)]


def gantt_rows(
    schedule: Schedule, weeks: list[date], bars: list[Bar]
) -> dict[str, list[tuple[str, str] | None]]:
    """Per bioreactor, per week: (label, colour) of what occupies most of that week, or None."""
    rows: dict[str, list[tuple[str, str] | None]] = {
        reactor: [None] * len(weeks) for reactor in schedule.bioreactors
    }
    if not weeks:
        return rows
    best: dict[str, list[int]] = {reactor: [0] * len(weeks) for reactor in schedule.bioreactors}
    origin = weeks[0]
    for reactor, begin, end, label, colour in bars:
        index = max((begin - origin).days // 7, 0)
        while index < len(weeks):
            week_start = weeks[index]
            if week_start > end:
                break
            days = (min(end, week_start + timedelta(days=6)) - max(begin, week_start)).days + 1
            if days > best[reactor][index]:
                best[reactor][index] = days
                rows[reactor][index] = (label, colour)
            index += 1
    return rows


def write_gantt(cells: SheetCells, schedule: Schedule) -> None:
    bars = gantt_bars(schedule)
    weeks = gantt_weeks(bars)
    rows = gantt_rows(schedule, weeks, bars)
    sheet = cells.sheet
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 9)
    sheet.set_column(2, 2, 12)
    if weeks:
        sheet.set_column(3, 2 + len(weeks), 8)
    sheet.freeze_panes(1, 3)
    cells.header(0, ["Site", "Suite", "Bioreactor"] + [week.isoformat() for week in weeks])
    row = 0
    for row, reactor in enumerate(schedule.bioreactors_in_order(), 1):
        suite = schedule.suites[reactor.suite]
        cells.text(row, 0, suite.site)
        cells.text(row, 1, suite.code)
        cells.text(row, 2, reactor.code)
        for column, slot in enumerate(rows.get(reactor.code, []), 3):
            if slot is not None:
                cells.filled(row, column, slot[0], slot[1])
    note = "Weeks start on Monday, site-local. Each cell shows what occupies most of the week."
    if len(weeks) == MAX_WEEKS:
        note += f" Only the first {MAX_WEEKS} weeks are shown."
    cells.text(row + 2, 0, note)
