"""Export: one workbook that carries a whole schedule, master data included.

Times are written as the site's local wall clock (what operations see on the floor). The file is
written beside the target and renamed into place, so a failed or cancelled export never damages
the workbook that was there before.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from scheduler_app.campaigns import Purpose, Status
from scheduler_app.equipment import EquipmentRole
from scheduler_app.excel import baseline, file_output, layout
from scheduler_app.excel.cells import Formats, SheetCells
from scheduler_app.excel.errors import ExcelCancelled, ExcelError
from scheduler_app.excel.gantt import write_gantt
from scheduler_app.excel.layout import Column
from scheduler_app.excel.process_rows import qualified_sites_text
from scheduler_app.excel.report_sheets import write_about, write_conflicts
from scheduler_app.excel.version_sheet import VersionMarks, write_changes
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule

Progress = Callable[[float], object]
_EXCEL_LAST_ROW = 1_048_575
_WORKBOOK_OPTIONS = {
    "constant_memory": False,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class _Ticker:
    """Calls the progress callback now and then; ``False`` or :class:`ExcelCancelled` from it
    cancels the export."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, fraction: float) -> None:
        if self.progress is None:
            return
        if self.progress(min(max(fraction, 0.0), 1.0)) is False:
            raise ExcelCancelled("Export cancelled; no file was written.")


def campaign_extra_columns(schedule: Schedule) -> list[str]:
    """The schedule's extra columns in their order, then any only a campaign knows about."""
    names = list(dict.fromkeys(schedule.extra_columns))
    seen = set(names)
    for campaign in schedule.campaigns.values():
        for name, _ in campaign.extra:
            if name not in seen:
                seen.add(name)
                names.append(name)
    return names


def write_workbook(
    schedule: Schedule,
    path: str | os.PathLike[str],
    conflicts: Sequence[Conflict] | None = None,
    progress: Progress | None = None,
    source_description: str = "",
    version: VersionMarks | None = None,
) -> None:
    """Write ``schedule`` to ``path`` (.xlsx). ``conflicts`` defaults to a fresh check; the
    progress callback gets fractions 0..1 and may cancel. With a published ``version`` the
    Campaigns sheet shows Baseline start and Slip (days) and a sheet lists the changes since.
    Raises :class:`ExcelError`; the file that was at ``path`` before is untouched unless the
    export succeeds."""
    target = Path(path)
    tick = _Ticker(progress)
    tick(0.0)
    file_output.check_target(target)
    # Assembled in memory: a full disk then fails one plain write we handle, not XlsxWriter's
    # zip file (whose half-closed ZipFile leaked a traceback from its __del__).
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {**_WORKBOOK_OPTIONS, "in_memory": True})
    try:
        if conflicts is None:
            conflicts = _check(schedule)
        _build(workbook, schedule, conflicts, tick, source_description, target, version)
    finally:
        _close(workbook, target)
    tick(0.98)
    file_output.write_in_place(target, buffer.getbuffer())
    tick(1.0)


def _check(schedule: Schedule) -> list[Conflict]:
    try:
        from scheduler_app.rules.engine import check_schedule
    except ImportError:
        return []
    return list(check_schedule(schedule))


def _build(
    workbook: Workbook,
    schedule: Schedule,
    conflicts: Sequence[Conflict],
    tick: _Ticker,
    source_description: str,
    target: Path,
    version: VersionMarks | None = None,
) -> None:
    """Fill every sheet. Progress fractions follow measured time: XlsxWriter spends the last
    40 % or so inside ``close()`` assembling XML and zipping, which has no steps to report."""
    formats = Formats(workbook)
    sheets = {
        name: workbook.add_worksheet(name)
        for name in (
            layout.CAMPAIGNS,
            layout.MAINTENANCE,
            layout.PRODUCTS,
            layout.EQUIPMENT,
            layout.CHANGEOVERS,
            layout.SITES,
            layout.GANTT,
            layout.CONFLICTS,
            layout.ABOUT,
            layout.LISTS,
        )
    }
    ranges = _write_lists(SheetCells(sheets[layout.LISTS], formats), schedule)
    sheets[layout.LISTS].hide()
    _write_baseline(workbook.add_worksheet(baseline.SHEET), schedule)

    def campaigns_tick(fraction: float) -> None:
        tick(0.02 + 0.4 * fraction)

    _write_campaigns(
        SheetCells(sheets[layout.CAMPAIGNS], formats), schedule, ranges, campaigns_tick, version
    )
    _write_maintenance(SheetCells(sheets[layout.MAINTENANCE], formats), schedule, ranges)
    _write_products(SheetCells(sheets[layout.PRODUCTS], formats), schedule)
    _write_equipment(SheetCells(sheets[layout.EQUIPMENT], formats), schedule, ranges)
    _write_sites(SheetCells(sheets[layout.SITES], formats), schedule)
    _write_changeovers(SheetCells(sheets[layout.CHANGEOVERS], formats), schedule, ranges)
    tick(0.44)
    write_gantt(SheetCells(sheets[layout.GANTT], formats), schedule)
    tick(0.5)
    write_conflicts(SheetCells(sheets[layout.CONFLICTS], formats), schedule, conflicts)
    write_about(
        SheetCells(sheets[layout.ABOUT], formats),
        schedule,
        exported_at=datetime.now(UTC),
        source=source_description,
        file_name=target.name,
        conflicts=conflicts,
    )
    if version is not None:
        changes = SheetCells(workbook.add_worksheet(version.sheet_name), formats)
        write_changes(changes, schedule, version)
    tick(0.55)


def _prepare(sheet: Worksheet, columns: Sequence[Column], n_rows: int) -> None:
    """Widths, frozen header and filters."""
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(n_rows, 1), max(len(columns) - 1, 0))


def _validate(sheet: Worksheet, column: int, source: str, what: str) -> None:
    sheet.data_validation(
        1,
        column,
        _EXCEL_LAST_ROW,
        column,
        {
            "validate": "list",
            "source": source,
            "ignore_blank": True,
            "error_title": f"Unknown {what}",
            "error_message": f"Pick a {what} from the list.",
        },
    )


def _write_lists(cells: SheetCells, schedule: Schedule) -> dict[str, str]:
    """The hidden sheet that drop-downs point at (a list typed into a rule is limited to 255
    characters, too few for a real product list)."""
    columns: dict[str, list[str]] = {
        "Product": sorted(schedule.products),
        "Site": sorted(schedule.sites),
        "Bioreactor": [reactor.code for reactor in schedule.bioreactors_in_order()],
        "Status": [status.value for status in Status],
        "Production": [reactor.code for reactor in schedule.production_bioreactors()],
        "Purpose": [purpose.value for purpose in Purpose],
        "Role": [role.value for role in EquipmentRole],
    }
    cells.header(0, list(columns))
    ranges = {}
    for index, (name, values) in enumerate(columns.items()):
        for row, value in enumerate(values, 1):
            cells.text(row, index, value)
        letter = chr(ord("A") + index)
        ranges[name] = f"={layout.LISTS}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    return ranges


def _write_campaigns(
    cells: SheetCells,
    schedule: Schedule,
    ranges: dict[str, str],
    tick: Callable[[float], None],
    version: VersionMarks | None = None,
) -> None:
    columns = layout.CAMPAIGN_COLUMNS
    extras = campaign_extra_columns(schedule)
    sheet = cells.sheet
    marks = layout.EXPORT_ONLY_CAMPAIGN_COLUMNS if version is not None else ()
    _prepare(
        sheet,
        [*columns, *marks, *(Column(name, name, (), 14) for name in extras)],
        len(schedule.campaigns),
    )
    positions = {column.key: index for index, column in enumerate(columns)}
    for key, what, source in (
        ("product", "product", "Product"),
        ("site", "site", "Site"),
        ("bioreactor", "bioreactor", "Production"),
        ("status", "status", "Status"),
        ("purpose", "purpose", "Purpose"),
    ):
        _validate(sheet, positions[key], ranges[source], what)
    cells.header(0, [column.header for column in (*columns, *marks)] + extras)
    zones = {code: schedule.time_zone_of(code) for code in schedule.bioreactors}
    suites = {code: reactor.suite for code, reactor in schedule.bioreactors.items()}
    site_of_suite = {code: suite.site for code, suite in schedule.suites.items()}
    clients = {code: product.client for code, product in schedule.products.items()}
    ordered = sorted(schedule.campaigns.values(), key=lambda c: (c.start, c.id))
    total = max(len(ordered), 1)
    text, moment, number = cells.text, cells.moment, sheet.write_number
    first_extra = len(columns) + len(marks)
    at = positions
    for row, campaign in enumerate(ordered, 1):
        if row % 500 == 0:
            tick(row / total)
        tz_name = zones[campaign.bioreactor]
        suite = suites[campaign.bioreactor]
        text(row, at["id"], campaign.id)
        text(row, at["product"], campaign.product)
        text(row, at["client"], clients.get(campaign.product, ""))
        text(row, at["site"], site_of_suite[suite])
        text(row, at["suite"], suite)
        text(row, at["bioreactor"], campaign.bioreactor)
        moment(row, at["start"], utc_to_local_naive(campaign.start, tz_name))
        moment(row, at["end"], utc_to_local_naive(schedule.campaign_end(campaign), tz_name))
        number(row, at["batches"], campaign.batches)
        number(row, at["batch_days"], campaign.batch_days)
        number(row, at["turnaround_days"], campaign.turnaround_days)
        text(row, at["status"], campaign.status.value)
        cells.day(row, at["due"], campaign.due)
        text(row, at["purpose"], campaign.purpose.value)
        if campaign.needs is not None:
            text(row, at["needs"], campaign.needs)
        number(row, at["lag_days"], campaign.lag_days)
        text(row, at["notes"], campaign.notes)
        if version is not None:
            moment(row, len(columns), version.baseline_start(campaign, tz_name))
            cells.number(row, len(columns) + 1, version.slips.get(campaign.id))
        if campaign.extra:
            values = dict(campaign.extra)
            for offset, name in enumerate(extras):
                cells.any(row, first_extra + offset, values.get(name))
    tick(1.0)


def _write_baseline(sheet: Worksheet, schedule: Schedule) -> None:
    """The hidden memory of what was exported (see :mod:`baseline`): plain strings, no formats."""
    write = sheet.write_string
    for row, values in enumerate(
        baseline.baseline_rows(schedule, campaign_extra_columns(schedule))
    ):
        for column, value in enumerate(values):
            write(row, column, value)
    sheet.hide()


def _write_maintenance(cells: SheetCells, schedule: Schedule, ranges: dict[str, str]) -> None:
    columns = layout.MAINTENANCE_COLUMNS
    _prepare(cells.sheet, columns, len(schedule.maintenance))
    _validate(cells.sheet, 0, ranges["Site"], "site")
    _validate(cells.sheet, 2, ranges["Bioreactor"], "bioreactor")
    cells.header(0, [column.header for column in columns])
    ordered = sorted(schedule.maintenance, key=lambda w: (w.start, w.site, w.scope))
    for row, window in enumerate(ordered, 1):
        tz_name = schedule.sites[window.site].time_zone
        cells.text(row, 0, window.site)
        cells.text(row, 1, window.suite)
        cells.text(row, 2, window.bioreactor)
        cells.moment(row, 3, utc_to_local_naive(window.start, tz_name))
        cells.moment(row, 4, utc_to_local_naive(window.end, tz_name))
        cells.text(row, 5, window.reason)


def _write_products(cells: SheetCells, schedule: Schedule) -> None:
    columns = layout.PRODUCT_COLUMNS
    _prepare(cells.sheet, columns, len(schedule.products))
    cells.header(0, [column.header for column in columns])
    ordered = sorted(schedule.products.values(), key=lambda p: p.code)
    for row, product in enumerate(ordered, 1):
        cells.text(row, 0, product.code)
        cells.text(row, 1, product.name)
        cells.text(row, 2, product.client)
        cells.text(row, 3, product.modality)
        cells.text(row, 4, "; ".join(str(scale) for scale in product.validated_scales_l))
        cells.number(row, 5, product.batch_days)
        cells.number(row, 6, product.turnaround_days)
        cells.number(row, 7, product.changeover_days)
        cells.text(row, 8, qualified_sites_text(product))
        cells.filled(row, 9, product.colour, product.colour)
        cells.number(row, 10, product.seed_days)
        cells.number(row, 11, product.harvest_days)
        cells.number(row, 12, product.max_batches)


def _write_equipment(cells: SheetCells, schedule: Schedule, ranges: dict[str, str]) -> None:
    columns = layout.EQUIPMENT_COLUMNS
    _prepare(cells.sheet, columns, len(schedule.bioreactors))
    _validate(cells.sheet, 6, ranges["Role"], "role")
    cells.header(0, [column.header for column in columns])
    for row, reactor in enumerate(schedule.bioreactors_in_order(), 1):
        suite = schedule.suites[reactor.suite]
        cells.text(row, 0, suite.site)
        cells.text(row, 1, suite.code)
        cells.text(row, 2, reactor.code)
        cells.number(row, 3, reactor.working_volume_l)
        cells.text(row, 4, reactor.reactor_type.value)
        cells.day(row, 5, reactor.available_from)
        cells.text(row, 6, reactor.role.value)
        cells.text(row, 7, "; ".join(reactor.serves))
        cells.text(row, 8, suite.name)


def _write_changeovers(cells: SheetCells, schedule: Schedule, ranges: dict[str, str]) -> None:
    columns = layout.CHANGEOVER_COLUMNS
    _prepare(cells.sheet, columns, len(schedule.changeovers))
    _validate(cells.sheet, 0, ranges["Product"], "product")
    _validate(cells.sheet, 1, ranges["Product"], "product")
    cells.header(0, [column.header for column in columns])
    for row, ((before, after), days) in enumerate(sorted(schedule.changeovers.items()), 1):
        cells.text(row, 0, before)
        cells.text(row, 1, after)
        cells.number(row, 2, days)


def _write_sites(cells: SheetCells, schedule: Schedule) -> None:
    columns = layout.SITE_COLUMNS
    _prepare(cells.sheet, columns, len(schedule.sites))
    cells.header(0, [column.header for column in columns])
    for row, site in enumerate(sorted(schedule.sites.values(), key=lambda s: s.code), 1):
        cells.text(row, 0, site.code)
        cells.text(row, 1, site.name)
        cells.text(row, 2, site.time_zone)
        cells.day(row, 3, site.available_from)


def _close(workbook: Workbook, target: Path) -> None:
    try:
        workbook.close()
    except FileCreateError:
        raise ExcelError(f"Cannot write {target.name}: its folder is read-only.") from None
    except OSError as error:
        raise ExcelError(f"Cannot write {target.name}: {error.strerror or error}.") from None
