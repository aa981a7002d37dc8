"""``plan [--from] [--to] [--site] [--include-confirmed] [--time-limit S] [--dry-run] [--json]``:
re-plan a window with the CP-SAT optimiser and apply the result as one change set.

Statuses: ``optimal`` or ``feasible`` — a plan placing every movable campaign without an error
conflict (proven best, or the best found at the time limit); ``infeasible`` — proven that none
exists, or none found by the time limit (its ``reason`` then says it is not proven impossible
and a longer ``--time-limit`` may find one). It names the campaigns that could not be placed
(``unplaced``) and why (``reason``), with a plan around them that is shown but not applied.

Exit codes: 0 a plan was found (applied unless ``--dry-run``) and no error-severity conflict is
left in the schedule; 1 no plan placing every campaign, or error-severity conflicts remain
(among campaigns the plan may not move); 2 invalid input.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

from scheduler_app.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    add_scenario_option,
    format_table,
    local_text,
    open_service,
    plural,
    print_json,
)
from scheduler_app.cli.dates import parse_day
from scheduler_app.errors import ValidationError

DEFAULT_DAYS = 91
DEFAULT_TIME_LIMIT_S = 10.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="re-plan a window with the optimiser (days late, then moves, then days moved)",
        description="Move the unlocked campaigns that start in the window (in time and to any "
        "bioreactor where the product's scale is validated) so that no error-severity conflict "
        "is left, with as few days late as possible, then as few campaigns moved, then as few "
        "days moved. Locked and Confirmed campaigns (unless --include-confirmed) and those "
        "outside the window stay put. Applied as one change set unless --dry-run.",
    )
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD (default today)"
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help=f"last day, YYYY-MM-DD (default {DEFAULT_DAYS} days after --from)",
    )
    parser.add_argument("--site", choices=["SYR", "SDO"], help="re-plan one site only")
    parser.add_argument(
        "--include-confirmed", action="store_true", help="Confirmed campaigns may move too"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT_S,
        metavar="S",
        help=f"seconds the solver may search (default {DEFAULT_TIME_LIMIT_S:g})",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the plan, apply nothing")
    parser.add_argument("--reason", metavar="TEXT", help="reason recorded in the audit trail")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.change_set import Source
    from scheduler_app.planning.actions import apply_plan
    from scheduler_app.planning.optimiser import FEASIBLE, OPTIMAL, Optimiser
    from scheduler_app.planning.window import PlanWindow

    first = parse_day(args.date_from, "--from") if args.date_from else datetime.now(UTC).date()
    last = parse_day(args.date_to, "--to") if args.date_to else first + timedelta(DEFAULT_DAYS)
    if last < first:
        raise ValidationError(f"--to {last} is before --from {first}.")
    if not args.time_limit > 0:
        raise ValidationError("--time-limit must be a positive number of seconds.")
    if args.include_confirmed and not args.dry_run and not args.reason:
        raise ValidationError(
            "--include-confirmed may move Confirmed campaigns, and moving one needs a reason: "
            "add --reason TEXT (who asked, and why), or --dry-run to look first."
        )
    service = open_service(args, Source.CLI)
    try:
        window = PlanWindow(first, last, args.site, args.include_confirmed)
        result = Optimiser(service.schedule, window, time_limit_s=args.time_limit).run()
        applied = False
        whole = result.status in (OPTIMAL, FEASIBLE)
        if whole and result.moves and not args.dry_run:
            apply_plan(service, result, reason=args.reason)
            applied = True
        if args.json:
            print_json(result.as_json(applied))
        else:
            print(_text(service.schedule, result, window, applied, args.dry_run))
    finally:
        service.store.close()
    if not whole or result.conflicts.get("error", 0):
        return EXIT_CONFLICTS
    return EXIT_OK


def _text(schedule: Any, result: Any, window: Any, applied: bool, dry_run: bool) -> str:
    where = f" at {window.site}" if window.site else ""
    lines = [
        f"Plan {window.first} to {window.last}{where}: {result.reported_status}"
        + (f" — {result.reason}" if result.reason else "")
        + f" ({plural(result.movable, 'movable campaign')}, {result.wall_s:.1f} s)"
    ]
    if result.moves:
        rows = []
        for before, after in result.moves:
            old_tz = schedule.time_zone_of(before.bioreactor)
            new_tz = schedule.time_zone_of(after.bioreactor)
            rows.append(
                [
                    before.id,
                    f"{before.bioreactor} {local_text(before.start, old_tz)}",
                    f"{after.bioreactor} {local_text(after.start, new_tz)}",
                ]
            )
        lines.append(format_table(["campaign", "from", "to (site-local)"], rows, indent="  "))
    counts = result.conflicts
    lines.append(
        f"Days late {result.days_late_before} -> {result.days_late_after}; after the plan "
        f"{plural(counts.get('error', 0), 'error')}, {plural(counts.get('warning', 0), 'warning')}"
    )
    if applied:
        lines.append(f"Applied: {plural(len(result.moves), 'campaign')} moved in one change set.")
    elif result.moves and result.stuck:
        lines.append(
            "Nothing applied: the plan leaves "
            + plural(len(result.stuck), "campaign")
            + " in conflict (apply it from Plan → Optimise… in the app, or re-plan with a wider "
            "window or --include-confirmed)."
        )
    elif result.moves:
        lines.append("Dry run: nothing applied." if dry_run else "Nothing applied.")
    else:
        lines.append("Nothing to change.")
    return "\n".join(lines)
