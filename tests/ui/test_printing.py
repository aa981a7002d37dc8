"""Printing the plan (issue 11): a multi-page PDF with time across pages and the rows repeated,
header counts that say what they count, File → Print preview (Ctrl+P), and the legend on screen."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui.print_plan import page_spans
from ui.render import render_pages, run


@pytest.fixture
def service(plan_db: Path):  # type: ignore[no-untyped-def]
    from scheduler_app.service import ScheduleService
    from scheduler_app.storage import Store

    store = Store.open(str(plan_db))
    yield ScheduleService(store)
    store.close()


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


def test_page_spans_cover_the_range_in_quarters() -> None:
    start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    spans = page_spans(start, end, 91)
    assert len(spans) == 4
    assert spans[0][0] == start and spans[-1][1] == end
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    # A year and a day is still four pages (no one-day fifth page).
    assert len(page_spans(start, datetime(2028, 1, 1, tzinfo=UTC), 91)) == 4
    assert len(page_spans(start, datetime(2027, 1, 10, tzinfo=UTC), 91)) == 1


def test_a_year_prints_as_four_pages(service, tmp_path: Path, qapp) -> None:
    start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    path = render_pages(service, tmp_path / "plan.pdf", start, end)
    assert pdf_pages(path) == 4


def test_render_pages_from_the_command_line(plan_db: Path, tmp_path: Path, qapp, capsys) -> None:
    target = tmp_path / "meeting.pdf"
    args = argparse.Namespace(
        output=str(target), db=str(plan_db), date_from="2027-01-01", date_to="2027-06-30",
        site=None, pages=True, scenario=None,
    )  # fmt: skip
    assert run(args) == 0
    assert pdf_pages(target) == 2
    assert "Rendered" in capsys.readouterr().out


def test_pages_need_a_pdf(service, tmp_path: Path, qapp) -> None:
    from scheduler_app.errors import SchedulerError

    with pytest.raises(SchedulerError, match="--pages writes a PDF"):
        render_pages(service, tmp_path / "plan.png")


def test_header_counts_say_what_they_count_and_match_the_app(window, qtbot) -> None:
    from ui.timeline.legend import title_counts

    timeline = window.timeline
    timeline.set_zoom("fit")
    text = title_counts(timeline)
    counts = window.service.engine.counts()
    errors, warnings = counts["error"], counts["warning"]
    assert f"all dates in the schedule: {errors} errors, {warnings} warnings" in text
    assert window.error_label.text().startswith(f"{errors} error")
    assert text.startswith("In this range: ")


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_ctrl_p_opens_a_print_preview_of_the_pages(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    painted = []
    import ui.print_plan as print_plan_module

    real = print_plan_module.print_plan

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        painted.append(real(*args, **kwargs))
        return painted[-1]

    print_plan_module.print_plan = recording
    try:
        QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        dialog = window.window_actions.print_dialog
        qtbot.waitUntil(lambda: bool(painted), timeout=10000)
    finally:
        print_plan_module.print_plan = real
    assert painted[0] >= 1
    dialog.close()


def test_the_legend_shows_on_screen_and_is_remembered(open_window, plan_db, qtbot) -> None:
    first = open_window(plan_db)
    assert first.legend.isHidden()
    first.window_actions.show_legend.trigger()
    assert first.legend.isVisible()
    image = first.legend.grab().toImage()
    colours = {image.pixelColor(x, image.height() // 2).name() for x in range(image.width())}
    assert len(colours) > 5  # swatches and text, not an empty strip
    first.close()
    second = open_window(plan_db)
    assert second.legend.isVisible()
