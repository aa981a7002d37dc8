"""What survives a restart: window layout, zoom, display zone, recent databases.

QSettings in the user's native store by default; tests and benchmarks pass an INI path (or set
``SCHEDULER_SETTINGS``) so nothing touches the planner's own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "CampaignScheduler"
APPLICATION = "Campaign Scheduler"
MAX_RECENT = 8


class AppSettings:
    def __init__(self, path: str | Path | None = None) -> None:
        path = path or os.environ.get("SCHEDULER_SETTINGS")
        if path:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.qsettings = QSettings(ORGANISATION, APPLICATION)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/state", value)

    @property
    def zoom(self) -> str:
        return str(self.qsettings.value("view/zoom", "quarter"))

    @zoom.setter
    def zoom(self, preset: str) -> None:
        self.qsettings.setValue("view/zoom", preset)

    @property
    def display_zone(self) -> str | None:
        """An IANA zone name, or ``None`` for the workstation's zone."""
        value = str(self.qsettings.value("view/zone", ""))
        return value or None

    @display_zone.setter
    def display_zone(self, tz_name: str | None) -> None:
        self.qsettings.setValue("view/zone", tz_name or "")

    @property
    def show_cancelled(self) -> bool:
        return str(self.qsettings.value("view/show_cancelled", "false")).lower() == "true"

    @show_cancelled.setter
    def show_cancelled(self, value: bool) -> None:
        self.qsettings.setValue("view/show_cancelled", "true" if value else "false")

    @property
    def show_legend(self) -> bool:
        return str(self.qsettings.value("view/show_legend", "false")).lower() == "true"

    @show_legend.setter
    def show_legend(self, value: bool) -> None:
        self.qsettings.setValue("view/show_legend", "true" if value else "false")

    @property
    def row_density(self) -> str:
        """``"comfortable"`` (default) or ``"compact"`` timeline rows."""
        value = str(self.qsettings.value("view/row_density", "comfortable"))
        return value if value in ("comfortable", "compact") else "comfortable"

    @row_density.setter
    def row_density(self, value: str) -> None:
        self.qsettings.setValue("view/row_density", value)

    @property
    def recent_databases(self) -> list[str]:
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return []

    def add_recent_database(self, target: str) -> None:
        """Put ``target`` first, without duplicates, keeping the last few."""
        recent = [target, *(item for item in self.recent_databases if item != target)]
        self.qsettings.setValue("files/recent", recent[:MAX_RECENT])

    def sync(self) -> None:
        self.qsettings.sync()
