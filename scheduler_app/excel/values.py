"""Turning what a cell holds into the value a field needs, forgiving of how humans type.

Every parser raises ``ValueError`` with a message a planner understands; the reader turns it into
an :class:`~scheduler_app.excel.errors.ImportIssue` with the sheet, row and column.
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
_YMD = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})" + _TIME + r"$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + r"$")
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]+([A-Za-z]{3,9})\.?[- ,]+(\d{4})" + _TIME + r"$")
_MON_D_Y = re.compile(
    r"^([A-Za-z]{3,9})\.?[- ]+(\d{1,2})(?:st|nd|rd|th)?,?[- ]+(\d{4})" + _TIME + r"$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_EXCEL_EPOCH = datetime(1899, 12, 30)
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.0*)?$")
_FIRST_YEAR, _LAST_YEAR = 1970, 2200  # a bare "2027" typed in a date cell is serial 2027: 1905
# Bounds that catch a slipped key (140 for 14) and keep date arithmetic finite.
MAX_DAYS_OR_BATCHES = 1_000
MAX_VOLUME_L = 1_000_000
_DATE_HINT = "use a date such as 2027-03-01 or 2027-03-01 08:00"


_OOXML_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")


def unescape_ooxml(text: str) -> str:
    """Undo the ``_xHHHH_`` escapes Excel and XlsxWriter use for control characters such as a
    carriage return; openpyxl hands them over as they are. Only control characters are undone:
    openpyxl already strips the escape-of-an-escape (``_x005F_``), so a literal ``_x000D_``
    typed as text cannot be told from an escaped carriage return and reads as one."""
    return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def cell_text(value: object) -> str:
    """Text of a cell with surrounding spaces removed; ``None`` is ``""``; ``42.0`` is ``"42"``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_whole_number(value: object) -> int:
    """``3``, ``3.0``, ``"3"``, ``" 3 "`` → 3. Fractions and text are refused."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise ValueError("must be a whole number")
    text = cell_text(value).replace("\u00a0", "").replace(" ", "")
    if _DOT_THOUSANDS.match(text):
        # 5.000 is five thousand in much of Europe and five in Excel: never guess.
        raise ValueError(
            f"{text} is ambiguous (a thousands separator or a decimal point?); type "
            f"{text.replace('.', '')} or {text.split('.')[0]}"
        )
    if "," in text:
        # 15,000 is fifteen thousand; 2,5 (a decimal comma) must not become 25.
        if not _THOUSANDS.match(text):
            raise ValueError("must be a whole number")
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not math.isfinite(number) or not number.is_integer():
        raise ValueError("must be a whole number")
    return int(number)


def positive_whole(value: object, at_most: int = MAX_DAYS_OR_BATCHES) -> int:
    number = parse_whole_number(value)
    if number <= 0:
        raise ValueError("must be 1 or more")
    if number > at_most:
        raise ValueError(f"is more than {at_most:,}, which cannot be right")
    return number


def non_negative_whole(value: object, at_most: int = MAX_DAYS_OR_BATCHES) -> int:
    number = parse_whole_number(value)
    if number < 0:
        raise ValueError("cannot be negative")
    if number > at_most:
        raise ValueError(f"is more than {at_most:,}, which cannot be right")
    return number


def parse_wall_clock(value: object) -> datetime:
    """A naive wall-clock date-time from an Excel date-time, a date, a serial number or text in
    the forms DESIGN.md lists (``3/1/2027`` is read month-first)."""
    if isinstance(value, datetime):
        found = value.replace(tzinfo=None)
    elif isinstance(value, date):
        found = datetime.combine(value, time(0))
    elif isinstance(value, bool):
        raise ValueError(f"is not a date; {_DATE_HINT}")
    elif isinstance(value, int | float):
        found = _from_serial(float(value))
    else:
        found = _from_text(cell_text(value))
    if not _FIRST_YEAR <= found.year <= _LAST_YEAR:
        raise ValueError(f"is not a plausible date (year {found.year}); {_DATE_HINT}")
    return found


def parse_day(value: object) -> date:
    """A calendar date; a time of day, if any, is dropped."""
    return parse_wall_clock(value).date()


def parse_list(value: object) -> list[str]:
    """``"5000; 15000"`` or ``"SYR, SDO"`` → items, blanks dropped."""
    return [item.strip() for item in re.split(r"[;,]", cell_text(value)) if item.strip()]


EPOCH: ContextVar[datetime] = ContextVar("excel_epoch", default=_EXCEL_EPOCH)
"""Day zero of the workbook being read: 1899-12-30, or 1904-01-01 for a workbook in the 1904
date system (old Mac Excel); openpyxl converts real date cells itself, but a serial number in a
number or text cell is converted here."""


def _from_serial(serial: float) -> datetime:
    if not math.isfinite(serial) or not 1 <= serial < 2_958_466:
        raise ValueError(f"is not a date; {_DATE_HINT}")
    moment = EPOCH.get() + timedelta(days=serial)
    # Serials carry float noise; a plan is made of minutes.
    return _round_to_second(moment)


def _round_to_second(moment: datetime) -> datetime:
    if moment.microsecond >= 500_000:
        moment += timedelta(seconds=1)
    return moment.replace(microsecond=0)


def _from_text(text: str) -> datetime:
    if not text:
        raise ValueError(f"is empty; {_DATE_HINT}")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_serial(float(text))
    for pattern, order in ((_YMD, "ymd"), (_MDY, "mdy"), (_D_MON_Y, "dmy"), (_MON_D_Y, "mdy")):
        match = pattern.match(text)
        if match is None:
            continue
        parts = match.groups()
        fields = dict(zip(order, parts[:3], strict=True))
        month = _month(fields["m"])
        try:
            day = date(int(fields["y"]), month, int(fields["d"]))
        except ValueError:
            raise ValueError(f"is not a real date; {_DATE_HINT}") from None
        return datetime.combine(day, _time_of_day(*parts[3:]))
    raise ValueError(f"is not a date Excel or this app understands; {_DATE_HINT}")


def _month(text: str) -> int:
    if text.isdigit():
        return int(text)
    number = _MONTHS.get(text[:3].lower())
    if number is None or (len(text) > 3 and not _full_month(text)):
        raise ValueError(f"has an unknown month {text!r}; {_DATE_HINT}")
    return number


def _full_month(text: str) -> bool:
    names = [
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "sept",
    ]  # fmt: skip
    return any(name.startswith(text.lower()) for name in names)


def _time_of_day(
    hour: str | None, minute: str | None, second: str | None, ampm: str | None
) -> time:
    if hour is None or minute is None:
        return time(0)
    h, m, s = int(hour), int(minute), int(second or 0)
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError(f"has an impossible time of day; {_DATE_HINT}")
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return time(h, m, s)
    except ValueError:
        raise ValueError(f"has an impossible time of day; {_DATE_HINT}") from None
