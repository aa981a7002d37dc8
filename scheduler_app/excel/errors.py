"""What goes wrong with a workbook, in words a planner can act on."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler_app.errors import SchedulerError


class ExcelError(SchedulerError):
    """A workbook cannot be written or read. The message is one sentence; ``issues`` carries the
    row-level problems when the workbook was readable but its contents were refused."""

    def __init__(self, message: str, issues: tuple[ImportIssue, ...] = ()) -> None:
        super().__init__(message)
        self.issues = issues


class ExcelCancelled(ExcelError):
    """The planner cancelled an export or import; nothing was written or applied."""


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One problem in one cell. ``row`` is Excel's 1-based row number (0 when the problem is
    about the sheet as a whole); ``column`` is the header as written in the workbook."""

    sheet: str
    row: int
    column: str
    value: object
    message: str

    def as_json(self) -> dict[str, object]:
        """The shape ``import --json`` prints; values Excel produced become plain text."""
        value = self.value
        if value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        where = f"{self.sheet}" + (f" row {self.row}" if self.row else "")
        if self.column:
            where += f", {self.column}"
        shown = "" if self.value in (None, "") else f" ({self.value!r})"
        return f"{where}{shown}: {self.message}"
