"""What every benchmark module shares: the context it is given and the rows it returns.

Each ``benchmarks/bench_*.py`` module defines ``run(ctx: BenchContext) -> list[Result]``;
``benchmarks/run.py`` collects them into one table (or one JSON object with ``--json``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from scheduler_app.schedule import Schedule
from scheduler_app.synthetic import synthetic_schedule


@dataclass(frozen=True)
class Result:
    """One row: ``value`` in ``unit``; ``target`` is the DESIGN.md bound (same unit), if any.
    ``higher_is_better`` flips the comparison (e.g. a speed-up factor)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False
    note: str = ""
    key: str = ""

    @property
    def json_key(self) -> str:
        """The stable machine name ``--json`` prints (``check_command_s``); rows without one
        get a slug of their title."""
        if self.key:
            return self.key
        return "_".join("".join(c if c.isalnum() else " " for c in self.name.lower()).split())

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class BenchContext:
    seed: int = 0
    n_campaigns: int = 10_000
    n_bioreactors: int = 60
    workdir: Path = field(default_factory=lambda: Path("benchmarks/.work"))

    @property
    def size(self) -> str:
        """The campaign count as metric titles write it (``10,000``)."""
        return f"{self.n_campaigns:,}"

    @cached_property
    def schedule(self) -> Schedule:
        """The seeded synthetic schedule (build it once; copy before mutating)."""
        return synthetic_schedule(self.n_campaigns, self.n_bioreactors, self.seed)


def best_ms(fn: Callable[[], object], repeat: int = 7, number: int = 1) -> float:
    """The median of ``repeat`` runs of ``number`` calls, in milliseconds per call. The median,
    not the minimum, so one lucky run on a shared machine does not flatter the figure."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - began) * 1000 / number)
    return statistics.median(samples)


def prepare_database(ctx: BenchContext, path: Path) -> None:
    """An SQLite file at ``path`` holding the context's synthetic schedule, written through the
    service as an import would (for benchmarks that time whole processes opening it)."""
    from scheduler_app.service import ScheduleService, Source
    from scheduler_app.storage import Store

    store = Store.open(path)
    try:
        service = ScheduleService(store, user="bench", source=Source.CLI)
        service.apply_schedule(ctx.schedule.copy(), action="import", description="Benchmark")
    finally:
        store.close()
