"""A schedule source for timeline tests that need no database: a schedule, its engine and the
observer hooks (what :class:`ui.timeline.source.ScheduleSource` asks for, nothing more)."""

from __future__ import annotations

from scheduler_app.change_set import ChangeSet
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from ui.timeline.source import Observer


class FakeSource:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.engine = ConflictEngine(schedule)
        self.engine.check_all()
        self.observers: list[Observer] = []

    def add_observer(self, callback: Observer) -> None:
        self.observers.append(callback)

    def remove_observer(self, callback: Observer) -> None:
        self.observers.remove(callback)

    def tell(self, change_set: ChangeSet) -> None:
        for observer in list(self.observers):
            observer(change_set)
