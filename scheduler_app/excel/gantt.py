"""The Gantt sheet: one row per bioreactor, one column per week, cells coloured by product.

Weeks start on Monday of each site's own calendar, so a row reads the way the site's planners
count. Export only; the import ignores this sheet.
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduler_app.campaigns import Status
from scheduler_app.excel.cells import SheetCells
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule

MAX_WEEKS = 260
MAINTENANCE_COLOUR = "#9E9E9E"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_span(
    schedule: Schedule, bioreactor: str, start: object, end: object
) -> tuple[date, date]:
    tz_name = schedule.time_zone_of(bioreactor)
    first = utc_to_local_naive(start, tz_name).date()  # type: ignore[arg-type]
    last = utc_to_local_naive(end, tz_name)  # type: ignore[arg-type]
    # A half-open interval ending at midnight does not occupy that day.
    last_day = last.date() if last.time() != last.time().min else last.date() - timedelta(days=1)
    return first, max(first, last_day)


def gantt_weeks(schedule: Schedule) -> list[date]:
    """Mondays from the first campaign's week, at most :data:`MAX_WEEKS` of them."""
    spans = [
        _local_span(schedule, c.bioreactor, c.start, schedule.campaign_end(c))
        for c in schedule.campaigns.values()
        if c.status is not Status.CANCELLED
    ]
    if not spans:
        return []
    first = _monday(min(span[0] for span in spans))
    last = _monday(max(span[1] for span in spans))
    count = min((last - first).days // 7 + 1, MAX_WEEKS)
    return [first + timedelta(weeks=index) for index in range(count)]


def gantt_rows(schedule: Schedule, weeks: list[date]) -> dict[str, list[tuple[str, str] | None]]:
    """Per bioreactor, per week: (label, colour) of what occupies most of that week, or None."""
    if not weeks:
        return {}
    first = weeks[0]
    rows: dict[str, list[tuple[str, str] | None]] = {}
    best: dict[str, list[int]] = {}
    for reactor in schedule.bioreactors:
        rows[reactor] = [None] * len(weeks)
        best[reactor] = [0] * len(weeks)

    def paint(reactor: str, span: tuple[date, date], label: str, colour: str) -> None:
        begin, end = span
        index = max((begin - first).days // 7, 0)
        while index < len(weeks):
            week_start = weeks[index]
            week_end = week_start + timedelta(days=6)
            if week_start > end:
                break
            days = (min(end, week_end) - max(begin, week_start)).days + 1
            if days > best[reactor][index]:
                best[reactor][index] = days
                rows[reactor][index] = (label, colour)
            index += 1

    for campaign in schedule.campaigns.values():
        if campaign.status is Status.CANCELLED or campaign.bioreactor not in rows:
            continue
        product = schedule.products.get(campaign.product)
        colour = product.colour if product else "#4C78A8"
        span = _local_span(
            schedule, campaign.bioreactor, campaign.start, schedule.campaign_end(campaign)
        )
        paint(campaign.bioreactor, span, campaign.product, colour)
    for reactor in schedule.bioreactors:
        for window in schedule.maintenance_for(reactor):
            span = _local_span(schedule, reactor, window.start, window.end)
            paint(reactor, span, "Maint.", MAINTENANCE_COLOUR)
    return rows


def write_gantt(cells: SheetCells, schedule: Schedule) -> None:
    weeks = gantt_weeks(schedule)
    rows = gantt_rows(schedule, weeks)
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
