"""The paint benchmark's one-item-per-block baseline draws the blocks our layer draws (issue 12:
nothing checked it): the check passes for the real baseline and catches one that leaves the
suite-summary lanes out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def widget(qtbot):  # type: ignore[no-untyped-def]
    from benchmarks.bench_ui_timeline import _layers_only, _service, _timeline
    from benchmarks.common import BenchContext

    timeline = _timeline(_service(BenchContext(n_campaigns=1000, n_bioreactors=20)))
    qtbot.addWidget(timeline)
    _layers_only(timeline, timeline.blocks)
    qtbot.wait(1)
    return timeline


def test_the_baseline_draws_the_same_blocks(widget) -> None:
    from benchmarks.bench_ui_timeline import _naive_items, same_blocks

    check = same_blocks(widget, _naive_items(widget))
    assert check["blocks"] >= 500
    assert check["same"] >= 0.98


def test_a_baseline_without_the_summary_lanes_is_caught(widget) -> None:
    from benchmarks.bench_ui_timeline import _naive_items, same_blocks

    check = same_blocks(widget, _naive_items(widget, summaries=False))
    assert check["same"] < 0.7
