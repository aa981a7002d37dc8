"""Where the style sheet, icons and About text live, and how they are loaded."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from scheduler_app.rules.conflict import Severity

_HERE = Path(__file__).resolve().parent


def _data_folder(name: str) -> Path:
    """``resources`` or ``docs``: inside the package in a wheel install (setup.py bundles them as
    ``ui/_bundled/<name>``), else beside the packages, as in a checkout, an editable install and
    the PyInstaller folder (packaging/campaign_scheduler.spec)."""
    bundled = _HERE / "_bundled" / name
    return bundled if bundled.is_dir() else _HERE.parent / name


RESOURCES = _data_folder("resources")
# The product's own documentation (user guide, workbook format, administration).
DOCS = _data_folder("docs")


def icon(name: str) -> QIcon:
    """``resources/icons/<name>.svg`` (an empty icon if it is missing)."""
    path = RESOURCES / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def severity_icons() -> dict[Severity, QIcon]:
    return {Severity.ERROR: icon("error"), Severity.WARNING: icon("warning")}


@cache
def style_sheet() -> str:
    path = RESOURCES / "style.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def about_text() -> str:
    path = RESOURCES / "about.html"
    return path.read_text(encoding="utf-8") if path.exists() else "Campaign Scheduler"
