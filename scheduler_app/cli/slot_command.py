"""``slot ID [--bioreactor CODE …] [--after DATE] [--json]``: where a campaign can go.

For each candidate bioreactor (by default every production bioreactor where the product's scale is
validated) the earliest start, a site-local midnight not before ``--after`` (default today), at
which the campaign creates no error-severity conflict, every other campaign staying put.
"""

from __future__ import annotations

import argparse
from typing import Any

from scheduler_app.cli.common import (
    EXIT_OK,
    add_scenario_option,
    format_table,
    local_text,
    open_store,
    print_json,
    scenario_of,
)
from scheduler_app.cli.dates import parse_day, today_at


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "slot",
        help="find the earliest conflict-free start of a campaign on each bioreactor",
        description="List, earliest first, the first start on each candidate bioreactor at "
        "which the campaign has no error-severity conflict (nothing is changed).",
    )
    parser.add_argument("campaign", metavar="ID", help="the campaign, e.g. CMP-0042")
    parser.add_argument(
        "--bioreactor",
        action="append",
        metavar="CODE",
        help="only this bioreactor (repeat for several); default: every production bioreactor "
        "where the product's scale is validated",
    )
    parser.add_argument(
        "--after",
        metavar="DATE",
        help="earliest start, a site-local date YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--json", action="store_true", help="print the options as JSON")
    add_scenario_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.planning.slots import find_slots
    from scheduler_app.rules.engine import ConflictEngine

    store = open_store(args)
    try:
        schedule = store.load(scenario_of(args))
    finally:
        store.close()
    campaign = schedule.campaign(args.campaign)
    home = schedule.time_zone_of(campaign.bioreactor)
    after = parse_day(args.after, "--after") if args.after else today_at(home)
    engine = ConflictEngine(schedule)
    slots = find_slots(engine, campaign.id, args.bioreactor, after)
    if args.json:
        print_json({"campaign": campaign.id, "options": [s.as_json() for s in slots]})
        return EXIT_OK
    if not slots:
        print(f"No conflict-free start for {campaign.id} from {after} on any candidate bioreactor.")
        return EXIT_OK
    rows = []
    for slot in slots:
        tz_name = schedule.time_zone_of(slot.bioreactor)
        rows.append(
            [
                slot.bioreactor,
                slot.site,
                local_text(slot.start, tz_name),
                local_text(slot.end, tz_name),
                ", ".join(slot.warnings) or "-",
            ]
        )
    headers = ["bioreactor", "site", "start (site)", "end (site)", "warnings"]
    print(f"{campaign.id} ({campaign.product}, now on {campaign.bioreactor}) from {after}:")
    print(format_table(headers, rows, indent="  "))
    return EXIT_OK
