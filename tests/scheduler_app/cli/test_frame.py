"""The command-line frame: global options anywhere, and the exit-code contract (a refusal is one
line on stderr and exit 2; an unexpected error adds a hint, its traceback only with --debug)."""

from __future__ import annotations

import argparse

import pytest

from scheduler_app.cli.main import build_parser, guarded, main, parse_args
from scheduler_app.errors import NotFoundError


def test_db_is_accepted_before_and_after_the_sub_command() -> None:
    assert parse_args(["--db", "a.db", "check"]).db == "a.db"
    assert parse_args(["check", "--db", "b.db"]).db == "b.db"
    assert parse_args(["check"]).db is None
    assert parse_args(["demo", "--debug"]).debug is True
    assert parse_args(["demo"]).debug is False


def test_every_sub_command_of_the_contract_is_there() -> None:
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert {"demo", "check", "render"} <= set(actions[0].choices)


def test_render_arguments_are_parsed_for_the_qt_side() -> None:
    args = parse_args(["render", "out.png", "--from", "2027-01-01", "--to", "2027-06-30"])
    assert (args.output, args.date_from, args.date_to, args.site) == (
        "out.png", "2027-01-01", "2027-06-30", None,
    )  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [["check", "--bogus"], ["no-such-command"], ["demo", "extra"], ["render"], ["--db"]],
)
def test_usage_errors_are_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1
    assert "--help" in err


def test_a_scheduler_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(args: argparse.Namespace) -> int:
        raise NotFoundError("Unknown bioreactor 'SYR-BR999'.")

    assert guarded(refuse, argparse.Namespace(debug=False)) == 2
    assert capsys.readouterr().err == "error: Unknown bioreactor 'SYR-BR999'.\n"


def test_an_unexpected_error_hints_at_debug_and_hides_the_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def crash(args: argparse.Namespace) -> int:
        raise KeyError("boom")

    assert guarded(crash, argparse.Namespace(debug=False)) == 2
    err = capsys.readouterr().err
    assert "KeyError" in err and "--debug" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1

    assert guarded(crash, argparse.Namespace(debug=True)) == 2
    assert "Traceback" in capsys.readouterr().err


def test_without_a_sub_command_the_headless_cli_says_where_the_app_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "main.py" in capsys.readouterr().err


def test_help_lists_the_sub_commands_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("demo", "check", "import", "export", "render"))
    assert main(["check", "--help"]) == 0
    assert "FILE.xlsx" in capsys.readouterr().out


def test_the_named_sub_commands_are_the_whole_parsers() -> None:
    from scheduler_app.cli.main import COMMAND_OF

    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(COMMAND_OF) == set(actions[0].choices)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "a.db"],
        ["--db=a.db", "--create", "--debug"],
        ["check"],
        ["--db", "a.db", "check", "--json"],
        ["check", "book.xlsx", "--scenario", "what-if"],
        ["versions", "--json"],
        ["demo", "--debug"],
        ["render", "out.png", "--site", "SYR", "--db", "b.db"],
        ["--db", "check"],
    ],
)
def test_a_command_line_parses_as_the_whole_parser_parses_it(argv: list[str]) -> None:
    """The desktop app's start and a named sub-command build only their part of the parser."""
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_starting_the_desktop_app_imports_no_sub_command() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from scheduler_app.cli.main import parse_args; parse_args(['--db', 'x']); "
        "print(sorted(m for m in sys.modules if m.endswith('_command')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("instant", "zone", "text"),
    [
        ("2027-03-04T05:00:00+00:00", "Asia/Seoul", "2027-03-04 14:00"),
        ("2027-03-03T15:00:00+00:00", "Asia/Seoul", "2027-03-04"),
        ("2027-03-14T07:30:00+00:00", "America/New_York", "2027-03-14 03:30"),
        ("2027-11-07T04:00:00+00:00", "America/New_York", "2027-11-07"),
        ("2027-01-01T00:05:00+00:00", "UTC", "2027-01-01 00:05"),
    ],
)
def test_local_text_is_the_site_wall_clock_and_a_midnight_a_date(
    instant: str, zone: str, text: str
) -> None:
    from datetime import datetime

    from scheduler_app.cli.common import local_text

    moment = datetime.fromisoformat(instant)
    assert local_text(moment, zone) == text
    local = moment.astimezone(__import__("zoneinfo").ZoneInfo(zone)).replace(tzinfo=None)
    expected = local.strftime(
        "%Y-%m-%d" if (local.hour, local.minute) == (0, 0) else "%Y-%m-%d %H:%M"
    )
    assert text == expected
