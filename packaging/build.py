"""Build the desktop app as one folder with PyInstaller, and optionally smoke-test it.

    python packaging/build.py [--dist DIR] [--work DIR] [--smoke]

writes ``DIR/campaign-scheduler/`` (default ``dist/``) from ``packaging/campaign_scheduler.spec``:
the ``campaign-scheduler`` executable (``.exe`` on Windows) with Python, Qt, the demo and every
resource beside it, so a workstation without Python runs it. ``--smoke`` then runs the built
binary the way CI does (``--help``, ``demo``, ``check``, ``render``, the main window offscreen)
and prints the folder's size and the window's start-up time. Exit code 0 when all passed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "campaign_scheduler.spec"
NAME = "campaign-scheduler"


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the built folder."""
    import PyInstaller.__main__

    PyInstaller.__main__.run(
        [str(SPEC), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work)]
    )  # fmt: skip
    return dist / NAME


def executable(folder: Path) -> Path:
    return folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def folder_size(folder: Path) -> int:
    """Bytes on disk; PyInstaller links some libraries, which are counted once."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def smoke(folder: Path) -> list[str]:
    """Run the built binary through what a planner and CI do; returns the failures."""
    binary = executable(folder)
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "smoke.db"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": scratch,
               "SCHEDULER_SETTINGS": str(Path(scratch) / "settings.ini")}  # fmt: skip
        env.pop("SCHEDULER_DB", None)
        steps: list[tuple[str, list[str], set[int], str, dict[str, str]]] = [
            ("--help", ["--help"], {0}, "render", {}),
            ("demo", ["demo", "--db", str(db)], {0}, "Filled", {}),
            ("check", ["check", "--db", str(db)], {0, 1}, "", {}),
            ("render", ["render", str(Path(scratch) / "plan.png"), "--db", str(db)], {0}, "", {}),
            ("main window", ["--db", str(db)], {0}, "main window shown",
             {"SCHEDULER_QUIT_AFTER_SHOW": "1"}),
        ]  # fmt: skip
        for label, args, codes, expected, extra in steps:
            began = time.perf_counter()
            done = subprocess.run(
                [str(binary), *args], env={**env, **extra}, capture_output=True, text=True,
                timeout=180,
            )  # fmt: skip
            took = time.perf_counter() - began
            output = done.stdout + done.stderr
            ok = done.returncode in codes and expected in output
            if label == "render":
                ok = ok and (Path(scratch) / "plan.png").stat().st_size > 10_000
            print(f"  {'ok ' if ok else 'FAIL'} {label:<12} exit {done.returncode}  {took:5.2f} s")
            if not ok:
                failures.append(f"{label}: exit {done.returncode}\n{output[-2000:]}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--smoke", action="store_true", help="smoke-test the built binary")
    parser.add_argument("--skip-build", action="store_true", help="only smoke-test --dist")
    args = parser.parse_args(argv)
    folder = args.dist / NAME
    if not args.skip_build:
        began = time.perf_counter()
        folder = build(args.dist, args.work)
        print(f"built {folder} in {time.perf_counter() - began:.0f} s")
    print(f"size: {folder_size(folder) / 1e6:.0f} MB in {sum(1 for _ in folder.rglob('*'))} files")
    if not args.smoke:
        return 0
    failures = smoke(folder)
    for failure in failures:
        print(f"--- {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
