"""``demo [--force]``: fill a database with the demo schedule."""

from __future__ import annotations

import argparse
from typing import Any

from scheduler_app.cli.common import EXIT_OK, db_target, plural
from scheduler_app.errors import ValidationError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="fill a database with the demo schedule",
        description="Fill a database with the demo schedule: both sites, a dozen products, "
        "2026-2028, with a few deliberate conflicts. Refuses a database that already holds a "
        "schedule unless --force is given.",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the schedule the database holds"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.bootstrap import fill_with_demo
    from scheduler_app.rules.engine import check_schedule
    from scheduler_app.service import Source
    from scheduler_app.storage import Store

    store = Store.open(db_target(args))
    try:
        if not store.is_empty() and not args.force:
            raise ValidationError(
                f"{store.url_for_display} already holds a schedule; rerun with --force to "
                "replace it with the demo schedule."
            )
        fill_with_demo(store, Source.DEMO, description="The demo schedule (main.py demo)")
        schedule = store.load()
        where = store.url_for_display
    finally:
        store.close()
    conflicts = check_schedule(schedule)
    errors = sum(1 for c in conflicts if c.severity == "error")
    print(
        f"Filled {where} with the demo schedule: {plural(len(schedule.campaigns), 'campaign')} "
        f"on {plural(len(schedule.production_bioreactors()), 'bioreactor')} at "
        f"{plural(len(schedule.sites), 'site')}; "
        f"{plural(errors, 'error')} and {plural(len(conflicts) - errors, 'warning')} "
        "to look at (main.py check)."
    )
    return EXIT_OK
