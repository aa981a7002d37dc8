"""Issue 13.4: no quadratic work in an import. New IDs are counted up from one scan, a stacked
fill-down is one overlap conflict per cluster in the preview, and a long CLI import shows
progress on stderr."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks.bench_import_scale import write_campaigns
from scheduler_app.cli.import_command import Progress
from scheduler_app.excel import compute_changes, read_workbook
from scheduler_app.schedule import Schedule
from scheduler_app.synthetic import synthetic_schedule


def test_rows_without_ids_scan_the_taken_ids_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule = synthetic_schedule(2_000, 20, 1)
    path = tmp_path / "new.xlsx"
    write_campaigns(schedule, path, with_ids=False, stacked=False)
    calls = []
    original = Schedule.next_campaign_id

    def counted(self: Schedule, taken: object = ()) -> object:
        calls.append(1)
        return original(self, taken)  # type: ignore[arg-type]

    monkeypatch.setattr(Schedule, "next_campaign_id", counted)
    result = read_workbook(path, schedule)

    assert result.ok, result.errors[:3]
    assert len(calls) == 1
    assert len(result.new_ids) == 2_000 == len(set(result.new_ids))
    assert not set(result.new_ids) & set(schedule.campaigns)
    highest = max(int(cid.removeprefix("CMP-")) for cid in schedule.campaigns)
    assert result.new_ids[0] == f"CMP-{highest + 1:04d}"
    assert result.new_ids[-1] == f"CMP-{highest + 2_000:04d}"


def test_stacked_rows_are_one_overlap_conflict_per_cluster(tmp_path: Path) -> None:
    schedule = synthetic_schedule(400, 10, 2)
    path = tmp_path / "stacked.xlsx"
    write_campaigns(schedule, path, with_ids=False, stacked=True)
    result = read_workbook(path, schedule)
    assert result.ok

    preview = compute_changes(schedule, result.schedule)

    overlaps = [c for c in preview.conflicts if c.kind == "overlap"]
    stacked = [c for c in overlaps if set(result.new_ids) <= set(c.campaigns)]
    assert len(stacked) == 1, len(overlaps)
    assert f"{len(stacked[0].campaigns):,} campaigns overlap on" in stacked[0].message
    assert len(overlaps) < 50  # not the 80,000 pairs of every overlapping pair


def test_progress_is_quiet_at_first_then_reports_on_stderr() -> None:
    stream = io.StringIO()
    quiet = Progress("plan.xlsx", stream, after_s=3600)
    quiet.reading(0.5)
    quiet.step("applying")
    assert stream.getvalue() == ""
    loud = Progress("plan.xlsx", stream, after_s=0)
    for fraction in (0.0, 0.05, 0.1, 0.55, 1.0):
        loud.reading(fraction)
    loud.step("applying")
    lines = stream.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "plan.xlsx: reading 0 %",
        "plan.xlsx: reading 10 %",
        "plan.xlsx: reading 50 %",
        "plan.xlsx: reading 100 %",
        "plan.xlsx: applying",
    ]
