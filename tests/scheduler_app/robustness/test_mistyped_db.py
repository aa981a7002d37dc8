"""Issue 13.6: a mistyped ``--db`` never makes a new, empty plan. Only ``demo``, the app's first
start on the default database and ``--create`` create one; an incomplete PostgreSQL URL is
refused; export will not write an empty schedule over a workbook that holds one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import main as entry
from scheduler_app.cli.main import main
from scheduler_app.storage import Store

COMMANDS = [["check"], ["export", "{tmp}/out.xlsx"], ["import", "{tmp}/in.xlsx"], ["versions"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_database_file_is_refused_in_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "shedule.db"
    argv = [part.format(tmp=tmp_path) for part in command] + ["--db", str(typo)]
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert not typo.exists()
    assert captured.err.count("\n") == 1
    assert f"There is no database at {typo}" in captured.err and "--create" in captured.err


def test_create_makes_the_named_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "fresh.db"
    assert main(["check", "--db", str(fresh), "--create"]) == 0
    assert fresh.exists()
    assert "0 campaigns" in capsys.readouterr().out


def test_demo_still_creates(tmp_path: Path) -> None:
    fresh = tmp_path / "demo.db"
    assert main(["demo", "--db", str(fresh)]) == 0
    assert fresh.exists()


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://", "postgresql://planner@localhost", "postgres://h:5432/"]
)
def test_a_postgresql_url_without_a_database_name_is_refused(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", url, "--create"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "names no database" in err


def test_the_app_passes_create_through(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import types

    calls: list[tuple[object, bool]] = []
    module = types.ModuleType("ui.app")

    def run(target: object, create: bool = False) -> int:
        calls.append((target, create))
        return 0

    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.app", module)
    monkeypatch.setattr(entry, "_require_qt", lambda what: None, raising=False)
    target = str(tmp_path / "new.db")
    assert entry.main(["--db", target, "--create"]) == 0
    assert entry.main(["--db", target]) == 0
    assert calls == [(target, True), (target, False)]


def test_the_app_refuses_a_missing_named_database(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui import app as app_module
    from ui.settings import AppSettings

    shown: list[str] = []
    application = app_module.Application(AppSettings(tmp_path / "settings.ini"))
    original = app_module.message_box
    app_module.message_box = lambda parent, icon, title, text: shown.append(text)  # type: ignore[assignment,misc]
    try:
        assert not application.open(str(tmp_path / "typo.db"))
    finally:
        app_module.message_box = original
    assert not (tmp_path / "typo.db").exists()
    assert shown and "There is no database at" in shown[0]


def test_export_of_an_empty_schedule_over_a_filled_workbook_needs_force(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.xlsx"
    assert main(["export", str(plan), "--db", str(demo_db)]) == 0
    before = plan.read_bytes()
    empty = tmp_path / "empty.db"
    Store.open(empty).close()
    capsys.readouterr()

    assert main(["export", str(plan), "--db", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "empty" in err
    assert plan.read_bytes() == before

    assert main(["export", str(plan), "--db", str(empty), "--force"]) == 0
    assert plan.read_bytes() != before
    other = tmp_path / "new.xlsx"
    assert main(["export", str(other), "--db", str(empty)]) == 0  # nothing to protect there
