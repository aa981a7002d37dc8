"""File → Export Excel…: choose a file, write the whole schedule with progress, report the outcome.

The export writes beside the target and renames into place, so cancelling or a file held open
in Excel never damages the workbook that was there.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from scheduler_app.excel import ExcelCancelled, ExcelError, write_workbook
from scheduler_app.excel.version_sheet import VersionMarks
from scheduler_app.service import ScheduleService
from ui.excel_progress import ExcelProgress
from ui.notify import Notifier

FILTER = "Excel workbook (*.xlsx)"


def notifier_for(parent: QWidget | None) -> Notifier:
    """The window's notifier (tests record messages through it), else plain message boxes."""
    found = getattr(parent, "notifier", None)
    return found if isinstance(found, Notifier) else Notifier(parent)


def run_export(parent: QWidget | None, service: ScheduleService) -> None:
    suggested = f"schedule-{date.today():%Y-%m-%d}.xlsx"
    name, _ = QFileDialog.getSaveFileName(parent, "Export Excel workbook", suggested, FILTER)
    if not name:
        return
    path = Path(name)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    notifier = notifier_for(parent)
    progress = ExcelProgress(parent, "Export", f"Writing {path.name}…")
    try:
        write_workbook(
            service.schedule,
            path,
            conflicts=service.engine.conflicts,
            progress=progress,
            source_description=service.store.url_for_display
            + (f" (scenario {service.scenario})" if service.scenario else ""),
            version=latest_version_marks(service),
        )
    except ExcelCancelled:
        return
    except ExcelError as error:
        notifier.error("Export failed", str(error))
        return
    finally:
        progress.close()
    notifier.info(
        "Export finished",
        f"Wrote {len(service.schedule.campaigns)} campaigns to {path}. Times are site-local "
        "wall clock; edit the Campaigns sheet and import it back.",
    )


def latest_version_marks(service: ScheduleService) -> VersionMarks | None:
    """Baseline start, Slip (days) and the changes sheet against the latest published plan."""
    from scheduler_app.versions import latest_version, load_version

    number = latest_version(service.store)
    if number is None:
        return None
    version = load_version(service.store, number, service.schedule)
    return VersionMarks.build(number, version, service.schedule, list(service.engine.conflicts))
