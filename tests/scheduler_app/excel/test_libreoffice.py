"""A workbook saved again by LibreOffice Calc (what some operations desks use) imports exactly,
and planner text still is not a formula. Skipped where LibreOffice is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_app.excel import read_workbook, write_workbook
from tests.factories import campaign, small_schedule
from tests.scheduler_app.excel.workbooks import assert_same_schedule

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _resave(source: Path, folder: Path) -> Path:
    out = folder / "out"
    environment = dict(os.environ, HOME=str(folder))  # a private LibreOffice profile
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
         str(out), str(source)],
        check=True, capture_output=True, timeout=180, env=environment,
    )  # fmt: skip
    return out / source.name


def test_a_libreoffice_saved_export_round_trips(tmp_path: Path) -> None:
    schedule = small_schedule()
    schedule.extra_columns = ["Comments"]
    campaign(schedule, "CMP-0001", notes="=SUM(A1)", extra=(("Comments", "항체 +1"),))
    campaign(schedule, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-08", notes="-x")
    campaign(schedule, "CMP-0003", start="2027-11-01", batches=1, notes="@x across DST")
    source = tmp_path / "plan.xlsx"
    write_workbook(schedule, source, conflicts=[])

    saved = _resave(source, tmp_path)
    result = read_workbook(saved, schedule)

    assert result.errors == [] and result.warnings == []
    assert_same_schedule(result.schedule, schedule)
    book = load_workbook(saved)
    assert all(cell.data_type != "f" for row in book["Campaigns"].iter_rows() for cell in row)
