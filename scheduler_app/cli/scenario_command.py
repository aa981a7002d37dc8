"""``scenario list | create NAME | delete NAME | diff NAME | promote NAME [--reason TEXT]``:
what-if copies of Live, compared with Live and promoted to it."""

from __future__ import annotations

import argparse
from typing import Any

from scheduler_app.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    format_table,
    open_store,
    plural,
    print_error,
    print_json,
)
from scheduler_app.cli.diff_text import diff_text
from scheduler_app.errors import ValidationError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scenario",
        help="what-if copies of Live: list, create, delete, diff, promote",
        description="Scenarios are named what-if copies of Live's campaigns and maintenance "
        "windows (master data is shared). Use --scenario NAME on check, import, export, render "
        "and move to work in one.",
    )
    parser.add_argument(
        "action", choices=["list", "create", "delete", "diff", "promote"], help="what to do"
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the scenario")
    parser.add_argument("--reason", metavar="TEXT", help="why (kept in the audit log)")
    parser.add_argument("--description", metavar="TEXT", default="", help="create: what it is for")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app import scenarios
    from scheduler_app.change_set import Source
    from scheduler_app.service import ScheduleService

    if args.action != "list" and not args.name:
        raise ValidationError(f"scenario {args.action} needs a scenario NAME.")
    store = open_store(args)
    try:
        user = store.database_user()
        if args.action == "list":
            found = scenarios.list_scenarios(store)
            if args.json:
                print_json({"scenarios": [_info_json(info) for info in found]})
            elif not found:
                print("No scenarios. Make one with: scenario create NAME")
            else:
                rows = [
                    [i.name, f"{i.created_at:%Y-%m-%d %H:%M} UTC", i.created_by, str(i.campaigns)]
                    for i in found
                ]
                print(format_table(["Scenario", "Created", "By", "Campaigns"], rows))
        elif args.action == "create":
            info = scenarios.create_scenario(
                store, args.name, user=user, source=Source.CLI, description=args.description
            )
            if args.json:
                print_json(_info_json(info))
            else:
                print(
                    f"Created scenario {info.name!r}: a copy of Live with "
                    f"{plural(info.campaigns, 'campaign')}."
                )
        elif args.action == "delete":
            scenarios.delete_scenario(store, args.name, user=user, source=Source.CLI)
            if args.json:
                print_json({"deleted": args.name})
            else:
                print(f"Deleted scenario {args.name!r}; Live is unchanged.")
        elif args.action == "diff":
            diff = scenarios.diff_scenario(store, args.name)
            if args.json:
                print_json(diff.as_json())
            else:
                title = f"Scenario {args.name!r} compared with Live"
                print(diff_text(diff, title, store.load()))
        else:
            return _promote(ScheduleService(store, user=user, source=Source.CLI), args)
    finally:
        store.close()
    return EXIT_OK


def _promote(live: Any, args: argparse.Namespace) -> int:
    from scheduler_app.promote import PromoteRefusedError, promote

    try:
        change_set = promote(live, args.name, reason=args.reason)
    except PromoteRefusedError as refused:
        if args.json:
            print_json({"applied": False, "refused": refused.refused, "changes": None})
        print_error(str(refused))
        return EXIT_USAGE
    payload = {
        "applied": True,
        "refused": [],
        "changes": {
            "added": change_set.ids("added"),
            "changed": change_set.ids("changed"),
            "removed": change_set.ids("deleted"),
        },
    }
    if args.json:
        print_json(payload)
    else:
        print(
            f"{change_set.description}."
            if change_set.changes or change_set.maintenance_changed
            else f"Scenario {args.name!r} has nothing Live does not already have."
        )
    return EXIT_OK


def _info_json(info: Any) -> dict[str, object]:
    return {
        "name": info.name,
        "created_at": info.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_by": info.created_by,
        "description": info.description,
        "campaigns": info.campaigns,
    }
