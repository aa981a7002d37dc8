"""First start: open the database and, if it is the default one and still empty, fill it with
the demo schedule, so that a newcomer's first look shows what the app does."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler_app.service import ChangeSet, Source
    from scheduler_app.storage import Store

ENV_DB = "SCHEDULER_DB"


def is_default_target(target: str | None) -> bool:
    """True when neither ``--db`` nor ``SCHEDULER_DB`` names a database."""
    return target is None and not os.environ.get(ENV_DB)


def open_store(
    target: str | None,
    source: Source | None = None,
    create: bool = False,
    check_later: bool = False,
) -> Store:
    """``Store.open(target, check_later)``; the default database is created and filled with the
    demo schedule when empty. A database the planner named explicitly must exist unless
    ``create`` is given (a mistyped path is refused, not made), and is never filled behind their
    back."""
    from scheduler_app.storage import Store
    from scheduler_app.storage.database import require_existing

    if not is_default_target(target) and not create:
        require_existing(target)
    store = Store.open(target, check_later=check_later)
    try:
        if is_default_target(target) and store.is_empty():
            fill_with_demo(store, source, description="First start: the demo schedule")
    except BaseException:
        store.close()
        raise
    return store


def fill_with_demo(
    store: Store,
    source: Source | None = None,
    description: str = "The demo schedule",
) -> ChangeSet:
    """Write the demo schedule (master data, maintenance, campaigns) in one audited change,
    replacing any campaigns the database held."""
    from scheduler_app.demo import demo_schedule
    from scheduler_app.service import ScheduleService, Source

    service = ScheduleService(store, source=source or Source.DEMO)
    return service.apply_schedule(
        demo_schedule(), delete_missing=True, action="demo", description=description
    )
