"""Date-axis labels never overlap (issue 11: "28 Dec" was drawn into "Jan 2027"): across a sweep
of zoom levels and view positions, at scale factor 1 and 2, the rectangles Qt draws the labels in
do not intersect, and the coarser label is the one that stays."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

from scheduler_app.localtime import to_epoch
from tests.factories import small_schedule
from tests.ui.timeline.fake_source import FakeSource

ROOT = Path(__file__).resolve().parents[3]
SPANS_DAYS = [round(2.0 * 1.15**step, 2) for step in range(55)]  # 2 days to about 17 years
CENTRES = [datetime(2026, 12, 29, tzinfo=UTC), datetime(2027, 3, 31, 12, tzinfo=UTC)]


def _drawn_rects(axis) -> list[tuple[QRectF, str]]:  # type: ignore[no-untyped-def]
    """The labels the axis would draw now and the rectangles Qt draws their text in."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    if axis.style["tickFont"]:
        painter.setFont(axis.style["tickFont"])
    _, _, texts = axis.generateDrawSpecs(painter)
    metrics = QFontMetricsF(painter.font())
    painter.end()
    return [(metrics.boundingRect(rect, int(flags), text), text) for rect, flags, text in texts]


def sweep(widths: tuple[int, ...] = (1920, 1366)) -> dict[str, object]:
    """Every overlap of two drawn labels over the sweep (as text pairs), and how many views and
    labels were looked at."""
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(FakeSource(small_schedule()))
    widget.set_display_zone("UTC")
    widget.show()
    overlaps: list[str] = []
    views = labels = 0
    for width in widths:
        widget.resize(width, 500)
        for centre in CENTRES:
            for days in SPANS_DAYS:
                half = timedelta(days=days / 2)
                widget.set_visible_range(centre - half, centre + half)
                widget.plot.grab()  # lay out and paint once, as on screen
                drawn = _drawn_rects(widget.date_axis)
                views += 1
                labels += len(drawn)
                for i, (a, text_a) in enumerate(drawn):
                    for b, text_b in drawn[i + 1 :]:
                        if a.intersects(b):
                            overlaps.append(f"{width}px {days}d: {text_a!r} / {text_b!r}")
    widget.detach()
    widget.close()
    return {"overlaps": overlaps, "views": views, "labels": labels}


def test_no_two_date_labels_overlap_at_any_zoom(qtbot) -> None:
    result = sweep()
    assert result["overlaps"] == []
    assert result["views"] == 2 * len(CENTRES) * len(SPANS_DAYS)
    assert result["labels"] >= 4 * result["views"]  # labels are still drawn


def test_no_two_date_labels_overlap_at_scale_factor_two() -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    code = (
        "import json; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from tests.ui.timeline.test_axis_labels import sweep; print(json.dumps(sweep()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["overlaps"] == []
    assert result["labels"] >= 4 * result["views"]


def test_the_major_label_stays_and_the_minor_one_beside_it_goes(qtbot) -> None:
    """At 1366 px and 100 days around the year end, "28 Dec" (a Monday) was drawn into
    "Jan 2027": the month label stays, the week label beside it goes, the next week's stays."""
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(FakeSource(small_schedule()))
    qtbot.addWidget(widget)
    widget.set_display_zone("UTC")
    widget.resize(1366, 500)
    widget.show()
    half = timedelta(days=100.13 / 2)
    widget.set_visible_range(CENTRES[0] - half, CENTRES[0] + half)
    widget.plot.grab()
    axis = widget.date_axis
    ticks = dict(axis.tickValues(*axis.range, axis.width()))
    assert to_epoch(datetime(2026, 12, 28, tzinfo=UTC)) in ticks[2.0]  # a week tick is there
    texts = [text for _, text in _drawn_rects(axis)]
    assert "Jan 2027" in texts
    assert "28 Dec" not in texts
    assert "11 Jan" in texts and "Dec" in texts
    widget.detach()


def test_the_axis_title_stays_centred_when_the_years_in_view_change(qtbot) -> None:
    """The title names the years on screen ("… · 2027", then "… · 2027–2028"); pyqtgraph centres
    it only on a resize, so a longer title stood off centre until the window was resized."""
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(FakeSource(small_schedule()))
    qtbot.addWidget(widget)
    widget.set_display_zone("UTC")
    widget.resize(1366, 500)
    widget.show()
    axis = widget.date_axis
    titles = []
    for first, last in (
        (datetime(2027, 3, 1), datetime(2027, 6, 1)),
        (datetime(2027, 11, 1), datetime(2028, 3, 1)),
    ):
        widget.set_visible_range(first.replace(tzinfo=UTC), last.replace(tzinfo=UTC))
        widget.plot.grab()
        title = axis.label.boundingRect()
        titles.append(axis.label.toPlainText().strip())
        assert abs(axis.label.pos().x() + title.width() / 2 - axis.size().width() / 2) <= 1
    assert titles[0].endswith("· 2027") and titles[1].endswith("· 2027–2028")
