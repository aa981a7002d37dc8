"""The demo's campaigns, written the way a planner books them: per bioreactor, one campaign after
another, each starting once the changeover (or turnaround) after the previous one is done, clear
of maintenance, with a seed bioreactor free before each batch and a downstream train free after
it, and (for a conjugation) after the antibody it needs is released. A few bookings are placed
on purpose where they break a rule, so that a first look shows what the app does; their notes
say why they were booked so."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.demo_pools import Pools
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
    purpose: Purpose = Purpose.COMMERCIAL
    breaks: str | None = None
    """``seed`` or ``downstream``: placed cleanly otherwise, where that shared unit is full."""
    needs: str | None = None
    """The antibody product this conjugation consumes (the latest campaign released in time)."""
    lag: int = 0
    early: int = 0
    """Days before its antibody is released that this booking starts (a deliberate conflict)."""


@dataclass(frozen=True)
class Lane:
    bioreactor: str
    first: date
    bookings: tuple[Booking, ...]


_PURPOSES = {"cln": Purpose.CLINICAL, "eng": Purpose.ENGINEERING, "ppq": Purpose.PPQ}


def plan(text: str) -> list[Booking]:
    """``"ABX-201:5 BLZ-310:4+20 FLX-612:2@cln"``: product:batches, optionally +idle days before
    it and @purpose (cln, eng, ppq; Commercial otherwise)."""
    out = []
    for token in text.split():
        token, _, purpose = token.partition("@")
        product, _, rest = token.partition(":")
        batches, _, idle = rest.partition("+")
        made = Booking(product, int(batches), idle=int(idle or 0))
        if purpose:
            made = replace(made, purpose=_PURPOSES[purpose])
        out.append(made)
    return out


def conjugations(text: str, needs: dict[str, str], lags: tuple[int, ...]) -> list[Booking]:
    """A conjugation lane: each booking needs the antibody product ``needs[product]`` and waits
    the lags in turn (QC release) after the antibody campaign ends."""
    out = []
    for index, booking in enumerate(plan(text)):
        lag = lags[index % len(lags)]
        out.append(replace(booking, needs=needs[booking.product], lag=lag))
    return out


def lane(bioreactor: str, first: str, *parts: str | Booking) -> Lane:
    """A bioreactor's bookings from ``first`` (ISO date) on: :func:`plan` strings and bookings."""
    bookings: list[Booking] = []
    for part in parts:
        bookings.extend(plan(part) if isinstance(part, str) else [part])
    return Lane(bioreactor, date.fromisoformat(first), tuple(bookings))


def eng(product: str) -> Booking:
    return Booking(
        product, 1, status=Status.CONFIRMED, note="Engineering run", purpose=Purpose.ENGINEERING
    )


def ppq(product: str, note: str = "Process performance qualification (PPQ)") -> Booking:
    return Booking(product, 3, status=Status.CONFIRMED, note=note, purpose=Purpose.PPQ)


@dataclass(frozen=True)
class _Placed:
    booking: Booking
    bioreactor: str
    start: date
    end: date
    feeder: _Placed | None = None


def book(schedule: Schedule, lanes: list[Lane]) -> int:
    """Place every lane's bookings, in lane order, and add them to ``schedule`` with IDs in order
    of start; a conjugation's ``needs`` names the antibody campaign it was placed after. Returns
    how many bookings found no start with free seed and downstream units (0 for the demo)."""
    pools = Pools(schedule)
    placed: list[_Placed] = []
    for each in lanes:
        placed += _place_lane(schedule, each, pools, placed)
    placed.sort(key=lambda p: (p.start, p.bioreactor))
    ids = {id(item): CampaignId(f"CMP-{n:04d}") for n, item in enumerate(placed, start=1)}
    for item in placed:
        made = _campaign(schedule, ids[id(item)], item)
        if item.feeder is not None:
            made = replace(made, needs=ids[id(item.feeder)], lag_days=item.booking.lag)
        schedule.put_campaign(made)
    return pools.misses


def _feeder(
    placed: list[_Placed], booking: Booking, earliest: date, used: set[int]
) -> tuple[_Placed | None, date]:
    """The antibody campaign a conjugation consumes: the latest unused one released by
    ``earliest``, else the next to be released (the start moves to its release day)."""
    candidates = sorted(
        (
            p
            for p in placed
            if p.booking.product == booking.needs
            and p.booking.status is not Status.CANCELLED
            and not p.booking.note  # a deliberately misplaced booking feeds no conjugation
            and id(p) not in used
        ),
        key=lambda p: p.end,
    )
    ready = [p for p in candidates if p.end + timedelta(days=booking.lag) <= earliest]
    if ready:
        return ready[-1], earliest
    later = [p for p in candidates if p.end + timedelta(days=booking.lag) > earliest]
    if not later:
        return None, earliest
    return later[0], later[0].end + timedelta(days=booking.lag)


def _before_release(
    placed: list[_Placed],
    booking: Booking,
    natural: date,
    used: set[int],
    windows: list[tuple[date, date]],
    days: int,
) -> tuple[_Placed | None, date]:
    """For a deliberate material conflict: the first unused antibody campaign released after
    the clean start for which a start ``booking.early`` days before release (or the clean start,
    if later) is clear of maintenance and still before release."""
    later = sorted(
        (
            p
            for p in placed
            if p.booking.product == booking.needs
            and p.booking.status is not Status.CANCELLED
            and id(p) not in used
        ),
        key=lambda p: p.end,
    )
    for feeder in later:
        release = feeder.end + timedelta(days=booking.lag)
        start = _clear_of(windows, max(natural, release - timedelta(days=booking.early)), days)
        if natural <= start < release:
            return feeder, start
    return None, natural


def _place_lane(
    schedule: Schedule, lane: Lane, pools: Pools, placed: list[_Placed]
) -> list[_Placed]:
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
    used: set[int] = {id(p.feeder) for p in placed if p.feeder is not None}
    for booking in lane.bookings:
        product = schedule.product(booking.product)
        days = booking.batches * product.batch_days + (booking.batches - 1) * (
            product.turnaround_days
        )
        if booking.status is Status.CANCELLED and previous is not None and booking.gap is not None:
            start = previous.end + timedelta(days=booking.gap)  # ignored by the rules
        elif booking.start is not None:
            choices = [booking.start + timedelta(days=n) for n in _near(0, -10, 10)]
            start = pools.forced(reactor.code, product, booking.batches, choices)
        elif previous is not None and booking.gap is not None:
            # Keep the break what it is: an overlap stays an overlap, a short gap stays short.
            need = _needed_gap(schedule, previous.booking.product, product.code)
            low, high = (-40, -1) if booking.gap < 0 else (0, need - 1)
            choices = [previous.end + timedelta(days=g) for g in _near(booking.gap, low, high)]
            start = pools.forced(reactor.code, product, booking.batches, choices)
        else:
            start = opens + timedelta(days=booking.idle)
            if previous is not None:
                before = schedule.product(previous.booking.product)
                need = (
                    product.turnaround_days
                    if before.code == product.code
                    else schedule.changeover_days(before.code, product.code)
                )
                start = previous.end + timedelta(days=need + SLACK_DAYS + booking.idle)
            start = _clear_of(windows, start, days)
        feeder = None
        if booking.needs is not None and booking.early:
            # Deliberately before release: the next antibody campaign to be released after the
            # clean start, and a start ``early`` days before its release (never earlier).
            feeder, start = _before_release([*placed, *out], booking, start, used, windows, days)
        elif booking.needs is not None:
            feeder, start = _feeder([*placed, *out], booking, start, used)
            start = _clear_of(windows, start, days)
        if booking.gap is None and booking.start is None and booking.early == 0:
            start = pools.first_fit(reactor.code, product, booking, start, windows, days)
        if start > HORIZON:
            break
        item = _Placed(booking, reactor.code, start, start + timedelta(days=days), feeder)
        if feeder is not None:
            used.add(id(feeder))
        out.append(item)
        if booking.status is not Status.CANCELLED:
            previous = item
            pools.take(reactor.code, product, booking.batches, start)
    return out


def _near(value: int, low: int, high: int) -> list[int]:
    """``value`` first, then the numbers in ``[low, high]`` by distance from it."""
    return sorted(range(low, high + 1), key=lambda n: (abs(n - value), n))


def _needed_gap(schedule: Schedule, before: str, after: str) -> int:
    if before == after:
        return schedule.product(after).turnaround_days
    return schedule.changeover_days(before, after)


def clear_of(windows: list[tuple[date, date]], start: date, days: int) -> date:
    return _clear_of(windows, start, days)


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
        purpose=booking.purpose,
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
