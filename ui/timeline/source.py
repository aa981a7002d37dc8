"""``ScheduleSource``: what the timeline (and the chart renderer) needs from the core.

The service satisfies it; a test or a benchmark may pass any object with these members (a schedule,
its conflict engine and the observer hooks), so the timeline never depends on the whole service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from scheduler_app.change_set import ChangeSet
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule

Observer = Callable[[ChangeSet], None]


class ScheduleSource(Protocol):
    """The schedule drawn, the engine whose conflicts mark it and previews drags, and the hooks
    through which the timeline hears about every change."""

    @property
    def schedule(self) -> Schedule: ...

    @property
    def engine(self) -> ConflictEngine: ...

    def add_observer(self, callback: Observer) -> None: ...

    def remove_observer(self, callback: Observer) -> None: ...
