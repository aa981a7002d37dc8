"""``publish --reason TEXT``, ``versions`` and ``diff --since-version N``: published plans, the
plan of record as it was sent, and what changed since."""

from __future__ import annotations

import argparse
from typing import Any

from scheduler_app.cli.common import (
    EXIT_OK,
    add_scenario_option,
    format_table,
    open_store,
    plural,
    print_json,
    scenario_of,
)
from scheduler_app.cli.diff_text import diff_text


def register(subparsers: Any) -> None:
    publish = subparsers.add_parser(
        "publish",
        help="freeze Live as the next plan version",
        description="Freeze Live as it is now as plan version N (who, when, reason, meaning). "
        "Versions are never changed or deleted.",
    )
    publish.add_argument("--reason", metavar="TEXT", required=True, help="why it is published")
    publish.add_argument(
        "--meaning", metavar="TEXT", default="", help="what it is, e.g. 'approved for operations'"
    )
    publish.add_argument("--json", action="store_true", help="print the version as JSON")
    publish.set_defaults(func=run_publish)

    versions = subparsers.add_parser("versions", help="list the published plan versions")
    versions.add_argument("--json", action="store_true", help="print the versions as JSON")
    versions.set_defaults(func=run_versions)

    diff = subparsers.add_parser(
        "diff",
        help="what changed since a published version",
        description="Compare Live (or --scenario NAME) with published version N.",
    )
    diff.add_argument("--since-version", type=int, required=True, metavar="N", dest="since")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON")
    add_scenario_option(diff)
    diff.set_defaults(func=run_diff)


def run_publish(args: argparse.Namespace) -> int:
    from scheduler_app.change_set import Source
    from scheduler_app.versions import publish_plan

    store = open_store(args)
    try:
        version = publish_plan(
            store,
            reason=args.reason,
            meaning=args.meaning,
            user=store.database_user(),
            source=Source.CLI,
        )
    finally:
        store.close()
    if args.json:
        print_json(version.as_json())
    else:
        print(
            f"Published Live as version {version.number} ({version.meaning}): "
            f"{plural(version.campaigns, 'campaign')}, by {version.user} at "
            f"{version.at:%Y-%m-%d %H:%M} UTC."
        )
    return EXIT_OK


def run_versions(args: argparse.Namespace) -> int:
    from scheduler_app.versions import list_versions

    store = open_store(args)
    try:
        found = list_versions(store)
    finally:
        store.close()
    if args.json:
        print_json({"versions": [v.as_json() for v in found]})
    elif not found:
        print("No published versions. Publish Live with: publish --reason TEXT")
    else:
        rows = [
            [
                str(v.number),
                f"{v.at:%Y-%m-%d %H:%M} UTC",
                v.user,
                str(v.campaigns),
                v.meaning,
                v.reason,
            ]
            for v in found
        ]
        print(format_table(["Version", "Published", "By", "Campaigns", "Meaning", "Reason"], rows))
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    from scheduler_app.versions import diff_since_version

    store = open_store(args)
    scenario = scenario_of(args)
    try:
        diff = diff_since_version(store, args.since, scenario)
        if args.json:
            print_json(diff.as_json())
        else:
            plan = f"scenario {scenario!r}" if scenario else "Live"
            print(
                diff_text(diff, f"{plan} compared with version {args.since}", store.load(scenario))
            )
    finally:
        store.close()
    return EXIT_OK
