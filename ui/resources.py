"""Where the style sheet, icons and About text live, and how they are loaded."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from scheduler_app.rules.conflict import Severity

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# The product's own documentation (user guide, workbook format, administration); the packaged
# build carries it beside ``resources`` (packaging/campaign_scheduler.spec).
DOCS = RESOURCES.parent / "docs"


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
