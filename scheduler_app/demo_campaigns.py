"""The demo's campaigns, written the way a planner books them: per bioreactor, one campaign after
another, each starting once the changeover (or turnaround) after the previous one is done and
clear of maintenance. A few bookings are placed on purpose where they break a rule, so that a
first look shows what the app does; their notes say why they were booked so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import start_of_local_date, utc_to_local_naive
from scheduler_app.schedule import Schedule

AS_OF = date(2026, 12, 1)
"""Campaigns that ended before this day are Complete; one running on it is In progress."""
HORIZON = date(2028, 12, 31)
SLACK_DAYS = 3
"""Days a planner leaves beyond the required changeover or turnaround."""
DUE_MARGIN_DAYS = 21
"""Confirmed and running campaigns are due this many days after they end (the client's date)."""


@dataclass(frozen=True)
class Booking:
    """One campaign to book. Without ``gap`` or ``start`` it is placed cleanly after the previous
    one; with either it is placed exactly there, whatever that breaks."""

    product: str
    batches: int
    idle: int = 0
    gap: int | None = None
    start: date | None = None
    status: Status | None = None
    due_in: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Lane:
    bioreactor: str
    first: date
    bookings: tuple[Booking, ...]


def plan(text: str) -> list[Booking]:
    """``"ABX-201:5 BLZ-310:4+20"``: product:batches, optionally +idle days before it."""
    out = []
    for token in text.split():
        product, _, rest = token.partition(":")
        batches, _, idle = rest.partition("+")
        out.append(Booking(product, int(batches), idle=int(idle or 0)))
    return out


def lane(bioreactor: str, first: str, *parts: str | Booking) -> Lane:
    """A bioreactor's bookings from ``first`` (ISO date) on: :func:`plan` strings and bookings."""
    bookings: list[Booking] = []
    for part in parts:
        bookings.extend(plan(part) if isinstance(part, str) else [part])
    return Lane(bioreactor, date.fromisoformat(first), tuple(bookings))


def eng(product: str) -> Booking:
    return Booking(product, 1, status=Status.CONFIRMED, note="Engineering run")


def ppq(product: str, note: str = "Process performance qualification (PPQ)") -> Booking:
    return Booking(product, 3, status=Status.CONFIRMED, note=note)


@dataclass(frozen=True)
class _Placed:
    booking: Booking
    bioreactor: str
    start: date
    end: date


def book(schedule: Schedule, lanes: list[Lane]) -> None:
    """Place every lane's bookings and add them to ``schedule`` with IDs in order of start."""
    placed = [p for lane in lanes for p in _place_lane(schedule, lane)]
    placed.sort(key=lambda p: (p.start, p.bioreactor))
    for number, item in enumerate(placed, start=1):
        schedule.put_campaign(_campaign(schedule, CampaignId(f"CMP-{number:04d}"), item))


def _place_lane(schedule: Schedule, lane: Lane) -> list[_Placed]:
    reactor = schedule.bioreactor(lane.bioreactor)
    site = schedule.site_of(reactor.code)
    windows = [
        (
            utc_to_local_naive(w.start, site.time_zone).date(),
            utc_to_local_naive(w.end, site.time_zone).date(),
        )
        for w in schedule.maintenance_for(reactor.code)
    ]
    opens = max(d for d in (reactor.available_from, site.available_from, lane.first) if d)
    out: list[_Placed] = []
    previous: _Placed | None = None
    for booking in lane.bookings:
        product = schedule.product(booking.product)
        days = booking.batches * product.batch_days + (booking.batches - 1) * (
            product.turnaround_days
        )
        if booking.start is not None:
            start = booking.start
        elif previous is not None and booking.gap is not None:
            start = previous.end + timedelta(days=booking.gap)
        else:
            start = opens + timedelta(days=booking.idle)
            if previous is not None:
                before = schedule.product(previous.booking.product)
                need = (
                    product.turnaround_days
                    if before.code == product.code
                    else max(before.changeover_days, product.changeover_days)
                )
                start = previous.end + timedelta(days=need + SLACK_DAYS + booking.idle)
            start = _clear_of(windows, start, days)
        if start > HORIZON:
            break
        item = _Placed(booking, reactor.code, start, start + timedelta(days=days))
        out.append(item)
        if booking.status is not Status.CANCELLED:
            previous = item
    return out


def _clear_of(windows: list[tuple[date, date]], start: date, days: int) -> date:
    """The first start on or after ``start`` whose campaign misses every maintenance window."""
    moved = True
    while moved:
        moved = False
        for first, last in windows:
            if start < last and start + timedelta(days=days) > first:
                start, moved = last, True
    return start


def _campaign(schedule: Schedule, campaign_id: CampaignId, item: _Placed) -> Campaign:
    booking = item.booking
    product = schedule.product(booking.product)
    tz_name = schedule.time_zone_of(item.bioreactor)
    status = booking.status or _status_on(item)
    due = None
    if booking.due_in is not None:
        due = item.end + timedelta(days=booking.due_in)
    elif status in (Status.CONFIRMED, Status.IN_PROGRESS):
        due = item.end + timedelta(days=DUE_MARGIN_DAYS)
    return Campaign(
        campaign_id,
        ProductCode(product.code),
        BioreactorCode(item.bioreactor),
        start_of_local_date(item.start, tz_name),
        booking.batches,
        product.batch_days,
        product.turnaround_days,
        status,
        due,
        booking.note,
    )


def _status_on(item: _Placed) -> Status:
    if item.end <= AS_OF:
        return Status.COMPLETE
    if item.start <= AS_OF:
        return Status.IN_PROGRESS
    if item.start < date(2027, 4, 1):
        return Status.CONFIRMED
    if item.start.year == 2027:
        return Status.PLANNED
    return Status.PLANNED if item.start.month <= 6 else Status.TENTATIVE
