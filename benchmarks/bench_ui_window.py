"""Window benchmarks: opening the main window on the 10,000-campaign schedule, from ``Store.open``
on a prepared SQLite file to the first paint of the timeline, and the resident memory then.

The window is opened in a fresh Python process so that the schedules and caches of the other
benchmarks do not count towards its memory.
Runnable alone: ``python benchmarks/bench_ui_window.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchContext, Result, prepare_database  # noqa: E402


def resident_mb() -> float:
    """VmRSS of this process, in MB (Linux); NaN where /proc is not available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def open_window(db_path: str) -> dict[str, float]:
    """In this process: open the store and the window, wait for the timeline's first paint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store
    from ui.main_window import MainWindow
    from ui.notify import RecordingNotifier
    from ui.resources import style_sheet
    from ui.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(style_sheet())
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    with tempfile.TemporaryDirectory(prefix="bench-window-") as folder:
        began = time.perf_counter()
        store = Store.open(db_path)
        service = ScheduleService(store)
        loaded = time.perf_counter()
        window = MainWindow(
            service, AppSettings(Path(folder) / "settings.ini"), RecordingNotifier()
        )
        spy = FirstPaint()
        window.timeline.plot.viewport().installEventFilter(spy)
        window.resize(1600, 1000)
        window.show()
        built = time.perf_counter()
        deadline = built + 30
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        first_paint = time.perf_counter()
        memory = resident_mb()
        figures = {
            "first_paint_ms": (first_paint - began) * 1000,
            "load_ms": (loaded - began) * 1000,
            "window_ms": (built - loaded) * 1000,
            "rss_mb": memory,
            "campaigns": float(len(service.schedule.campaigns)),
        }
        window.close()
        store.close()
    return figures


def run(ctx: BenchContext) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-ui-window-") as folder:
        path = Path(folder) / "bench.db"
        prepare_database(ctx, path)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        runs = []
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=300,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"window process failed: {done.stderr.strip()[-800:]}")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda figures: figures["first_paint_ms"])
    median = runs[len(runs) // 2]
    count = int(median["campaigns"])
    return [
        Result(
            f"open window on {ctx.size} campaigns to first paint",
            median["first_paint_ms"],
            "ms",
            1500.0 if ctx.n_campaigns <= 10_000 else 2000.0,
            key="open_window_ms",
            note=(
                f"median of 3 fresh processes, {count:,} campaigns: Store.open + load + engine "
                f"{median['load_ms']:.0f} ms, window {median['window_ms']:.0f} ms, rest is show "
                "and the first paint (offscreen)"
            ),
        ),
        Result(
            f"resident memory at {ctx.size} campaigns",
            max(figures["rss_mb"] for figures in runs),
            "MB",
            400.0 if ctx.n_campaigns <= 10_000 else 600.0,
            key="rss_mb",
            note="VmRSS of the window process after the first paint (worst of 3)",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(open_window(sys.argv[2])))
    else:
        for result in run(BenchContext()):
            print(f"{result.name}: {result.value:.1f} {result.unit} (target {result.target})")
            print(f"    {result.note}")
