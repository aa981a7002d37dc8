"""``move ID [--to BIOREACTOR] [--start DATE | --by DAYS] [--ripple] [--reason TEXT] [--json]``:
the headless one-door move, through the same service action as a drag in the app. ``--ripple``
also pushes each following campaign on the target bioreactor just enough to keep its gap, in the
same change set; a locked campaign in the way refuses the whole move (exit 2, nothing applied).

Exit codes (DESIGN.md): 0 applied, 1 applied but it created an error-severity conflict, 2 refused
(unknown ID, locked, stale, reason missing) with nothing applied. The new conflicts are decided
on what the database holds at commit time, not on what this process read at start.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from scheduler_app.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    EXIT_USAGE,
    add_scenario_option,
    local_text,
    open_service,
    print_error,
    print_json,
)
from scheduler_app.cli.dates import parse_day
from scheduler_app.errors import SchedulerError, ValidationError
from scheduler_app.localtime import add_local_days, start_of_local_date
from scheduler_app.rules.conflict import Severity

Move = tuple[str, datetime | None, str | None]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "move",
        help="move a campaign in time and/or onto another bioreactor",
        description="Move one campaign, as a drag in the app does: checked against the "
        "database as it is now. Exit 0 applied, 1 applied but it created an error-severity "
        "conflict, 2 refused (nothing applied).",
    )
    parser.add_argument("campaign", metavar="ID", help="the campaign to move")
    parser.add_argument("--to", metavar="BIOREACTOR", help="the bioreactor to move it onto")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--start", metavar="DATE", help="new start: a site-local date YYYY-MM-DD (midnight)"
    )
    when.add_argument(
        "--by", metavar="DAYS", type=int, help="shift the start by DAYS site-local days (+/-)"
    )
    parser.add_argument(
        "--ripple",
        action="store_true",
        help="push the following campaigns on the bioreactor just enough to keep their gaps",
    )
    parser.add_argument("--reason", metavar="TEXT", help="why (required for Confirmed campaigns)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.change_set import Source

    if args.to is None and args.start is None and args.by is None:
        raise ValidationError("move needs --to BIOREACTOR, --start DATE or --by DAYS.")
    service = open_service(args, Source.CLI)
    try:
        try:
            moves = requested_moves(service, args)
            change_set = service.move_campaigns(moves, reason=args.reason)
        except SchedulerError as refused:
            if args.json:
                print_json(
                    {"applied": False, "moved": [], "new_conflicts": [], "error": str(refused)}
                )
            print_error(str(refused))
            return EXIT_USAGE
        schedule = service.schedule
        moved = [
            {
                "campaign": campaign.id,
                "bioreactor": campaign.bioreactor,
                "start": _utc(campaign.start),
                "end": _utc(schedule.campaign_end(campaign)),
            }
            for campaign in change_set.campaigns
        ]
        new = list(change_set.new_conflicts)
        if args.json:
            print_json(
                {
                    "applied": bool(change_set.changes),
                    "moved": moved,
                    "new_conflicts": [conflict.as_json() for conflict in new],
                }
            )
        else:
            for campaign in change_set.campaigns:
                tz_name = schedule.time_zone_of(campaign.bioreactor)
                print(
                    f"Moved {campaign.id} to {campaign.bioreactor}: "
                    f"{local_text(campaign.start, tz_name)} to "
                    f"{local_text(schedule.campaign_end(campaign), tz_name)} (site time)."
                )
            if not change_set.changes:
                print("Nothing to move: the campaign is already there.")
            for conflict in new:
                print(f"New {conflict.severity.value}: {conflict.message}")
        errors = any(conflict.severity is Severity.ERROR for conflict in new)
        return EXIT_CONFLICTS if errors else EXIT_OK
    finally:
        service.stop_live()
        service.store.close()


def requested_moves(service: Any, args: argparse.Namespace) -> list[Move]:
    """The moves the command line asks for, as ``(campaign, start or None, bioreactor or
    None)``; the place where planning's ``--ripple`` adds the campaigns that must follow."""
    schedule = service.schedule
    campaign = schedule.campaign(args.campaign)
    target = args.to or campaign.bioreactor
    tz_name = schedule.time_zone_of(schedule.bioreactor(target).code)
    start: datetime | None = None
    if args.start is not None:
        start = start_of_local_date(parse_day(args.start, "--start"), tz_name)
    elif args.by is not None:
        start = add_local_days(campaign.start, args.by, tz_name)
    if args.ripple:
        from scheduler_app.planning.ripple import ripple_moves

        pairs = ripple_moves(schedule, campaign.id, start, target)
        return [(after.id, after.start, after.bioreactor) for _, after in pairs]
    return [(campaign.id, start, args.to)]


def _utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
