"""``watch [--json]``: one line per change set committed by another process or planner, within
two seconds of the commit, until interrupted (Ctrl-C ends it quietly, exit 0).

It reads the same live feed as the app (``scheduler_app.live``): ``PRAGMA data_version`` on
SQLite, ``LISTEN``/``NOTIFY`` on PostgreSQL with reconnection; it loads no schedule.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from scheduler_app.cli.common import EXIT_OK, open_store

POLL_S = 0.25


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "watch",
        help="print each change others commit, as it happens",
        description="Print one line per change set committed by another process or planner, "
        "within two seconds, until interrupted (Ctrl-C).",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per line: {"at", "user", "source", "action", "campaigns"}',
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scheduler_app.live import LiveFeed

    store = open_store(args)
    feed = LiveFeed(store)
    lost = False
    print(
        f"watch: watching {store.url_for_display} for changes by others (Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    try:
        while True:
            poll = feed.poll()
            if poll.lost != lost:
                lost = poll.lost
                note = "lost the connection; reconnecting…" if lost else "reconnected"
                print(f"watch: {note}", file=sys.stderr, flush=True)
            for change in poll.changes:
                if args.json:
                    import json

                    print(json.dumps(change.as_json(), ensure_ascii=False), flush=True)
                else:
                    when = change.at.strftime("%Y-%m-%d %H:%M:%S UTC")
                    print(f"{when}  {change.source:<6}  {change.description}", flush=True)
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        feed.close()
        store.close()
