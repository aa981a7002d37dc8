"""Import: read a workbook into an incoming :class:`Schedule` plus every problem found.

The reader never changes anything; it returns what the workbook says and what is wrong with it.
Row-level problems come back as :class:`ImportIssue` errors and warnings (if there is any error,
nothing may be applied); a file that cannot be read at all raises :class:`ExcelError` with one
sentence, whatever openpyxl or the XML parser threw.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from scheduler_app.excel import baseline, layout, values
from scheduler_app.excel.campaign_rows import read_campaigns
from scheduler_app.excel.cell_checks import UNCOMPUTED
from scheduler_app.excel.errors import ExcelCancelled, ExcelError, ImportIssue
from scheduler_app.excel.issues import Issues
from scheduler_app.excel.layout import normalise
from scheduler_app.excel.master_rows import (
    read_equipment,
    read_maintenance,
    read_products,
    read_sites,
)
from scheduler_app.excel.process_rows import read_changeovers
from scheduler_app.excel.safety import MAX_ROWS, check_workbook_file, require_defusedxml
from scheduler_app.excel.table import EmptySheet, Table, read_table
from scheduler_app.ids import CampaignId
from scheduler_app.schedule import Schedule

Progress = Callable[[float], object]


@dataclass
class ImportResult:
    """What a workbook says. ``schedule`` is the incoming schedule (master data from the
    workbook's sheets where present, else from the database); ``new_ids`` are the IDs given to
    rows without a Campaign ID; ``rows`` maps each campaign to its Excel row."""

    schedule: Schedule
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    new_ids: list[CampaignId] = field(default_factory=list)
    rows: dict[CampaignId, int] = field(default_factory=dict)
    conflicts: list[ImportIssue] = field(default_factory=list)
    """Fields both the workbook and the database changed since the export (not applied)."""

    @property
    def ok(self) -> bool:
        return not self.errors


def read_workbook(
    path: str | os.PathLike[str],
    schedule_for_matching: Schedule | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read ``path``. ``schedule_for_matching`` (the database schedule) supplies master data the
    workbook lacks, the versions of matched campaigns and the IDs new rows must not reuse."""
    source = Path(path)
    tick = _ticker(progress)
    tick(0.0)
    require_defusedxml()
    notes = check_workbook_file(source)
    try:
        with source.open("rb") as handle:
            result = _read(handle, source.name, schedule_for_matching, tick)
    except ExcelError:
        raise
    except OSError as error:
        raise ExcelError(f"Cannot read {source.name}: {error.strerror or error}.") from None
    except Exception as error:  # untrusted input: any parser failure is one sentence (cause kept)
        raise ExcelError(_unreadable(source.name, error)) from error
    result.warnings[:0] = [ImportIssue("", 0, "", None, note) for note in notes]
    tick(1.0)
    return result


def _ticker(progress: Progress | None) -> Callable[[float], None]:
    def tick(fraction: float) -> None:
        if progress is not None and progress(min(max(fraction, 0.0), 1.0)) is False:
            raise ExcelCancelled("Import cancelled; nothing was changed.")

    return tick


def _unreadable(name: str, error: BaseException) -> str:
    """openpyxl wraps parser errors in a ValueError; the defusedxml refusal is in the chain."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, DefusedXmlException):
            return (
                f"{name} contains XML entity or DTD declarations, which are used in attacks; "
                "it was refused."
            )
        seen = seen.__cause__ or seen.__context__
    return f"{name} is damaged or not a valid Excel workbook and could not be read."


def _read(
    handle: Any, name: str, known: Schedule | None, tick: Callable[[float], None]
) -> ImportResult:
    from openpyxl import load_workbook

    workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    try:
        sheets = workbook.worksheets
        campaigns_sheet = _sheet(sheets, layout.CAMPAIGNS, name)
        if campaigns_sheet is None:
            if len(workbook.worksheets) != 1:
                listed = ", ".join(sheet.title for sheet in workbook.worksheets)
                raise ExcelError(f"{name} has no {layout.CAMPAIGNS} sheet (it has: {listed}).")
            campaigns_sheet = workbook.worksheets[0]
        tick(0.02)
        tables = {}
        for kind in (
            layout.SITES,
            layout.EQUIPMENT,
            layout.PRODUCTS,
            layout.MAINTENANCE,
            layout.CHANGEOVERS,
        ):
            sheet = _sheet(sheets, kind, name)
            if sheet is not None:
                with contextlib.suppress(EmptySheet):  # an emptied sheet counts as absent
                    tables[kind] = read_table(sheet, kind)
        tick(0.05)
        campaigns = read_table(campaigns_sheet, layout.CAMPAIGNS, lambda f: tick(0.05 + 0.8 * f))
        exported = _read_baseline(workbook, known.origin if known is not None else "")
    finally:
        workbook.close()
    tick(0.85)
    token = values.EPOCH.set(workbook.epoch)  # serials typed as numbers or text
    try:
        return _interpret(name, tables, campaigns, known, exported)
    finally:
        values.EPOCH.reset(token)


def _sheet(worksheets: list[Any], kind: str, name: str) -> Any | None:
    """The sheet for ``kind``. One named exactly as the export names it wins over one that only
    normalises alike (a stale hidden ``Campaigns_`` beside the edited ``Campaigns``); two
    look-alikes and no exact name is refused rather than guessed."""
    exact = next((sheet for sheet in worksheets if sheet.title == kind), None)
    if exact is not None:
        return exact
    alike = [sheet for sheet in worksheets if normalise(sheet.title) == normalise(kind)]
    if len(alike) > 1:
        listed = ", ".join(sheet.title for sheet in alike)
        raise ExcelError(
            f"{name} has {len(alike)} sheets that could be the {kind} sheet ({listed}); rename "
            f"the one to import to {kind} or delete the others."
        )
    return alike[0] if alike else None


def _read_baseline(workbook: Any, origin: str) -> dict[CampaignId, baseline.Exported] | None:
    """The hidden sheet the export wrote (matched by its exact name), or None."""
    sheet = next((s for s in workbook.worksheets if s.title == baseline.SHEET), None)
    if sheet is None or not origin:
        return None
    sheet.reset_dimensions()
    rows = itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS + 1)
    return baseline.parse_baseline(rows, origin)


def _interpret(
    name: str,
    tables: dict[str, Table],
    campaigns: Table,
    known: Schedule | None,
    exported: dict[CampaignId, baseline.Exported] | None = None,
) -> ImportResult:
    issues = Issues()
    incoming = Schedule()
    for kind in (layout.SITES, layout.EQUIPMENT, layout.PRODUCTS):
        if kind not in tables and known is None:
            raise ExcelError(
                f"{name} has no {kind} sheet and there is no database to take {kind.lower()} "
                "from; export a full workbook or import into an existing schedule."
            )
    if layout.SITES in tables:
        incoming.sites = read_sites(tables[layout.SITES], issues)
    elif known is not None:
        incoming.sites = dict(known.sites)
    if layout.EQUIPMENT in tables:
        incoming.suites, incoming.bioreactors = read_equipment(
            tables[layout.EQUIPMENT], issues, incoming.sites, known
        )
    elif known is not None:
        incoming.suites, incoming.bioreactors = dict(known.suites), dict(known.bioreactors)
    if layout.PRODUCTS in tables:
        incoming.products = read_products(tables[layout.PRODUCTS], issues, incoming.sites)
    elif known is not None:
        incoming.products = dict(known.products)
    _check_references(incoming, issues, name)
    if layout.CHANGEOVERS in tables:
        products = {**(known.products if known is not None else {}), **incoming.products}
        incoming.changeovers = read_changeovers(tables[layout.CHANGEOVERS], issues, products)
    elif known is not None:
        incoming.changeovers = dict(known.changeovers)  # no sheet: the matrix is not edited
    if layout.MAINTENANCE in tables:
        incoming.maintenance = read_maintenance(tables[layout.MAINTENANCE], issues, incoming, known)
    elif known is not None:
        incoming.maintenance = list(known.maintenance)
    for table in [*tables.values(), campaigns]:
        _report_uncomputed(table, issues)
    rows = read_campaigns(campaigns, issues, incoming, known)
    incoming.campaigns = rows.campaigns
    incoming.extra_columns = rows.extra_columns
    conflicts = []
    if exported is not None and known is not None and not issues.errors:
        conflicts = baseline.reconcile(
            incoming.campaigns, rows.rows, exported, known, issues, campaigns.sheet
        )
    if issues.dropped:
        issues.errors.append(
            ImportIssue("", 0, "", None, f"{issues.dropped} more problems were not listed.")
        )
    return ImportResult(
        incoming,
        issues.errors,
        issues.warnings,
        rows.extra_columns,
        rows.new_ids,
        rows.rows,
        conflicts,
    )


def _report_uncomputed(table: Table, issues: Issues) -> None:
    """A formula nobody computed reads as blank, which would wipe the field: an error instead."""
    for number, position in sorted(table.uncomputed):
        column = table.column_name(position)
        if column is not None:
            issues.errors.append(
                ImportIssue(table.sheet, number, column, None, f"{column} {UNCOMPUTED}.")
            )


def _check_references(incoming: Schedule, issues: Issues, name: str) -> None:
    """Master data taken half from the workbook and half from the database must still fit; a
    suite at an unknown site is an error and its bioreactors are left out."""
    broken = {code for code, suite in incoming.suites.items() if suite.site not in incoming.sites}
    for code in sorted(broken):
        suite = incoming.suites.pop(code)
        issues.errors.append(
            ImportIssue(
                layout.EQUIPMENT,
                0,
                "Site",
                suite.site,
                f"Suite {code} is at site {suite.site}, which {name} does not define.",
            )
        )
    for reactor in list(incoming.bioreactors.values()):
        if reactor.suite not in incoming.suites:
            del incoming.bioreactors[reactor.code]
