"""Whole processes, as a planner starts them: the desktop app from ``python main.py`` to its first
painted timeline against a bare QMainWindow + PlotWidget process, and ``main.py check``.

Both sides run alternately, five times each, on the same prepared SQLite file; the figures are
medians of whole processes (interpreter start, imports, database open, load, check or window).
From ``LOAD_IN_TWO_FROM`` campaigns the app opens a plan in two steps (it paints the campaigns of
its first view, then loads and checks the rest): the first paint is then the first step's, and the
paint once the whole plan is loaded and checked is timed beside it by the same kind of process.
The child processes get a fresh settings folder, so no saved geometry or zone changes the work.

Bytecode: a planner's installed app (wheel or packaged build) imports compiled ``.pyc`` files, and
a source checkout writes them on its first start. With ``PYTHONDONTWRITEBYTECODE`` set (as in
some shells and CI), the app's own 150 modules would be compiled from source on every start while
the bare floor's libraries come compiled from their install, which is not the comparison a
planner lives. So the timed processes run with bytecode written to a cache folder of their own
(``PYTHONPYCACHEPREFIX``) by one untimed warm-up run of each kind; the start without any cached
bytecode of the app's modules is reported beside it, untargeted.
Runnable alone: ``python benchmarks/bench_launch.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchContext, Result, prepare_database  # noqa: E402
from scheduler_app.held_schedule import LOAD_IN_TWO_FROM  # noqa: E402

ROUNDS = 5

# The app process: main.main() as `python main.py --db X` runs it, with a paint watcher added to
# the window when it is shown; it prints one line at the timeline's first paint and exits at once
# ({whole}: at its first paint once the whole plan is loaded and checked, which on a plan opened in
# two steps is the paint after the second step).
# The watcher is attached when main.py itself imports ui.main_window (an import hook), so the probe
# imports nothing before main.py does: the order of imports is the app's own.
APP_PROBE = """
import importlib.util, os, sys
sys.path.insert(0, {root!r})

def watch(main_window):
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def __init__(self, window):
            super().__init__()
            self.window = window

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not ({whole} and self.window.service.loading):
                print("painted", flush=True)
                os._exit(0)
            return False

    shown = main_window.MainWindow.show

    def show(self):
        self.first_paint_watcher = FirstPaint(self)
        self.timeline.plot.viewport().installEventFilter(self.first_paint_watcher)
        shown(self)

    main_window.MainWindow.show = show

class Hook:
    def find_spec(self, name, path=None, target=None):
        if name != "ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            watch(module)

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hook())
import main
sys.exit(main.main(["--db", {db!r}]))
"""

# The floor: the least a pyqtgraph desktop app can do before its first paint.
BARE_PROBE = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
plot = pg.PlotWidget()
window.setCentralWidget(plot)
watcher = FirstPaint()
plot.viewport().installEventFilter(watcher)
window.resize(1600, 1000)
window.show()
app.exec()
"""


def _seconds(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    took = time.perf_counter() - began
    if done.returncode not in ok:
        raise RuntimeError(f"{command[1:3]} exited {done.returncode}: {done.stderr[-600:]}")
    return took


def run(ctx: BenchContext) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-launch-") as folder:
        db = Path(folder) / "bench.db"
        prepare_database(ctx, db)
        uncached = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "XDG_DATA_HOME": str(Path(folder) / "data"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        uncached.pop("SCHEDULER_DB", None)
        uncached.pop("PYTHONPYCACHEPREFIX", None)
        env = {**uncached, "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE")
        app_probe, whole_probe = (
            [sys.executable, "-c", APP_PROBE.format(root=str(ROOT), db=str(db), whole=whole)]
            for whole in (False, True)
        )
        bare_probe = [sys.executable, "-c", BARE_PROBE]
        check = [sys.executable, str(ROOT / "main.py"), "check", "--db", str(db)]
        # Untimed: cold disk caches, and the bytecode every later run reads.
        _seconds(bare_probe, env)
        _seconds(app_probe, env)
        _seconds(check, env, ok=(0, 1))
        app, bare, whole, checks, compiling = [], [], [], [], []
        for _ in range(ROUNDS):
            bare.append(_seconds(bare_probe, env))
            app.append(_seconds(app_probe, env))
            whole.append(_seconds(whole_probe, env))
            checks.append(_seconds(check, env, ok=(0, 1)))
            compiling.append(_seconds(app_probe, uncached))
    app_s, bare_s, whole_s, check_s, compiling_s = (
        statistics.median(xs) for xs in (app, bare, whole, checks, compiling)
    )
    in_two = ctx.n_campaigns >= LOAD_IN_TWO_FROM
    first = (
        f"paints the campaigns of its first view (a quarter around today) before it loads "
        f"and checks the rest: from {LOAD_IN_TWO_FROM:,} campaigns a plan opens in two steps"
        if in_two
        else f"loads and checks the whole plan before it (under {LOAD_IN_TWO_FROM:,} campaigns "
        "a plan opens in one step)"
    )
    return [
        Result(
            f"launch to first paint vs bare Qt, {ctx.size} campaigns",
            app_s / bare_s,
            "x",
            2.0,
            key="launch_to_first_paint_vs_bare_qt",
            note=f"whole processes, medians of {ROUNDS} alternating runs: main.py --db "
            f"{app_s:.2f} s vs a bare QMainWindow + PlotWidget {bare_s:.2f} s (offscreen; "
            f"bytecode cached, as after a first start); the window {first}",
        ),
        Result(
            f"launch to the whole plan, checked and painted, vs bare Qt, {ctx.size} campaigns",
            whole_s / bare_s,
            "x",
            key="launch_to_whole_plan_vs_bare_qt",
            note=f"the same processes run to the first paint with every campaign loaded and "
            f"checked: {whole_s:.2f} s (median of {ROUNDS}, alternating with the runs above) vs "
            f"{bare_s:.2f} s; what a planner waits for before the conflicts show; no target of "
            "its own",
        ),
        Result(
            f"launch to first paint without cached bytecode, {ctx.size} campaigns",
            compiling_s,
            "s",
            key="launch_without_bytecode_cache_s",
            note=f"median of {ROUNDS}, alternating with the runs above: PYTHONDONTWRITEBYTECODE=1 "
            "and no cache, so the app's own modules are compiled from source on every start "
            "(the libraries keep their installed bytecode)",
        ),
        Result(
            f"main.py check on {ctx.size} campaigns, whole process",
            check_s,
            "s",
            0.8 if ctx.n_campaigns <= 10_000 else None,
            key="check_command_s",
            note=f"median of {ROUNDS} processes: interpreter, imports, open, load, check, print "
            "(bytecode cached; DESIGN's target is for 10,000)",
        ),
    ]


if __name__ == "__main__":
    for result in run(BenchContext()):
        print(f"{result.name}: {result.value:.2f} {result.unit} (target {result.target})")
        print(f"    {result.note}")
