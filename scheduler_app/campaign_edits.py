"""The rules every campaign edit passes before it reaches the database: references exist, counts
are sane, and locked campaigns keep their place."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from scheduler_app.campaigns import EDITABLE_FIELDS, Campaign, Purpose, Status
from scheduler_app.errors import LockedError, NotFoundError, SchedulerError, ValidationError
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import ensure_utc, utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from scheduler_app.unicode_text import nfc

LOCKED_FIELDS = ("product", "bioreactor", "start", "batches", "batch_days", "turnaround_days")
_FIELD_ORDER = [field.name for field in dataclasses.fields(Campaign)]


def validate_edit(schedule: Schedule, before: Campaign | None, after: Campaign) -> list[str]:
    """Why the edit ``before`` → ``after`` (``before`` None: a new campaign) cannot be applied, in
    words for a planner; empty when it can. The inspector shows these live and the service
    refuses with the first, so the two can never disagree."""
    return [str(problem) for problem in edit_problems(schedule, before, after)]


def check_edit(schedule: Schedule, before: Campaign | None, after: Campaign) -> None:
    """Raise the first problem :func:`validate_edit` describes (``LockedError`` for the lock rule,
    ``NotFoundError`` for an unknown reference, ``ValidationError`` otherwise)."""
    problems = edit_problems(schedule, before, after)
    if problems:
        raise problems[0]


def edit_problems(
    schedule: Schedule, before: Campaign | None, after: Campaign
) -> list[SchedulerError]:
    problems: list[SchedulerError] = []
    try:
        validate_campaign(after, schedule)
    except SchedulerError as error:
        problems.append(error)
        return problems
    if before is not None:
        try:
            check_lock(before, after)
        except LockedError as error:
            problems.append(error)
    moved_due = before is None or any(
        differs(before, after, name) for name in ("due", "start", "bioreactor")
    )
    if after.due is not None and moved_due:
        tz_name = schedule.time_zone_of(after.bioreactor)
        if after.due < utc_to_local_naive(after.start, tz_name).date():
            problems.append(ValidationError(f"{after.id}: the due date is before the start."))
    return problems


def validate_campaign(campaign: Campaign, lookup: Schedule) -> None:
    """Unknown product or bioreactor → ``NotFoundError``; batches < 1, batch days < 1,
    turnaround or lag days < 0, a seed or downstream unit as the bioreactor, or a campaign that
    needs itself → ``ValidationError``."""
    lookup.product(campaign.product)
    reactor = lookup.bioreactor(campaign.bioreactor)
    if not reactor.is_production:
        raise ValidationError(
            f"{campaign.id}: {reactor.code} is a {reactor.role.value.lower()} unit; campaigns are "
            "booked on production bioreactors only."
        )
    bounds = (("batches", 1), ("batch_days", 1), ("turnaround_days", 0), ("lag_days", 0))
    for name, lowest in bounds:
        value = getattr(campaign, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < lowest:
            label = name.replace("_", " ")
            raise ValidationError(
                f"{campaign.id}: {label} must be a whole number of at least {lowest} "
                f"(got {value!r})."
            )
    if not isinstance(campaign.status, Status):
        raise ValidationError(f"{campaign.id}: unknown status {campaign.status!r}.")
    if not isinstance(campaign.purpose, Purpose):
        raise ValidationError(f"{campaign.id}: unknown purpose {campaign.purpose!r}.")
    if campaign.needs is not None and campaign.needs == campaign.id:
        raise ValidationError(f"{campaign.id} cannot need its own output.")
    if not isinstance(campaign.start, datetime) or campaign.start.tzinfo is None:
        raise ValidationError(f"{campaign.id}: the start must be a UTC date and time.")


def validate_master(merged: Schedule, incoming: Schedule) -> None:
    """Suites, bioreactors and maintenance windows of ``incoming`` refer to things that exist
    in ``merged`` (the held master data with the incoming one laid over it)."""
    for suite in incoming.suites.values():
        merged.site(suite.site)
    for reactor in incoming.bioreactors.values():
        if reactor.suite not in merged.suites:
            raise NotFoundError(f"Bioreactor {reactor.code}: unknown suite {reactor.suite!r}.")
    for window in incoming.maintenance:
        merged.site(window.site)
        if window.suite is not None and window.suite not in merged.suites:
            raise NotFoundError(f"Maintenance window: unknown suite {window.suite!r}.")
        if window.bioreactor is not None:
            merged.bioreactor(window.bioreactor)
        if window.end <= window.start:
            raise ValidationError(f"Maintenance window on {window.scope} ends before it starts.")


def validate_changeovers(schedule: Schedule) -> None:
    """Every pair of the changeover matrix names two known, different products and whole days."""
    for (before, after), days in schedule.changeovers.items():
        schedule.product(before)
        schedule.product(after)
        if before == after:
            raise ValidationError(f"Changeover from {before} to itself: use turnaround days.")
        if days < 0:
            raise ValidationError(f"Changeover from {before} to {after}: {days} days is negative.")


def window_key(window: MaintenanceWindow) -> tuple[Any, ...]:
    """What a window means, without its database id and version."""
    return (
        window.site,
        window.suite or "",
        window.bioreactor or "",
        window.start,
        window.end,
        window.reason,
    )


def check_lock(before: Campaign, after: Campaign) -> None:
    """In progress and Complete campaigns may change status, due date, notes and extra columns,
    but not where, when or how long they run, not even in the edit that changes their status."""
    if not before.status.locked:
        return
    moved = [name.replace("_", " ") for name in LOCKED_FIELDS if differs(before, after, name)]
    if moved:
        raise LockedError(
            f"{before.id} is {before.status.value} and locked: its {', '.join(moved)} cannot "
            "change. Change its status first if the plan really differs."
        )


def differs(before: Campaign, after: Campaign, name: str) -> bool:
    return bool(getattr(before, name) != getattr(after, name))


def changed_fields(before: Campaign, after: Campaign) -> list[str]:
    """Names of the fields that differ, in the campaign's field order (version excluded)."""
    return [name for name in _FIELD_ORDER if name != "version" and differs(before, after, name)]


def instant(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"A start must be a date and time, not {value!r}.")
    return ensure_utc(value)


def status(value: Status | str) -> Status:
    if isinstance(value, Status):
        return value
    try:
        return Status.parse(str(value))
    except ValueError as error:
        raise ValidationError(f"{error}.") from None


def coerce_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Accept what callers naturally pass: status text, naive (UTC) starts, dict extras."""
    unknown = sorted(set(fields).difference(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(f"Cannot edit {', '.join(unknown)} of a campaign.")
    out = dict(fields)
    if "status" in out:
        out["status"] = status(out["status"])
    if "start" in out:
        out["start"] = instant(out["start"])
    if "product" in out:
        out["product"] = ProductCode(out["product"])
    if "bioreactor" in out:
        out["bioreactor"] = BioreactorCode(out["bioreactor"])
    if isinstance(out.get("due"), datetime):
        out["due"] = out["due"].date()
    if "extra" in out:
        extra = out["extra"]
        out["extra"] = held_extra(extra.items() if isinstance(extra, dict) else extra)
    if "purpose" in out and not isinstance(out["purpose"], Purpose):
        try:
            out["purpose"] = Purpose.parse(str(out["purpose"] or ""))
        except ValueError as error:
            raise ValidationError(f"{error}.") from None
    if "needs" in out:
        needs = str(out["needs"] or "").strip()
        out["needs"] = CampaignId(needs) if needs else None
    if "notes" in out:
        out["notes"] = nfc(out["notes"] or "")
    return out


def held_extra(extra: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    """Extra-column values as the schedule holds them: text in NFC, the rest as given."""
    return tuple((name, nfc(value) if isinstance(value, str) else value) for name, value in extra)
