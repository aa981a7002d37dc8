"""``audit [--campaign ID] [--user NAME] [--since DATE] [--json]`` lists the audit trail, newest
first; ``audit verify [--json]`` checks its SHA-256 hash chain and that every campaign in the
database is what the log says it should be.

``verify`` exits 1 naming the first bad entry when a past row was changed or deleted (even with
the database triggers dropped), or when a campaign was changed without an audit entry (raw SQL).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from scheduler_app.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    format_table,
    open_store,
    print_json,
)
from scheduler_app.cli.dates import parse_day
from scheduler_app.errors import ValidationError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="list the audit trail, or verify it (audit verify)",
        description="List who changed what, when (UTC), from where and why, newest first; "
        "'audit verify' checks the hash chain and the campaigns against the log (exit 1 when "
        "it finds tampering).",
    )
    parser.add_argument(
        "what", nargs="?", choices=["verify"], help="verify the hash chain instead of listing"
    )
    parser.add_argument("--campaign", metavar="ID", help="only this campaign's entries")
    parser.add_argument("--user", metavar="NAME", help="only this user's entries")
    parser.add_argument("--since", metavar="DATE", help="only entries from DATE (UTC) on")
    parser.add_argument(
        "--limit", metavar="N", type=int, default=None, help="at most N entries (newest)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.what == "verify":
        if args.campaign or args.user or args.since:
            raise ValidationError("audit verify checks the whole log; it takes no filters.")
        return run_verify(args)
    from scheduler_app.audit_query import AuditQuery, entries

    since = _since(args.since) if args.since else None
    query = AuditQuery(campaign=args.campaign, user=args.user, since=since, limit=args.limit)
    store = open_store(args)
    try:
        found = entries(store, query)
    finally:
        store.close()
    if args.json:
        print_json({"entries": [entry_json(entry) for entry in found]})
        return EXIT_OK
    rows = [
        [
            str(e.id),
            e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            e.user,
            e.source,
            e.action,
            e.key if e.entity == "campaign" else f"{e.entity} {e.key}",
            _change(e.field, e.old, e.new),
            e.reason or "",
        ]
        for e in found
    ]
    if rows:
        headers = ["id", "at (UTC)", "user", "source", "action", "what", "change", "reason"]
        print(format_table(headers, rows))
    print(_entries(len(rows)))
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        result = store.verify_audit()
    finally:
        store.close()
    if args.json:
        print_json(result.as_json())
    elif result.ok:
        print(
            f"The audit log is intact: {_entries(result.entries)} in an unbroken hash chain, "
            "and every campaign matches its audit trail."
        )
    else:
        if result.problem:
            print(result.problem)
        for _, problem in result.campaigns:
            print(problem)
    return EXIT_OK if result.ok else EXIT_CONFLICTS


def entry_json(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "user": entry.user,
        "source": entry.source,
        "action": entry.action,
        "entity": entry.entity,
        "key": entry.key,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
        "change_set": entry.change_set,
    }


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _change(field: str | None, old: str | None, new: str | None) -> str:
    def short(value: str | None) -> str:
        if value is None:
            return "—"
        return value if len(value) <= 40 else value[:39] + "…"

    if field is None:
        return "created" if old is None else "deleted"
    return f"{field}: {short(old)} → {short(new)}"


def _since(text: str) -> datetime:
    day = parse_day(text, "--since")
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
