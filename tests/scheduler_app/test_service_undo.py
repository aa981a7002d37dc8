"""Property: any sequence of service actions keeps memory, database and conflicts in step;
undoing the change sets in reverse (``service.undo``, as the undo stack does) restores the
starting schedule, redoing them all brings back the end, and undoing again the start."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.change_set import ChangeSet, same_content
from scheduler_app.errors import LockedError
from scheduler_app.rules.engine import check_schedule
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule

REACTORS = ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
_TEMPLATE: list[Path] = []


def template() -> Path:
    """A migrated database holding the starting schedule, made once per test session."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="undo-template-"))
        path = folder / "start.db"
        start = small_schedule()
        campaign(start, "CMP-0001", start="2027-03-01")
        campaign(start, "CMP-0002", start="2027-06-01", product="CDX-110", batches=1)
        campaign(start, "CMP-0003", bioreactor="SDO-BR1501", start=local("2027-02-01"))
        with Store.open(path) as store:
            ScheduleService(store, user="setup").apply_schedule(start)
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


class ServiceEdits(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="undo-"))
        path = self.folder / "schedule.db"
        shutil.copyfile(template(), path)
        self.service = ScheduleService(Store.open(path), user="ann")
        self.start = dict(self.service.schedule.campaigns)
        self.done: list[ChangeSet] = []

    def ids(self) -> list[str]:
        return sorted(self.service.schedule.campaigns)

    def act(self, action) -> None:
        heard: list[ChangeSet] = []
        self.service.add_observer(heard.append)
        before = (self.service.store.load(), dict(self.service.schedule.campaigns))
        try:
            action()
        except LockedError:
            assert (self.service.store.load(), self.service.schedule.campaigns) == before
            assert heard == []
        finally:
            self.service.remove_observer(heard.append)
        assert len(heard) <= 1
        self.done += heard

    @precondition(lambda self: self.service.schedule.campaigns)
    @rule(data=st.data(), days=st.integers(-40, 40), reactor=st.sampled_from([None, *REACTORS]))
    def move(self, data: st.DataObject, days: int, reactor: str | None) -> None:
        key = data.draw(st.sampled_from(self.ids()))
        start = self.service.schedule.campaigns[key].start + timedelta(days=days)
        self.act(
            lambda: self.service.move_campaign(key, start=start, bioreactor=reactor, reason="r")
        )

    @precondition(lambda self: self.service.schedule.campaigns)
    @rule(data=st.data(), batches=st.integers(1, 5))
    def resize(self, data: st.DataObject, batches: int) -> None:
        key = data.draw(st.sampled_from(self.ids()))
        self.act(lambda: self.service.set_batches(key, batches, reason="r"))

    @precondition(lambda self: self.service.schedule.campaigns)
    @rule(data=st.data(), status=st.sampled_from(list(Status)), notes=st.text(max_size=8))
    def edit(self, data: st.DataObject, status: Status, notes: str) -> None:
        key = data.draw(st.sampled_from(self.ids()))
        self.act(lambda: self.service.edit_campaign(key, status=status, notes=notes, reason="r"))

    @rule(reactor=st.sampled_from(REACTORS), days=st.integers(0, 300))
    def create(self, reactor: str, days: int) -> None:
        start = local("2027-01-04") + timedelta(days=days)
        self.act(
            lambda: self.service.create_campaign(
                product="ABX-201", bioreactor=reactor, start=start, batches=1, reason="r"
            )
        )

    @precondition(lambda self: self.service.schedule.campaigns)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(self.ids()))
        self.act(lambda: self.service.delete_campaign(key, reason="r"))

    @invariant()
    def memory_database_and_conflicts_agree(self) -> None:
        stored = self.service.store.load()
        assert stored.campaigns == self.service.schedule.campaigns
        assert self.service.engine.conflicts == check_schedule(stored)

    def assert_holds(self, wanted: dict[str, Campaign]) -> None:
        held: dict[str, Campaign] = dict(self.service.schedule.campaigns)
        assert held.keys() == wanted.keys()
        assert all(same_content(held[key], wanted[key]) for key in held)
        assert self.service.store.load().campaigns == held

    def teardown(self) -> None:
        try:
            end = dict(self.service.schedule.campaigns)
            for change_set in reversed(self.done):
                self.service.undo(change_set)
            self.assert_holds(self.start)
            redone = [self.service.redo(change_set) for change_set in self.done]
            self.assert_holds(end)
            for change_set in reversed(redone):
                self.service.undo(change_set)
            self.assert_holds(self.start)
        finally:
            self.service.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)


ServiceEdits.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None)
test_service_edits_undo_to_the_start = ServiceEdits.TestCase
