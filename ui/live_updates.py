"""``LiveUpdates``: the window's heartbeat that picks up what other planners commit.

A ``QTimer`` calls ``service.sync()`` a few times a second (cheap when nothing changed: the core
looks at ``PRAGMA data_version`` or a flag its PostgreSQL ``LISTEN`` thread sets). The service
reloads what the changes touched and tells its observers, so the timeline, conflicts, inspector,
capacity and History refresh in place; this class only tells the planner who changed what, in the
corner note and the status bar; what others commit to other plans (Live beside a scenario) is
passed on as ``otherPlansChanged`` (a scenario's window redraws Live's outlines). Nothing is
synchronised while a mouse button is held on the timeline (a drag in progress keeps the plan it
started on until it is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStatusBar

from scheduler_app.errors import SchedulerError
from scheduler_app.ids import CampaignId
from scheduler_app.live import RemoteChange
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule
from ui.live_notice import LiveNotice, NoticeLine

INTERVAL_MS = 400
LOST = (
    "Lost the connection to the database; reconnecting. Changes you make now are refused "
    "until it is back; nothing saved is lost."
)
BACK = "The connection to the database is back; the schedule was reloaded and is current."
RESYNC = "resync"


class LiveSource(Protocol):
    """What the heartbeat needs from the service."""

    @property
    def schedule(self) -> Schedule: ...

    @property
    def live_lost(self) -> bool: ...

    @property
    def elsewhere(self) -> list[RemoteChange]: ...

    def sync(self) -> list[RemoteChange]: ...


def notice_line(change: RemoteChange, schedule: Schedule) -> NoticeLine:
    """A remote change in a planner's words; a single move names where the campaign went."""
    when = change.at.astimezone().strftime("%H:%M")
    text = change.description
    ids = tuple(str(key) for key in change.campaigns)
    if change.action == "move" and len(ids) == 1:
        moved = schedule.campaigns.get(CampaignId(ids[0]))
        if moved is not None:
            local = utc_to_local_naive(moved.start, schedule.time_zone_of(moved.bioreactor))
            text = f"{change.user} moved {moved.id} to {moved.bioreactor}, {local:%d %b %Y}"
            if change.reason:
                text += f" — {change.reason}"
    return NoticeLine(text, when, ids)


class LiveUpdates(QObject):
    """``otherPlansChanged(changes)``: what others committed to plans this window does not show
    (Live beside a scenario, other scenarios, scenarios made or deleted), not applied here."""

    otherPlansChanged = Signal(object)

    def __init__(
        self,
        service: LiveSource,
        notice: LiveNotice,
        status: QStatusBar,
        busy: Callable[[], bool] = lambda: False,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(notice)
        self.service = service
        self.notice = notice
        self.status = status
        self.busy = busy
        self.lost = False
        self.last_seen: datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> list[RemoteChange]:
        """One look: remote changes are applied by the service and told here. A failing look
        means the database cannot be reached: told once, until a look succeeds again."""
        if self.busy():
            return []
        try:
            changes = self.service.sync()
        except SchedulerError:
            self._connection(lost=True)
            return []
        if self.service.elsewhere:
            self.otherPlansChanged.emit(list(self.service.elsewhere))
        back = [change for change in changes if change.action == RESYNC]
        changes = [change for change in changes if change.action != RESYNC]
        self._connection(lost=self.service.live_lost, told=back[0].description if back else BACK)
        if changes:
            schedule = self.service.schedule
            lines = [notice_line(change, schedule) for change in reversed(changes)]
            self.notice.add(lines)
            self.status.showMessage(lines[0].text, 8000)
            self.last_seen = changes[-1].at
        return changes

    def _connection(self, lost: bool, told: str = BACK) -> None:
        """Say once that the connection is lost, and once that it is back."""
        if lost == self.lost:
            return
        self.lost = lost
        if lost:
            self.notice.set_problem(LOST)
            self.status.showMessage(LOST)
        else:
            self.notice.clear_problem(told)
            self.status.showMessage(told, 8000)
