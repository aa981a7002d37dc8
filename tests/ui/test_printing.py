"""Printing the plan (issue 11): a multi-page PDF with time across pages and the rows repeated,
header counts that say what they count, File → Print preview (Ctrl+P), and the legend on screen."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
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


def _record_print_plan(monkeypatch):  # type: ignore[no-untyped-def]
    """Every page run the preview asks for: (start, end, pages painted)."""
    import ui.print_plan as print_plan_module

    real = print_plan_module.print_plan
    runs: list[tuple[datetime, datetime, int]] = []

    def recording(service, device, start, end, *rest):  # type: ignore[no-untyped-def]
        pages = real(service, device, start, end, *rest)
        runs.append((start, end, pages))
        return pages

    monkeypatch.setattr(print_plan_module, "print_plan", recording)
    return runs


def _type_date(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.line.setFocus()
    QTest.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.line, text)
    QTest.keyClick(field.line, Qt.Key.Key_Tab)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_preview_prints_the_visible_range_the_whole_plan_or_typed_dates(
    window, qtbot, monkeypatch
) -> None:
    """The test plan runs from CMP-0001 (1 March 2027, New York) to CMP-0004's end (2 August
    + 14 days = 16 August 2027, 04:00 UTC): the whole plan is 1 March to 17 August 2027 in UTC,
    169 days, two pages of about a quarter."""
    runs = _record_print_plan(monkeypatch)
    window.timeline.set_visible_range(
        datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 15, tzinfo=UTC)
    )
    window.window_actions.print_preview.trigger()
    dialog = window.window_actions.print_dialog
    chooser = dialog.print_range
    qtbot.waitUntil(lambda: bool(runs), timeout=10000)
    assert runs[-1] == (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 15, tzinfo=UTC), 1)
    # Laid out at the screen's 96 dpi like render --pages (at 1200 dpi labels came out 12x).
    assert dialog.kept_printer.resolution() == 96
    assert dialog.kept_printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A3
    assert not chooser.first.isEnabled()

    QTest.mouseClick(chooser.buttons["whole"], Qt.MouseButton.LeftButton)
    whole = (datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 8, 17, tzinfo=UTC), 2)
    qtbot.waitUntil(lambda: runs[-1] == whole, timeout=10000)
    assert "2027-03-01 to 2027-08-16" in chooser.buttons["whole"].text()
    # Page setup in the preview repaints the same range (it crashed on freed pages before).
    painted = len(runs)
    dialog.preview_widget().setPortraitOrientation()
    qtbot.waitUntil(lambda: len(runs) > painted, timeout=10000)
    assert runs[-1][:2] == whole[:2]
    dialog.preview_widget().setLandscapeOrientation()
    qtbot.waitUntil(lambda: len(runs) > painted + 1, timeout=10000)

    QTest.mouseClick(chooser.buttons["dates"], Qt.MouseButton.LeftButton)
    assert chooser.first.isEnabled()
    _type_date(qtbot, chooser.first, "2027-01-01")
    _type_date(qtbot, chooser.last, "31 Dec 2027")
    year = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC), 4)
    qtbot.waitUntil(lambda: runs[-1] == year, timeout=10000)

    painted = len(runs)
    _type_date(qtbot, chooser.last, "2026-12-31")
    assert "before From" in chooser.problem_label.text()
    qtbot.wait(700)
    assert len(runs) == painted  # nothing repainted: the pages stay the last printable range
    assert chooser.span() == year[:2]
    dialog.close()


def test_one_site_prints_its_own_plan_in_its_own_zone(service) -> None:
    from ui.print_range import whole_plan_range

    # CMP-0003 alone at SDO: 3 May 2027 (Seoul) + 14 + 2 + 14 + 2 + 14 days = 18 June.
    start, end = whole_plan_range(service.schedule, "SDO")
    assert (start.isoformat(), end.isoformat()) == (
        "2027-05-02T15:00:00+00:00",  # midnight in Seoul
        "2027-06-17T15:00:00+00:00",
    )
