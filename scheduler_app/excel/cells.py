"""Typed cell writing for one export sheet: formats made once, text never a formula.

The export uses XlsxWriter (about twice as fast as openpyxl's write-only mode, which missed the
3-second target at 10,000 campaigns); openpyxl stays the reader. Every piece of planner text goes
through :meth:`SheetCells.text`, which writes a string cell (``write_string`` never makes a
formula) and marks text that Excel would treat as a formula when retyped with a quote prefix.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from scheduler_app.excel.layout import DATE_FORMAT, DATETIME_FORMAT, FORMULA_PREFIXES

HEADER_COLOUR = "#DDE3EA"
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Before March 1900 Excel's serials are off by its phantom 29 February 1900.
_SERIAL_SAFE = datetime(1900, 3, 1)
# Characters XML 1.0 cannot carry; a cell holding one would make the file unreadable.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Formats:
    """The workbook's cell formats, created once (XlsxWriter requires formats per workbook)."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "bg_color": HEADER_COLOUR})
        self.literal_header = workbook.add_format(
            {"bold": True, "bg_color": HEADER_COLOUR, "quote_prefix": True}
        )
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.literal = workbook.add_format({"quote_prefix": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self._fills: dict[str, Any] = {}

    def fill(self, colour: str) -> Any:
        """A product-coloured cell, text in black or white so that it stays readable."""
        rgb = _rgb(colour)
        found = self._fills.get(rgb)
        if found is None:
            found = self.workbook.add_format(
                {
                    "bg_color": f"#{rgb}",
                    "font_color": "#FFFFFF" if _is_dark(rgb) else "#000000",
                    "font_size": 8,
                    "align": "center",
                }
            )
            self._fills[rgb] = found
        return found


class SheetCells:
    """Writes typed values into one worksheet at (row, column), 0-based like XlsxWriter."""

    def __init__(self, sheet: Worksheet, formats: Formats) -> None:
        self.sheet = sheet
        self.formats = formats

    def header(self, row: int, names: list[str]) -> None:
        for column, name in enumerate(names):
            text = clean_text(name)
            # An extra column operations named "=HDR()" stays literal text when retyped in Excel.
            fmt = self.formats.literal_header if text.startswith(FORMULA_PREFIXES) else None
            self.sheet.write_string(row, column, text, fmt or self.formats.header)

    def text(self, row: int, column: int, value: str | None, fmt: Any = None) -> None:
        if not value:
            return
        value = clean_text(value)
        if value.startswith(FORMULA_PREFIXES) and fmt is None:
            fmt = self.formats.literal
        self.sheet.write_string(row, column, value, fmt)

    def number(self, row: int, column: int, value: float | None) -> None:
        if value is not None:
            self.sheet.write_number(row, column, value)

    def moment(self, row: int, column: int, value: datetime | None) -> None:
        """A naive wall-clock date-time, shown ``yyyy-mm-dd hh:mm``."""
        if value is None:
            return
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        if value >= _SERIAL_SAFE:
            # The serial number Excel stores, computed here: several times cheaper than
            # XlsxWriter's general conversion, which matters at 30,000 date cells.
            delta = value - _EXCEL_EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400
            self.sheet.write_number(row, column, serial, self.formats.datetime)
        else:
            self.sheet.write_datetime(row, column, value, self.formats.datetime)

    def day(self, row: int, column: int, value: date | None) -> None:
        if value is None:
            return
        if isinstance(value, datetime):
            value = value.date()
        self.sheet.write_datetime(row, column, value, self.formats.date)

    def any(self, row: int, column: int, value: object) -> None:
        """An extra column's value, whatever type operations typed into it."""
        if value is None:
            return
        if isinstance(value, bool):
            self.sheet.write_boolean(row, column, value)
        elif isinstance(value, int | float):
            self.sheet.write_number(row, column, value)
        elif isinstance(value, datetime):
            self.moment(row, column, value)
        elif isinstance(value, date):
            self.day(row, column, value)
        else:
            self.text(row, column, str(value))

    def filled(self, row: int, column: int, label: str, colour: str) -> None:
        self.sheet.write_string(row, column, clean_text(label), self.formats.fill(colour))


def clean_text(value: str) -> str:
    """Text without the control characters an .xlsx cannot hold."""
    if not value.isprintable() and ILLEGAL_CHARACTERS.search(value):
        return ILLEGAL_CHARACTERS.sub("", value)
    return value


def _rgb(colour: str) -> str:
    text = colour.strip().lstrip("#").upper()
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789ABCDEF" for ch in text):
        return "4C78A8"
    return text


def _is_dark(rgb: str) -> bool:
    red, green, blue = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 140
