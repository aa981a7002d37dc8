"""One sheet read as a table: its header row found wherever operations put it, its rows bounded.

Title rows above the header, merged title cells (openpyxl reports them as one value and blanks)
and blank rows are all tolerated; absurd sizes are refused before they cost memory or time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scheduler_app.excel.cell_checks import uncomputed_cells
from scheduler_app.excel.errors import ExcelError
from scheduler_app.excel.layout import COLUMNS, REQUIRED, Column, match_headers
from scheduler_app.excel.safety import MAX_COLUMNS, MAX_ROWS, check_dimensions
from scheduler_app.excel.values import unescape_ooxml

HEADER_SEARCH_ROWS = 30
Row = tuple[Any, ...]


@dataclass
class Table:
    """``positions`` maps a column key to its index in a row; ``headers`` the key to the header
    text as written (for messages); ``extras`` the unknown headers in their order."""

    sheet: str
    header_row: int
    positions: dict[str, int]
    headers: dict[str, str]
    extras: list[tuple[int, str]]
    rows: list[tuple[int, Row]] = field(default_factory=list)
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    """(row, position) of data cells holding a formula without a computed value."""

    def has(self, key: str) -> bool:
        return key in self.positions

    def value(self, row: Row, key: str) -> Any:
        position = self.positions.get(key)
        if position is None or position >= len(row):
            return None
        return row[position]

    def column_name(self, position: int) -> str | None:
        """The header of the column at ``position``, or None for a column the import ignores."""
        for key, found in self.positions.items():
            if found == position:
                return self.headers.get(key, key)
        return next((name for index, name in self.extras if index == position), None)

    def header(self, key: str, columns: tuple[Column, ...] = ()) -> str:
        found = self.headers.get(key)
        if found:
            return found
        return next((c.header for c in columns if c.key == key), key)


class EmptySheet(ExcelError):
    """A sheet with no values at all: for an optional sheet, the same as no sheet."""


def _unescaped(row: Row) -> Row:
    """Control-character escapes undone. Free text keeps its exact code points (the round trip
    is exact); identifiers are put in NFC where they are read (``cell_checks.checked_code``)."""
    if any(type(cell) is str and "_x" in cell for cell in row):
        return tuple(unescape_ooxml(cell) if type(cell) is str else cell for cell in row)
    return row


def _blank(row: Row) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _bounded(sheet: str, rows: Iterator[Row]) -> Iterator[tuple[int, Row]]:
    for number, row in enumerate(rows, 1):
        if number > MAX_ROWS:
            raise ExcelError(
                f"Sheet {sheet} has more than {MAX_ROWS:,} rows, more than an import accepts."
            )
        if len(row) > MAX_COLUMNS:
            raise ExcelError(
                f"Sheet {sheet} has more than {MAX_COLUMNS:,} columns, more than an import "
                "accepts; delete the unused columns and try again."
            )
        yield number, _unescaped(row)


def read_table(
    worksheet: Any,
    kind: str,
    tick: Callable[[float], None] | None = None,
) -> Table:
    """Read ``worksheet`` (an openpyxl read-only sheet) as a table of ``kind`` (a sheet name
    from :mod:`layout`). Raises :class:`ExcelError` if no row holds the required headers, and
    :class:`EmptySheet` if the sheet holds nothing at all."""
    title = str(worksheet.title)
    check_dimensions(title, worksheet.max_row, worksheet.max_column)
    uncomputed = uncomputed_cells(worksheet)
    expected = worksheet.max_row or 0  # only a progress estimate: the declared size may lie
    # Never trust the sheet's <dimension>: a claimed A1:N10 would cut the rows (and a
    # --delete-missing would delete the rest) and a claimed A1:F174 would hide columns. Read to
    # the real end of the data; _bounded still refuses absurd real sizes.
    reset = getattr(worksheet, "reset_dimensions", None)
    if reset is not None:
        reset()
    columns = COLUMNS[kind]
    required = REQUIRED[kind]
    rows = _bounded(title, worksheet.iter_rows(values_only=True))
    best: tuple[int, dict[str, int]] = (0, {})
    table: Table | None = None
    seen: list[Row] = []
    for number, row in rows:
        seen.append(row)
        positions, unknown = match_headers(row, columns)
        if all(key in positions for key in required):
            headers = {key: str(row[pos]).strip() for key, pos in positions.items()}
            table = Table(title, number, positions, headers, unknown)
            break
        if len(positions) > len(best[1]):
            best = (number, positions)
        if number >= HEADER_SEARCH_ROWS:
            break
    if table is None:
        if not best[1] and all(_blank(row) for row in seen):
            raise EmptySheet(f"Sheet {title} is empty.")
        raise ExcelError(_missing_columns_message(title, columns, required, best[1]))
    for number, row in rows:
        if tick is not None and number % 500 == 0 and expected:
            tick(min(number / expected, 1.0))
        if not _blank(row):
            table.rows.append((number, row))
    table.uncomputed = {
        (number, column - 1) for number, column in uncomputed if number > table.header_row
    }
    return table


def _missing_columns_message(
    sheet: str, columns: tuple[Column, ...], required: tuple[str, ...], found: dict[str, int]
) -> str:
    by_key = {column.key: column for column in columns}
    missing = [by_key[key] for key in required if key not in found]
    names = ", ".join(column.header for column in missing)
    if not found:
        return (
            f"Sheet {sheet} has no header row with the columns it needs ({names}) in its first "
            f"{HEADER_SEARCH_ROWS} rows."
        )
    hints = "; ".join(
        f"{column.header} may also be called {', '.join(column.synonyms[:3])}"
        for column in missing
        if column.synonyms
    )
    plural = "columns" if len(missing) > 1 else "column"
    return f"Sheet {sheet} is missing the {names} {plural}." + (f" ({hints})" if hints else "")
