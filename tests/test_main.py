"""``main.py``: the desktop app without a sub-command, ``render`` through the Qt side, everything
else through the Qt-free command line; Qt problems are one clear line."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import types
from pathlib import Path

import platformdirs
import pytest

import main as entry

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def user_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("SCHEDULER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    # XDG_DATA_HOME reaches child processes; the patch covers platforms that ignore it.
    monkeypatch.setattr(
        platformdirs, "user_data_dir", lambda app="", *_, **__: str(tmp_path / "user-data" / app)
    )
    return tmp_path / "user-data"


def fake_module(monkeypatch: pytest.MonkeyPatch, name: str, calls: list[object]) -> None:
    module = types.ModuleType(name)

    def run(argument: object, **options: object) -> int:
        calls.append((argument, options) if options.get("create") else argument)
        return 0

    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, module)


def test_no_sub_command_starts_the_app_on_the_chosen_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[object] = []
    fake_module(monkeypatch, "ui.app", calls)
    target = str(tmp_path / "team.db")

    assert entry.main(["--db", target]) == 0

    assert calls == [target]


def test_without_db_the_app_gets_the_default_or_scheduler_db(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    fake_module(monkeypatch, "ui.app", calls)

    assert entry.main([]) == 0
    monkeypatch.setenv("SCHEDULER_DB", "postgresql+psycopg://planner@db/plan")
    assert entry.main([]) == 0

    assert calls == [None, "postgresql+psycopg://planner@db/plan"]


def test_render_goes_to_the_qt_renderer_with_its_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    fake_module(monkeypatch, "ui.render", calls)

    assert entry.main(["render", "plan.pdf", "--site", "SDO", "--db", "x.db"]) == 0

    (args,) = calls
    assert isinstance(args, argparse.Namespace)
    assert (args.output, args.site, args.db) == ("plan.pdf", "SDO", "x.db")


def test_when_qt_cannot_load_the_app_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtGui", None)

    assert entry.main([]) == 2
    assert entry.main(["render", "out.png"]) == 2

    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert all("PySide6" in line for line in lines)


def test_without_a_display_the_app_says_so_instead_of_aborting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[object] = []
    fake_module(monkeypatch, "ui.app", calls)
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)

    assert entry.main([]) == 2

    assert calls == []
    err = capsys.readouterr().err
    assert "DISPLAY" in err and len(err.strip().splitlines()) == 1


def test_render_runs_offscreen_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    fake_module(monkeypatch, "ui.render", calls)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)

    assert entry.main(["render", "out.png"]) == 0
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_sub_commands_go_to_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["check", "--bogus"]) == 2
    assert entry.main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out


def test_main_py_runs_as_a_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "demo", "--db", str(tmp_path / "d.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "163 campaigns" in done.stdout
