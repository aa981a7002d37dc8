"""Live updates in the window: a change committed by another planner (another service on the same
database, SQLite and PostgreSQL) appears without a restart, in place (selection and view range
kept), with a short note of who changed what; a lost connection is told once."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduler_app.errors import StorageError
from scheduler_app.ids import CampaignId
from scheduler_app.live import RemoteChange
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import local
from tests.ui.helpers import planning_schedule
from ui.live_notice import LiveNotice
from ui.live_updates import BACK, LOST, LiveUpdates


@pytest.fixture(params=["sqlite", "postgres"])
def shared_db(request: pytest.FixtureRequest, plan_db: Path) -> str:
    """The planning schedule in a database two planners share: a file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(plan_db)
    url = str(request.getfixturevalue("postgres_url"))
    store = Store.open(url)
    try:
        ScheduleService(store).apply_schedule(
            planning_schedule(), action="demo", description="Test schedule"
        )
    finally:
        store.close()
    return url


def test_a_change_by_another_planner_appears_in_place(open_window, shared_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(shared_db, live=True)
    timeline = window.timeline
    window.show_campaigns(["CMP-0001", "CMP-0003"])
    timeline.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC))
    qtbot.wait(10)
    window.history_dock.show()
    window.history_dock.raise_()
    window.history.show_whole_log(True)
    view_before = timeline.view.viewRange()
    errors_before = window.error_label.text()

    other = Store.open(shared_db)
    try:
        kim = ScheduleService(other, user="kim")
        start = time.perf_counter()
        kim.move_campaigns([("CMP-0003", local("2027-04-05"), "SYR-BR501")])
        moved = kim.schedule.campaigns[CampaignId("CMP-0003")]
        qtbot.waitUntil(
            lambda: window.service.schedule.campaigns["CMP-0003"].bioreactor == "SYR-BR501",
            timeout=2000,
        )
        seen_after = time.perf_counter() - start
    finally:
        other.close()
    assert seen_after < 2.0

    # In place: the block is on its new row, the selection and the view range are as they were.
    arrays = timeline.arrays
    assert arrays.row[arrays.slot_of["CMP-0003"]] == timeline.layout.bioreactor_row["SYR-BR501"]
    assert timeline.selected_ids() == ["CMP-0001", "CMP-0003"]
    assert timeline.view.viewRange()[0] == pytest.approx(view_before[0])
    assert window.service.schedule.campaigns["CMP-0003"] == moved
    # Dropped onto CMP-0001/CMP-0002's bioreactor: the conflicts count follows at once.
    assert window.error_label.text() != errors_before

    notice = window.notice
    assert notice.isVisible()
    text = notice.lines[0].text
    assert text.startswith("kim moved CMP-0003 to SYR-BR501, 05 Apr 2027")
    assert "kim moved CMP-0003" in window.statusBar().currentMessage()
    assert notice.lines[0].campaigns == ("CMP-0003",)
    # The History panel has the move on top, by kim.
    top = window.history.model.lines[0].entry
    assert (top.user, top.action, top.key) == ("kim", "move", "CMP-0003")


def test_the_note_fades_and_a_click_shows_the_campaigns(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QWidget

    from ui import live_notice
    from ui.live_notice import NoticeLine

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 500)
    host.show()
    notice = LiveNotice(host)
    notice.timer.setInterval(50)
    notice.fade.setDuration(50)
    notice.add(
        [NoticeLine("kim moved CMP-0072 to SDO-BR1508, 12 Jul 2027", "14:02", ("CMP-0072",))]
    )
    assert notice.isVisible() and notice.x() + notice.width() <= host.width()
    assert not notice.hasFocus()
    labels = notice.findChildren(live_notice._Line)
    with qtbot.waitSignal(notice.campaignsPicked) as picked:
        qtbot.mouseClick(labels[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert picked.args == [["CMP-0072"]]
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=2000)


class _FlakyService:
    """A source whose database goes away and comes back."""

    def __init__(self) -> None:
        self.schedule = planning_schedule()
        self.live_lost = False
        self.fail = False
        self.back: list[RemoteChange] = []
        self.elsewhere: list[RemoteChange] = []

    def sync(self) -> list[RemoteChange]:
        if self.fail:
            raise StorageError("Cannot read the database: server closed the connection")
        found, self.back = self.back, []
        return found


def test_a_lost_connection_is_told_once_and_its_return_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(800, 500)
    window.show()
    notice = LiveNotice(window)
    service = _FlakyService()
    live = LiveUpdates(service, notice, window.statusBar())
    shown: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: shown.append(text) if text else None)

    assert live.poll() == []
    service.live_lost = True  # the PostgreSQL listener lost its connection
    for _ in range(3):
        live.poll()
    service.live_lost = False
    service.fail = True  # and a read fails as well: still the same single message
    for _ in range(3):
        live.poll()
    assert shown.count(LOST) == 1
    assert notice.problem == LOST and notice.isVisible()

    service.fail = False
    service.back = [
        RemoteChange(
            datetime.now(UTC),
            "",
            "",
            "resync",
            (),
            "The connection to the database is back; the schedule was reloaded and is current.",
            master=True,
        )
    ]
    live.poll()
    live.poll()
    assert notice.problem == ""
    back = [text for text in shown if text.startswith("The connection to the database is back")]
    assert len(back) == 1
    assert BACK.startswith("The connection")


def test_a_stale_window_dropping_onto_a_just_filled_bioreactor_is_told_the_overlap(  # type: ignore[no-untyped-def]
    open_window, shared_db
) -> None:
    window = open_window(shared_db)  # its live timer is stopped: it still shows the old plan
    other = Store.open(shared_db)
    try:
        kim = ScheduleService(other, user="kim")
        kim.move_campaigns([("CMP-0003", local("2027-06-07"), "SYR-BR501")])
    finally:
        other.close()
    assert window.service.schedule.campaigns["CMP-0003"].bioreactor == "SDO-BR1501"
    assert window.move_campaigns([("CMP-0001", local("2027-06-14"), "SYR-BR501")])
    overlaps = [c for c in window.service.engine.conflicts if c.kind == "overlap"]
    assert any({"CMP-0001", "CMP-0003"} <= set(c.campaigns) for c in overlaps)
    # What the planner sees: CMP-0003 where kim put it, and the overlap in the conflicts list.
    timeline = window.timeline
    arrays = timeline.arrays
    assert arrays.row[arrays.slot_of["CMP-0003"]] == timeline.layout.bioreactor_row["SYR-BR501"]
    model = window.conflicts_model
    shown = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert any("CMP-0001" in text and "CMP-0003" in text for text in shown)
