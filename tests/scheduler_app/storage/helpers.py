"""Writing whole schedules straight through the store, for storage tests that run without the
service (and so without the conflict engine)."""

from __future__ import annotations

import json

from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store

MASTER = (
    ("site", "sites"),
    ("suite", "suites"),
    ("bioreactor", "bioreactors"),
    ("product", "products"),
)


def save(store: Store, schedule: Schedule, user: str = "ann", source: str = "app") -> Schedule:
    """Insert everything in ``schedule`` into an empty database as one audited change; returns
    the schedule as stored (maintenance windows with their database ids)."""
    with store.transaction(user=user, source=source, action="import") as work:
        for kind, attribute in MASTER:
            for item in getattr(schedule, attribute).values():
                work.save_master(kind, None, item)
        if schedule.changeovers:
            work.replace_changeovers({}, schedule.changeovers)
        windows = work.replace_maintenance([], schedule.maintenance)
        work.insert_campaigns(list(schedule.campaigns.values()))
        if schedule.extra_columns:
            work.set_setting("extra_columns", None, json.dumps(schedule.extra_columns))
    stored = schedule.copy()
    stored.maintenance = windows
    return stored
