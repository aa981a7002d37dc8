"""Issue 13.1: a sheet whose ``<dimension>`` lies about its size is read to the real end of its
data; ``import --delete-missing`` must not delete the rows past the claimed end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scheduler_app.cli.main import main
from scheduler_app.excel import read_workbook, write_workbook
from scheduler_app.storage import Store
from tests.scheduler_app.robustness.doctor import set_dimension


def _count(db: Path) -> int:
    with Store.open(str(db)) as store:
        return len(store.load().campaigns)


@pytest.fixture
def exported(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    assert main(["export", str(path), "--db", str(demo_db)]) == 0
    return path


def test_claimed_short_sheet_does_not_delete_the_rest(
    demo_db: Path, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _count(demo_db)
    set_dimension(exported, "Campaigns", "A1:N10")
    capsys.readouterr()
    code = main(["import", str(exported), "--db", str(demo_db), "--delete-missing", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0, payload
    assert payload["changes"]["deleted"] == []
    assert payload["changes"]["missing"] == []
    assert payload["changes"]["unchanged"] == before
    assert _count(demo_db) == before


def test_claimed_narrow_sheet_still_finds_every_column(
    demo_db: Path, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_dimension(exported, "Campaigns", "A1:F174")
    set_dimension(exported, "Products", "A1:B2")
    capsys.readouterr()
    code = main(["import", str(exported), "--db", str(demo_db), "--dry-run", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0, payload["errors"]
    assert payload["changes"]["changed"] == [] and payload["changes"]["added"] == []


def test_claimed_huge_sheet_with_few_rows_is_read_as_it_is(tmp_path: Path) -> None:
    from scheduler_app.demo import demo_schedule

    schedule = demo_schedule()
    path = tmp_path / "plan.xlsx"
    write_workbook(schedule, path, conflicts=[])
    copy = tmp_path / "copy.xlsx"
    shutil.copyfile(path, copy)
    set_dimension(copy, "Campaigns", "A1:Z1")
    result = read_workbook(copy, schedule)
    assert result.ok, result.errors
    assert set(result.schedule.campaigns) == set(schedule.campaigns)
