"""The command-line frame: the parser, the sub-commands and the exit-code contract.

Exit codes (DESIGN.md): 0 success and no error-severity conflicts, 1 error-severity conflicts found
by ``check``, 2 invalid input or usage. A refusal is one line on stderr, never a traceback;
``--debug`` adds the traceback of an unexpected error. ``render`` and the desktop app (no
sub-command) are parsed here but run by the top-level ``main.py``, which may import Qt.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any, NoReturn

from scheduler_app.cli.common import ENV_DB, EXIT_USAGE, add_scenario_option, print_error
from scheduler_app.errors import SchedulerError

PROG = "main.py"
COMMAND_MODULES = (
    "demo_command",
    "check_command",
    "import_command",
    "export_command",
    "move_command",
    "scenario_command",
    "version_command",
    "slot_command",
    "plan_command",
    "audit_command",
    "watch_command",
)
"""The sub-command modules in the order ``--help`` lists them; each registers its parser(s)."""
COMMAND_OF = {
    "demo": "demo_command",
    "check": "check_command",
    "import": "import_command",
    "export": "export_command",
    "move": "move_command",
    "scenario": "scenario_command",
    "publish": "version_command",
    "versions": "version_command",
    "diff": "version_command",
    "slot": "slot_command",
    "plan": "plan_command",
    "audit": "audit_command",
    "watch": "watch_command",
    "render": "",
}
"""Each sub-command's module (``render`` is registered here), so that a command line naming one
imports and builds only its parser."""

Command = Callable[[argparse.Namespace], int]


class UsageError(SchedulerError):
    """The command line itself is wrong (unknown option, missing argument)."""


class CommandParser(argparse.ArgumentParser):
    """Raises instead of exiting, so that a usage error is one line and exit code 2; and gives
    every sub-command the global options, so ``main.py check --db x`` works like
    ``main.py --db x check``."""

    def __init__(self, *args: Any, global_options: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("conflict_handler", "resolve")
        super().__init__(*args, **kwargs)
        if global_options:
            add_global_options(self, default=argparse.SUPPRESS)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def add_global_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    parser.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        default=default,
        help=f"database file or SQLAlchemy URL (default: ${ENV_DB}, else the SQLite file in "
        "your data directory)",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="create the --db database if it does not exist (otherwise a missing one is refused)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="show the traceback of an unexpected error",
    )


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: global ``--db``/``--debug`` and every sub-command; with ``only``
    (a name of :data:`COMMAND_OF`, or ``""`` for none: the desktop app) just that sub-command,
    which parses its command line the same way at a fraction of the imports."""
    parser = CommandParser(
        prog=PROG,
        description="Campaign scheduling for biologics manufacturing at Syracuse and Songdo. "
        "Without a sub-command, starts the desktop app.",
        global_options=False,
    )
    add_global_options(parser)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser
    )
    modules: tuple[str, ...]
    if only is None:
        modules = COMMAND_MODULES
    else:
        modules = (COMMAND_OF[only],) if COMMAND_OF.get(only) else ()
    for name in modules:
        import_module(f"scheduler_app.cli.{name}").register(subparsers)
    if only in (None, "render"):
        _register_render(subparsers)
    return parser


def _register_render(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help="draw the timeline to a PNG or PDF file (needs Qt, no display)",
        description="Draw the timeline of the schedule to an image, headless.",
    )
    parser.add_argument("output", metavar="FILE.png|FILE.pdf", help="the image to write")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="first day shown")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last day shown")
    parser.add_argument("--site", choices=["SYR", "SDO"], help="show one site only")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="PDF only: the printed plan, a quarter per A3 page, row labels and legend repeated",
    )
    add_scenario_option(parser)
    parser.set_defaults(func=None)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv``; raises :class:`UsageError` instead of exiting on a bad command line."""
    tokens = list(sys.argv[1:] if argv is None else argv)
    return build_parser(_named_command(tokens)).parse_args(tokens)


def _named_command(tokens: Sequence[str]) -> str | None:
    """What the command line asks for after the global options: ``""`` for nothing (the
    desktop app), a sub-command's name, or None for anything else (``--help``, a mistyped
    command, an unknown option), which the whole parser answers."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in ("--create", "--debug") or token.startswith("--db="):
            index += 1
        elif token == "--db":
            index += 2
        else:
            return token if token in COMMAND_OF else None
    return "" if index == len(tokens) else None


def guarded(command: Command, args: argparse.Namespace) -> int:
    """Run ``command`` under the exit-code contract: a :class:`SchedulerError` is one line and
    exit 2; anything unexpected is one line with a hint, and its traceback only with --debug."""
    try:
        return command(args)
    except SchedulerError as error:
        print_error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print_error("interrupted")
        return 130
    except Exception as error:  # the contract: never a bare traceback
        if getattr(args, "debug", False):
            traceback.print_exc()
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print_error(
            f"unexpected {type(error).__name__}{': ' + detail if detail else ''} "
            "(rerun with --debug for the traceback)"
        )
        return EXIT_USAGE


def run_parsed(args: argparse.Namespace) -> int:
    """Run a headless sub-command that :func:`parse_args` produced."""
    func: Command | None = getattr(args, "func", None)
    if func is None:
        what = "render" if args.command == "render" else "the desktop app"
        print_error(f"{what} needs Qt; run it through 'python main.py'")
        return EXIT_USAGE
    return guarded(func, args)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace | int:
    """The parsed arguments, or the exit code when there is nothing to run: a usage error (told
    in one line, exit 2) or ``--help`` (exit 0)."""
    try:
        return parse_args(argv)
    except UsageError as error:
        print_error(str(error))
        return EXIT_USAGE
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """The headless command line; returns the process exit code."""
    args = parse(argv)
    return args if isinstance(args, int) else run_parsed(args)


if __name__ == "__main__":
    sys.exit(main())
