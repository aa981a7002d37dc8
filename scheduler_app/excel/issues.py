"""Collecting the problems found while reading, each pinned to its sheet, row and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scheduler_app.excel.cell_checks import excel_error
from scheduler_app.excel.errors import ImportIssue
from scheduler_app.excel.table import Row, Table

T = TypeVar("T")

# A cap so that a wholly wrong workbook produces a readable report, not 100,000 lines.
MAX_ISSUES = 500


@dataclass
class Issues:
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    dropped: int = 0

    def error(self, table: Table, number: int, key: str, value: object, message: str) -> None:
        self._add(self.errors, ImportIssue(table.sheet, number, table.header(key), value, message))

    def warn(self, table: Table, number: int, key: str, value: object, message: str) -> None:
        self._add(
            self.warnings, ImportIssue(table.sheet, number, table.header(key), value, message)
        )

    def _add(self, into: list[ImportIssue], issue: ImportIssue) -> None:
        if len(into) >= MAX_ISSUES:
            self.dropped += 1
            return
        into.append(issue)


class RowReader:
    """Reads the fields of one row, turning a parser's ``ValueError`` into an error on the cell."""

    def __init__(self, table: Table, issues: Issues, number: int, row: Row) -> None:
        self.table = table
        self.issues = issues
        self.number = number
        self.row = row
        self.failed = False

    def raw(self, key: str) -> Any:
        return self.table.value(self.row, key)

    def error(self, key: str, message: str, value: object = None) -> None:
        self.failed = True
        shown = self.raw(key) if value is None else value
        self.issues.error(self.table, self.number, key, shown, message)

    def warn(self, key: str, message: str, value: object = None) -> None:
        shown = self.raw(key) if value is None else value
        self.issues.warn(self.table, self.number, key, shown, message)

    def required(self, key: str, parse: Callable[[Any], T], what: str) -> T | None:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not self._uncomputed(key):
                self.error(key, f"{what} is missing.", value="")
            else:
                self.failed = True
            return None
        return self.parsed(key, parse, what)

    def _uncomputed(self, key: str) -> bool:
        """True when the blank cell is a formula nobody computed (reported on its own)."""
        position = self.table.positions.get(key)
        return position is not None and (self.number, position) in self.table.uncomputed

    def optional(self, key: str, parse: Callable[[Any], T], what: str) -> T | None:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.parsed(key, parse, what)

    def parsed(self, key: str, parse: Callable[[Any], T], what: str) -> T | None:
        code = excel_error(self.raw(key))
        if code is not None:
            self.error(
                key,
                f"{what} is the Excel error value {code}, not a value: fix the formula or "
                "type the value in Excel.",
            )
            return None
        try:
            return parse(self.raw(key))
        except ValueError as problem:
            self.error(key, f"{what} {problem}.")
            return None
