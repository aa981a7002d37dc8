"""Dates typed on the command line: site-local calendar days, ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import UTC, date, datetime

from scheduler_app.errors import ValidationError
from scheduler_app.localtime import zone


def parse_day(text: str, option: str) -> date:
    """``text`` as a calendar date; a clear refusal naming ``option`` otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{option} {text!r} is not a date; use YYYY-MM-DD.") from None


def today_at(tz_name: str) -> date:
    """Today's date on a site's calendar."""
    return datetime.now(UTC).astimezone(zone(tz_name)).date()
