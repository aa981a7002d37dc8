"""What every sub-command shares: which database to open, how to open it, how to print.

A sub-command never prints a traceback: it raises :class:`SchedulerError` with a planner-readable
message and :func:`scheduler_app.cli.main.main` turns that into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scheduler_app.localtime import utc_to_local_naive

if TYPE_CHECKING:
    from scheduler_app.schedule import Schedule
    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

ENV_DB = "SCHEDULER_DB"

EXIT_OK = 0
EXIT_CONFLICTS = 1
EXIT_USAGE = 2


def db_target(args: argparse.Namespace) -> str | None:
    """``--db`` if given, else ``SCHEDULER_DB``, else ``None`` (the default SQLite file)."""
    explicit = getattr(args, "db", None)
    if explicit:
        return str(explicit)
    return os.environ.get(ENV_DB) or None


def open_store(args: argparse.Namespace) -> Store:
    """The store for ``--db``/``SCHEDULER_DB``; the default database is filled on first start.
    An existing SQLite file named by its path has its integrity check started at once, in a
    thread, while the storage layer (SQLAlchemy) is imported; the store takes its answer."""
    target = db_target(args)
    if target is not None and "://" not in target:
        from scheduler_app.storage import health

        path = Path(target).expanduser().resolve()
        if path.is_file():
            health.check_sqlite_soon(path)
    from scheduler_app.bootstrap import open_store as bootstrap_open_store

    return bootstrap_open_store(target, create=bool(getattr(args, "create", False)))


def open_service(args: argparse.Namespace, source: Source) -> ScheduleService:
    """A service on the chosen database (on ``--scenario`` when given); every change it makes is
    audited as coming from ``source`` (the command line, an import, …)."""
    from scheduler_app.service import ScheduleService

    store = open_store(args)
    try:
        return ScheduleService(store, source=source, scenario=scenario_of(args))
    except BaseException:
        store.close()
        raise


def add_scenario_option(parser: argparse.ArgumentParser) -> None:
    """``--scenario NAME``: the sub-command acts on that scenario instead of Live (check,
    import, export, render, move, slot, plan)."""
    parser.add_argument("--scenario", metavar="NAME", help="act on this scenario instead of Live")


def scenario_of(args: argparse.Namespace) -> str | None:
    """The ``--scenario`` given, or None for Live."""
    name = getattr(args, "scenario", None)
    return str(name) if name else None


def load_plan(args: argparse.Namespace) -> tuple[Schedule, str]:
    """The schedule of Live or of ``--scenario``, and where it came from (for messages).

    The loaded schedule lives as long as the command: it is moved out of the collector's
    generations (``gc.freeze``, as the desktop app does after opening). Left in the youngest,
    the next collection (the one a full check runs at its end) scanned all of it, a third of
    ``main.py check``'s first check at 10,000 campaigns. Frozen objects are still freed when no
    longer referenced."""
    store = open_store(args)
    try:
        scenario = scenario_of(args)
        where = store.url_for_display + (f" (scenario {scenario})" if scenario else "")
        schedule = store.load(scenario)
    finally:
        store.close()
    gc.freeze()
    return schedule, where


def print_error(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr, the way every sub-command reports a refusal."""
    text = " ".join(str(message).split())
    print(f"error: {text}", file=stream or sys.stderr)


def print_json(payload: object, stream: TextIO | None = None) -> None:
    json.dump(payload, stream or sys.stdout, indent=2, ensure_ascii=False)
    (stream or sys.stdout).write("\n")


def local_text(instant: datetime, tz_name: str) -> str:
    """A UTC instant as the site-local wall-clock time planners read; a midnight as a date."""
    local = utc_to_local_naive(instant, tz_name)
    # isoformat, not strftime: the same text in a quarter of the time (thousands of conflicts).
    if local.hour == 0 and local.minute == 0:
        return local.date().isoformat()
    return local.isoformat(" ", "minutes")


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """A plain-text table with columns sized to their content; the last column is not padded."""
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(cells[:-1])]
        return (indent + "  ".join([*padded, cells[-1]])).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
