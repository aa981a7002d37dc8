"""Headless render: PNG and PDF files of the timeline with title, legend and conflict marks."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from scheduler_app.errors import SchedulerError
from ui.render import LEGEND_PX, TITLE_PX, render_timeline, run


@pytest.fixture
def service(plan_db: Path):  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    store = Store.open(str(plan_db))
    yield ScheduleService(store)
    store.close()


def _count(image: QImage, colour: QColor, tolerance: int = 6) -> int:
    """Pixels within ``tolerance`` of ``colour`` in every channel."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = (
        np.frombuffer(rgb.constBits(), dtype=np.uint8)
        .reshape(rgb.height(), rgb.bytesPerLine() // 4, 4)[:, : rgb.width(), :3]
        .astype(np.int16)
    )
    wanted = np.array([colour.blue(), colour.green(), colour.red()], dtype=np.int16)
    return int((np.abs(pixels - wanted) <= tolerance).all(axis=2).sum())


def test_png_has_title_blocks_conflict_marks_and_legend(service, tmp_path: Path, qapp) -> None:
    path = render_timeline(service, tmp_path / "plan.png", size=(1200, 700))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1200, 700)
    assert image.pixelColor(5, 5) == QColor("#1b2a41")  # the title band
    chart = image.copy(0, TITLE_PX, 1200, 700 - TITLE_PX - LEGEND_PX)
    assert _count(chart, QColor("#1f77b4")) > 800  # ABX-201 blocks
    assert _count(chart, QColor("#ff7f0e")) > 400  # CDX-110 block
    assert _count(chart, QColor("#d62728"), tolerance=10) > 80  # red changeover outline
    legend = image.copy(0, 700 - LEGEND_PX, 1200, LEGEND_PX)
    assert _count(legend, QColor("#1f77b4")) > 40  # the product swatch


def test_one_site_and_a_range(service, tmp_path: Path, qapp) -> None:
    start, end = datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC)
    path = render_timeline(service, tmp_path / "sdo.png", start, end, site="SDO", size=(1000, 600))
    image = QImage(str(path))
    chart = image.copy(0, TITLE_PX, 1000, 600 - TITLE_PX - LEGEND_PX)
    assert _count(chart, QColor("#ff7f0e")) == 0  # CDX-110 runs in Syracuse only
    assert _count(chart, QColor("#1f77b4")) > 400  # CMP-0003 at Songdo, May 2027


def test_a_render_leaves_no_observer_behind(service, tmp_path: Path, qapp) -> None:
    before = list(service._observers)
    render_timeline(service, tmp_path / "plan.png", size=(800, 500))
    assert service._observers == before


def test_pdf_is_written(service, tmp_path: Path, qapp) -> None:
    path = render_timeline(service, tmp_path / "plan.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_bad_requests_are_planner_messages(service, tmp_path: Path, qapp) -> None:
    with pytest.raises(SchedulerError, match="png or .pdf"):
        render_timeline(service, tmp_path / "plan.jpg")
    with pytest.raises(SchedulerError, match="Unknown site"):
        render_timeline(service, tmp_path / "plan.png", site="XYZ")


def test_command_line_run_renders_from_a_database(
    plan_db: Path, tmp_path: Path, qapp, capsys
) -> None:
    out = tmp_path / "cli.png"
    args = argparse.Namespace(
        output=str(out),
        db=str(plan_db),
        date_from="2027-02-01",
        date_to="2027-06-30",
        site="SYR",
        scenario=None,
    )
    assert run(args) == 0
    assert QImage(str(out)).width() == 2400
    assert "Rendered" in capsys.readouterr().out
    bad = argparse.Namespace(
        output=str(out),
        db=str(plan_db),
        date_from="01.02.2027",
        date_to=None,
        site=None,
        scenario=None,
    )
    with pytest.raises(SchedulerError, match="YYYY-MM-DD"):
        run(bad)
