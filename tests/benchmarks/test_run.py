"""The benchmark harness: discovery, the table, --json, --only, exit codes, failing modules."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from benchmarks import run

FAST = """
from benchmarks.common import Result

def run(ctx):
    return [
        Result("fast check", 3.0, "ms", target=20.0, key="fast_check_ms"),
        Result("campaigns seen", float(len(ctx.schedule.campaigns)), "campaigns"),
    ]
"""
SLOW = """
from benchmarks.common import Result

def run(ctx):
    return [Result("slow paint", 40.0, "ms", target=16.0, note="needs work")]
"""
SPEEDUP = """
from benchmarks.common import Result

def run(ctx):
    return [Result("paint speed-up", 12.0, "x", target=10.0, higher_is_better=True)]
"""
RAISES = """
def run(ctx):
    raise RuntimeError("database went away")
"""
BROKEN_IMPORT = "import module_that_does_not_exist_anywhere\n"
SEGFAULTS = """
import os, signal

def run(ctx):
    os.kill(os.getpid(), signal.SIGSEGV)
"""
SHARES_CONTEXT = """
from benchmarks.common import Result

def run(ctx):
    seen = getattr(ctx, "visits", 0) + 1
    ctx.visits = seen
    return [Result(f"visit {seen}", float(id(ctx.schedule) % 1000), "id")]
"""


def write(directory: Path, **modules: str) -> Path:
    for name, source in modules.items():
        (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


def harness(directory: Path, *argv: str) -> int:
    args = ["--campaigns", "120", "--bioreactors", "6", "--workdir", str(directory / ".w"), *argv]
    return run.main(args, directory=directory)


def test_all_targets_met_exits_0_and_prints_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_fast=FAST, bench_speedup=SPEEDUP, helper_not_a_bench=RAISES)

    assert harness(tmp_path) == 0

    out = capsys.readouterr().out
    fast = next(line for line in out.splitlines() if line.startswith("fast check"))
    assert "3" in fast and "ms" in fast and "≤ 20" in fast and "✓" in fast
    assert "≥ 10" in out and "campaigns seen" in out and "120" in out


def test_a_missed_target_exits_1_and_is_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_fast=FAST, bench_slow=SLOW)

    assert harness(tmp_path) == 1

    slow = next(line for line in capsys.readouterr().out.splitlines() if "slow paint" in line)
    assert "✗" in slow and "needs work" in slow


def test_failing_modules_become_rows_and_the_others_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_a_raises=RAISES, bench_b_broken=BROKEN_IMPORT, bench_c_fast=FAST)

    assert harness(tmp_path) == 1

    out = capsys.readouterr().out
    assert "bench_a_raises" in out and "RuntimeError: database went away" in out
    assert "bench_b_broken" in out and "ModuleNotFoundError" in out
    assert "fast check" in out


def test_json_is_one_object_of_metric_to_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_fast=FAST, bench_slow=SLOW)

    assert harness(tmp_path, "--json") == 1

    # A row's own key where it has one, else a slug of its title.
    assert json.loads(capsys.readouterr().out) == {
        "fast_check_ms": 3.0,
        "campaigns_seen": 120.0,
        "slow_paint": 40.0,
    }


def test_only_filters_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, bench_fast=FAST, bench_slow=SLOW)

    assert harness(tmp_path, "--only", "fast", "--json") == 0
    assert set(json.loads(capsys.readouterr().out)) == {"fast_check_ms", "campaigns_seen"}
    assert harness(tmp_path, "--only", "nothing-matches") == 2


def test_a_module_that_crashes_its_process_is_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_a_segfaults=SEGFAULTS, bench_b_fast=FAST)

    assert harness(tmp_path) == 1

    out = capsys.readouterr().out
    crashed = next(line for line in out.splitlines() if line.startswith("bench_a_segfaults"))
    assert "crashed (signal 11)" in crashed and "✗" in crashed
    assert "fast check" in out


def test_isolated_modules_get_fresh_contexts_in_process_ones_share_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, bench_one=SHARES_CONTEXT, bench_two=SHARES_CONTEXT)

    assert harness(tmp_path, "--json") == 0
    assert set(json.loads(capsys.readouterr().out)) == {"visit_1"}

    assert harness(tmp_path, "--json", "--in-process") == 0
    shared = json.loads(capsys.readouterr().out)
    assert set(shared) == {"visit_1", "visit_2"}
    assert shared["visit_1"] == shared["visit_2"]


def test_a_larger_schedule_runs_on_a_larger_plant_by_default() -> None:
    assert run.default_bioreactors(1_000) == 60
    assert run.default_bioreactors(10_000) == 60
    assert run.default_bioreactors(100_000) == 300
