"""Live-update latency: a change committed by another planner (a second connection with its own
service, as another window or process would be) until this window's ``ScheduleService.sync()``
has read it, reloaded the campaign and re-checked its bioreactor. SQLite wakes on ``PRAGMA
data_version``; PostgreSQL on ``LISTEN/NOTIFY`` (skipped, with a note, when no server is reachable).

The app calls ``sync()`` from a 400 ms timer, so a planner sees a change after this pipeline
plus up to one timer interval (half of it on average); DESIGN's bound is 2 s. ``sync()`` with
nothing new is what every idle tick costs.

Runnable alone: ``python benchmarks/bench_live.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchContext, Result, best_ms, prepare_database  # noqa: E402

TIMER_MS = 400.0
ROUNDS = 15
PG_ENV = ("SCHEDULER_BENCH_POSTGRES_URL", "SCHEDULER_TEST_POSTGRES_URL")


def _latencies(target: str) -> tuple[list[float], float]:
    """Commit → seen by ``sync()`` polled in a tight loop, per round (ms); and the idle cost."""
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    window = ScheduleService(Store.open(target), user="window")
    other = ScheduleService(Store.open(target), user="other")
    try:
        window.sync()
        signal = getattr(window._feed, "_signal", None)
        deadline = time.monotonic() + 5
        # PostgreSQL: wait until the listening thread is connected (SQLite has no thread).
        while getattr(signal, "backend_pid", 0) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        window.sync()
        key = sorted(other.schedule.campaigns)[0]
        samples = []
        for step in range(ROUNDS):
            start = other.schedule.campaigns[key].start + timedelta(days=1 if step % 2 else -1)
            other.move_campaign(key, start=start, reason="bench")
            committed = time.perf_counter()
            while True:
                found = window.sync()
                if found:
                    break
                if time.perf_counter() - committed > 5:
                    raise RuntimeError("the change was not seen within 5 s")
            samples.append((time.perf_counter() - committed) * 1000)
            assert window.schedule.campaigns[key].start == start
        idle_ms = best_ms(window.sync, repeat=7, number=200)
        return samples, idle_ms
    finally:
        for service in (window, other):
            service.stop_live()
            service.store.close()


def _rows(label: str, samples: list[float], idle_ms: float, note: str) -> list[Result]:
    median = statistics.median(samples)
    slug = label.lower()
    return [
        Result(
            f"live update seen by sync(), {label} (commit → reloaded, tight poll)",
            median,
            "ms",
            note=f"median of {len(samples)}, worst {max(samples):.1f} ms; {note}",
            key=f"live_{slug}_pipeline_ms",
        ),
        Result(
            f"live update shown, {label}, with the {TIMER_MS:.0f} ms timer (worst case)",
            median + TIMER_MS,
            "ms",
            2000.0,
            note=f"pipeline + one timer interval; on average {median + TIMER_MS / 2:.0f} ms",
            key=f"live_{slug}_shown_worst_ms",
        ),
        Result(
            f"idle sync(), {label} (nothing changed)",
            idle_ms * 1000,
            "µs",
            note="what each timer tick costs while nobody changes anything",
            key=f"live_{slug}_idle_us",
        ),
    ]


def _postgres_url() -> str | None:
    for name in PG_ENV:
        if os.environ.get(name):
            return os.environ[name]
    return None


def run(ctx: BenchContext) -> list[Result]:
    rows: list[Result] = []
    size = f"{ctx.size} campaigns"
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        path = Path(folder) / "live.db"
        prepare_database(ctx, path)
        samples, idle = _latencies(str(path))
        rows += _rows("SQLite", samples, idle, f"{size}, PRAGMA data_version, WAL file")
    raw = _postgres_url()
    if raw is None:
        rows.append(
            Result(
                "live update, PostgreSQL",
                float("nan"),
                "ms",
                note=f"skipped: set {PG_ENV[0]} to a PostgreSQL URL to measure LISTEN/NOTIFY",
                key="live_postgresql_pipeline_ms",
            )
        )
        return rows
    try:
        rows += _postgres(ctx, raw, size)
    except Exception as error:  # an unreachable server is a note, not a failed run
        rows.append(
            Result(
                "live update, PostgreSQL",
                float("nan"),
                "ms",
                note=f"skipped: {type(error).__name__}: {str(error).splitlines()[0][:80]}",
                key="live_postgresql_pipeline_ms",
            )
        )
    return rows


def _postgres(ctx: BenchContext, raw: str, size: str) -> list[Result]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

    schema = f"bench_live_{uuid.uuid4().hex[:10]}"
    admin = create_engine(raw)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(raw).update_query_dict({"options": f"-csearch_path={schema}"})
    target = url.render_as_string(hide_password=False)
    try:
        store = Store.open(target)
        try:
            ScheduleService(store, user="bench", source=Source.CLI).apply_schedule(
                ctx.schedule.copy(), action="import", description="Benchmark"
            )
        finally:
            store.close()
        samples, idle = _latencies(target)
        return _rows("PostgreSQL", samples, idle, f"{size}, LISTEN/NOTIFY, local server")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    for row in run(BenchContext(n_campaigns=int(os.environ.get("BENCH_CAMPAIGNS", "10000")))):
        print(f"{row.name}: {row.value:.2f} {row.unit}  ({row.note})")
