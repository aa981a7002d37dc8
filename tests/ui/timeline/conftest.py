"""A TimelineWidget on a fresh copy of the planning database (tests/ui/helpers.py), with
pyqtgraph's mouse-move rate limit and minimum drag time switched off for real-event drags."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyqtgraph as pg
import pytest


@pytest.fixture
def service(plan_db: Path):  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    store = Store.open(str(plan_db))
    yield ScheduleService(store, user="test.planner")
    store.close()


@pytest.fixture
def timeline(qtbot, service):  # type: ignore[no-untyped-def]
    from ui.timeline import TimelineWidget

    previous = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", -1)
    widget = TimelineWidget(service)
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    widget.set_display_zone("UTC")
    widget.show()
    qtbot.waitExposed(widget)
    widget.plot.scene().minDragTime = 0.0
    widget.set_visible_range(datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 9, 1, tzinfo=UTC))
    qtbot.wait(1)
    yield widget
    pg.setConfigOption("mouseRateLimit", previous)
