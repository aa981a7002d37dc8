"""Shared helpers for the main-window tests."""

from __future__ import annotations

from pathlib import Path

from scheduler_app.campaigns import Status
from scheduler_app.schedule import Schedule
from tests.factories import campaign, small_schedule


def planning_schedule() -> Schedule:
    """The small schedule with a few campaigns: CMP-0001 and CMP-0002 back to back on SYR-BR501
    (a changeover conflict between different products), CMP-0003 on SDO-BR1501, CMP-0004 in
    progress (locked)."""
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01", batches=2)
    campaign(schedule, "CMP-0002", "CDX-110", start="2027-04-02", batches=2)
    campaign(schedule, "CMP-0003", bioreactor="SDO-BR1501", start="2027-05-03", batches=3)
    campaign(schedule, "CMP-0004", start="2027-08-02", batches=1, status=Status.IN_PROGRESS)
    return schedule


def stored(db_path: Path) -> Schedule:
    """The schedule as a fresh Store reads it from disk."""
    from scheduler_app.storage import Store

    store = Store.open(str(db_path))
    try:
        return store.load()
    finally:
        store.close()
