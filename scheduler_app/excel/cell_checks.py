"""Cells that would otherwise become silently wrong values: formulas nobody computed, Excel error
values, identifiers with invisible or look-alike characters, text longer than a cell can hold.

Each check either raises ``ValueError`` with a planner's sentence (the reader pins it to sheet,
row and column) or returns the cleaned value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from scheduler_app.unicode_text import nfc

MAX_CELL_TEXT = 32_767  # Excel's limit: longer text would be cut on the next export
MAX_CODE = 64  # the database's limit on a campaign, product or bioreactor code
EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
        "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
        "#UNKNOWN!",
    }
)  # fmt: skip
UNCOMPUTED = "is a formula with no computed value: open and save the file in Excel, then import it"

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_STRING_RESULT = re.compile(rb'\bt="str"')
# Dashes and minus signs that look like the hyphen in CMP-0042 but are other characters.
_LOOK_ALIKE_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def excel_error(value: object) -> str | None:
    """The error code if ``value`` is one Excel shows for a failed formula (``#N/A``…)."""
    if type(value) is str and value.startswith("#") and value.strip().upper() in EXCEL_ERRORS:
        return value.strip()
    return None


def uncomputed_cells(worksheet: Any) -> set[tuple[int, int]]:
    """(row, column), 1-based, of formula cells whose file carries no computed value (written
    by a program that cannot calculate, or saved with calculation off). Only scanned when the
    sheet holds a formula at all, which an exported or hand-typed sheet does not."""
    get_source = getattr(worksheet, "_get_source", None)
    if get_source is None:
        return set()
    with get_source() as source:
        data = source.read()
    if not _FORMULA.search(data):
        return set()
    found = set()
    for match in _CELL.finditer(data):
        inner = match.group(2)
        if not inner or not _FORMULA.search(inner) or _VALUE.search(inner):
            continue
        attributes = match.group(1)
        if _STRING_RESULT.search(attributes):
            continue  # a formula whose computed value is the empty string
        ref = _REF.search(attributes)
        if ref is not None:
            found.add((int(ref.group(2)), _column_number(ref.group(1).decode())))
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def checked_code(text: str, limit: int = MAX_CODE) -> str:
    """An identifier as typed, in NFC; refused when it holds a character that cannot be seen or
    only looks like another (a zero-width space, an en dash for a hyphen, full-width letters),
    or is longer than the database keeps."""
    code = nfc(text)
    if not code.isascii():
        for character in code:
            problem = _suspicious(character)
            if problem:
                name = unicodedata.name(character, f"U+{ord(character):04X}")
                raise ValueError(
                    f"contains {problem} ({name}, U+{ord(character):04X}); retype it with "
                    "plain characters"
                )
    if len(code) > limit:
        raise ValueError(f"is {len(code):,} characters long; at most {limit} are allowed")
    return code


def _suspicious(character: str) -> str:
    if character.isascii():
        return ""
    category = unicodedata.category(character)
    if category in ("Cf", "Cc", "Co", "Cs", "Cn") or category.startswith("Z"):
        return "an invisible character"
    if character in _LOOK_ALIKE_DASHES or category == "Pd":
        return "a dash that only looks like a hyphen"
    if unicodedata.normalize("NFKC", character) != character:
        return "a look-alike of another character"
    return ""


def checked_text_problem(value: str) -> str:
    """Why free text (notes, an extra column) over Excel's cell limit is refused: it would be
    cut on the next export."""
    return (
        f"is {len(value):,} characters long, more than the {MAX_CELL_TEXT:,} an Excel cell "
        "holds; shorten it"
    )
