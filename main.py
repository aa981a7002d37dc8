"""Entry point: the desktop app by default, headless sub-commands otherwise.

``python main.py`` starts the Qt app on the default database (filled with the demo schedule on
first start); ``render`` draws the timeline headless; every other sub-command is the Qt-free
command line in :mod:`scheduler_app.cli`. Qt is imported only on the paths that need it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from scheduler_app.cli.common import db_target
from scheduler_app.cli.main import guarded, parse, run_parsed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    args = parse(argv)
    if isinstance(args, int):
        return args
    if args.command is None:
        return guarded(run_desktop_app, args)
    if args.command == "render":
        return guarded(run_render, args)
    return run_parsed(args)


def run_desktop_app(args: argparse.Namespace) -> int:
    """Hand over to the Qt app, which opens the database through :mod:`scheduler_app.bootstrap`
    (so the default one is filled with the demo schedule on first start).

    The cyclic garbage collector is paused from here until the first window is shown (the app
    turns it back on then): start-up makes long-lived objects only (modules, classes, the loaded
    schedule, the window), yet the collector's generations filled up and ran full collections
    over them, 0.16 s of a 10,000-campaign start and 0.3 s at 100,000."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_core_before_qt(db_target(args))
        _require_qt("the desktop app")
        _require_display()
        from ui.app import run

        return int(run(db_target(args), create=bool(getattr(args, "create", False))))
    finally:
        if collecting:
            gc.enable()


def run_render(args: argparse.Namespace) -> int:
    """``render FILE.png|FILE.pdf``: the timeline drawn offscreen by the Qt app's painter."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _require_qt("render")
    from ui.render import run

    return int(run(args))


def _import_core_before_qt(target: str | None) -> None:
    """Import the Qt-free core the window needs (storage with SQLAlchemy, the rules with numpy,
    what its panels use, SQLAlchemy's SQLite dialect when the database is a file) before
    PySide6: once loaded, PySide6 reads the source of every module imported after it to see
    whether it names PySide6, some 300 files at start-up; modules already loaded are left
    alone."""
    import html  # noqa: F401

    import scheduler_app.audit_query  # noqa: F401
    import scheduler_app.bootstrap  # noqa: F401
    import scheduler_app.capacity  # noqa: F401
    import scheduler_app.excel.values  # noqa: F401
    import scheduler_app.planning.fixes  # noqa: F401
    import scheduler_app.planning.ripple  # noqa: F401
    import scheduler_app.scenarios  # noqa: F401
    import scheduler_app.service  # noqa: F401
    import scheduler_app.shared_load  # noqa: F401
    import scheduler_app.versions  # noqa: F401

    if target is None or "://" not in target or target.startswith("sqlite"):
        import sqlalchemy.dialects.sqlite  # noqa: F401


def _require_qt(what: str) -> None:
    """Fail with one clear line when PySide6 cannot load (not installed, or the system lacks the
    libraries Qt needs), instead of an ImportError traceback."""
    from scheduler_app.errors import SchedulerError

    try:
        import PySide6.QtGui  # noqa: F401
    except ImportError as error:
        raise SchedulerError(
            f"{what} cannot start: Qt (PySide6) failed to load ({error}). Install PySide6 and the "
            "system's OpenGL/EGL and fontconfig libraries, or use a sub-command (see --help)."
        ) from None


def _require_display() -> None:
    """On Linux without a display Qt aborts with a core dump; say it in one line instead."""
    from scheduler_app.errors import SchedulerError

    env = os.environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        raise SchedulerError(
            "the desktop app needs a display and neither DISPLAY nor WAYLAND_DISPLAY is set; "
            "on a server use the sub-commands (see 'main.py --help')"
        )


if __name__ == "__main__":
    sys.exit(main())
