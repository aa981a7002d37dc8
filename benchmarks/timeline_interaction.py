"""Timeline interactions as a planner feels them, measured on a live ``TimelineWidget``: one drag
step (engine part), a drag frame with repaint, a real mouse drag through the view's event path,
a filter change or suite collapse with repaint, and the refresh after one move. Used by
``bench_ui_timeline.py``; not a benchmark module of its own.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from benchmarks.common import best_ms

SIZE = (1920, 1080)


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def drag_step_ms(widget: Any, service: Any) -> float:
    """One move of a drag: pick the target under the cursor, snap, preview with the engine,
    update the ghost. Each step lands on a new day so the preview is never skipped as unchanged."""
    from scheduler_app.localtime import DAY_SECONDS, to_epoch
    from ui.timeline.drag import _Drag

    controller = widget.drag
    campaign = sorted(service.schedule.campaigns.values(), key=lambda c: c.start)[
        len(service.schedule.campaigns) // 2
    ]
    row = widget.layout.bioreactor_row[campaign.bioreactor]
    down_x = to_epoch(campaign.start) + 3600.0
    controller.drag = _Drag("move", campaign, [campaign], down_x)
    step = [0]

    def move() -> None:
        step[0] += 1
        offset = (step[0] % 120 - 60) * DAY_SECONDS
        target_row = row + (step[0] % 3) - 1
        controller._preview(down_x + offset, target_row + 0.5, False)

    move()
    value = best_ms(move, repeat=7, number=40)
    controller._clear()
    return value


def drag_frame_ms(widget: Any, service: Any) -> float:
    """A whole drag frame at a quarter's zoom: the drag step plus repainting the widget with the
    ghost, the faded originals and everything else (what the planner waits for)."""
    from PySide6.QtGui import QImage, QPainter

    from scheduler_app.localtime import DAY_SECONDS, to_epoch
    from ui.timeline.drag import _Drag

    image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32_Premultiplied)
    controller = widget.drag
    campaign = sorted(service.schedule.campaigns.values(), key=lambda c: c.start)[
        len(service.schedule.campaigns) // 2
    ]
    widget.set_visible_range(
        campaign.start - timedelta(days=45), campaign.start + timedelta(days=46)
    )
    row = widget.layout.bioreactor_row[campaign.bioreactor]
    widget.view.scroll_rows(row - widget.view.viewRange()[1][0] - 5)
    down_x = to_epoch(campaign.start) + 3600.0
    controller.drag = _Drag("move", campaign, [campaign], down_x)
    widget.blocks.set_faded([campaign.id])
    step = [0]

    def frame() -> None:
        step[0] += 1
        controller._preview(down_x + (step[0] % 20 - 10) * DAY_SECONDS, row + 0.5, False)
        painter = QPainter(image)
        widget.plot.render(painter)
        painter.end()

    frame()
    value = best_ms(frame, repeat=9, number=3)
    controller._clear()
    widget.set_zoom("fit")
    return value


def drag_event_ms(widget: Any, service: Any) -> tuple[float, float, float, int, int]:
    """A real drag through the view's event path: a press on a block, then 200 QMouseEvents sent
    to the viewport, each followed by the repaint Qt makes of what the move exposed (the ghost,
    the readout, the faded original). Returns the median of the moves that repainted, the median
    and 90th percentile of all moves, how many moves reached the drag controller (none may be
    dropped) and how many repainted."""
    from PySide6.QtCore import QEvent, QObject, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    from scheduler_app.localtime import DAY_SECONDS, to_epoch

    app = _app()
    campaigns = sorted(service.schedule.campaigns.values(), key=lambda c: c.start)
    campaign = campaigns[len(campaigns) // 2]
    widget.set_visible_range(
        campaign.start - timedelta(days=45), campaign.start + timedelta(days=46)
    )
    row = widget.layout.bioreactor_row[campaign.bioreactor]
    widget.view.scroll_rows(row - widget.view.viewRange()[1][0] - 5)
    app.processEvents()
    viewport = widget.plot.viewport()
    middle = to_epoch(campaign.start) + DAY_SECONDS * 1.5

    def pixel(epoch: float, row_y: float) -> QPointF:
        scene = widget.view.mapViewToScene(QPointF(epoch, row_y))
        return QPointF(widget.plot.mapFromScene(scene))

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    keys = Qt.KeyboardModifier.NoModifier

    def send(kind: QEvent.Type, at: QPointF, button: Any, buttons: Any) -> None:
        global_at = QPointF(viewport.mapToGlobal(at.toPoint()))
        app.sendEvent(viewport, QMouseEvent(kind, at, global_at, button, buttons, keys))

    start = pixel(middle, row + 0.5)
    send(QEvent.Type.MouseButtonPress, start, left, left)
    app.processEvents()
    seen = [0]
    preview = widget.drag._preview

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen[0] += 1
        return preview(*args, **kwargs)

    widget.drag._preview = counted
    paints = [0]

    class PaintCounter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints[0] += 1
            return False

    counter = PaintCounter()
    viewport.installEventFilter(counter)
    samples: list[float] = []
    painted: list[bool] = []
    moves = 200
    try:
        for step in range(1, moves + 1):
            # Back and forth over +-20 days and the rows either side: a new snap every few moves.
            phase = step % 80
            days = (phase if phase < 40 else 80 - phase) - 20
            at = pixel(middle + days * DAY_SECONDS / 2, row + 0.5 + (step // 40) % 3 - 1)
            before = paints[0]
            began = time.perf_counter()
            send(QEvent.Type.MouseMove, at, none, left)
            app.processEvents()
            samples.append((time.perf_counter() - began) * 1000)
            painted.append(paints[0] > before)
    finally:
        viewport.removeEventFilter(counter)
        widget.drag._preview = preview
        send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.RightButton, left)
        send(QEvent.Type.MouseButtonRelease, start, left, none)
        app.processEvents()
        widget.set_zoom("fit")
        app.processEvents()
    painted_samples = sorted(t for t, did in zip(samples, painted, strict=True) if did)
    samples.sort()
    return (
        statistics.median(painted_samples or samples),
        statistics.median(samples),
        samples[int(len(samples) * 0.9)],
        seen[0],
        len(painted_samples),
    )


def filter_change_ms(widget: Any) -> tuple[float, float]:
    """A site filter switched on and off, and a suite collapsed and expanded, each with the
    repaint that follows (fit all): what a planner waits for after a click in the filter menu."""
    app = _app()
    sites = sorted({site for site in widget.service.schedule.sites})
    suite = sorted(widget.service.schedule.suites)[0]
    flip = [False]

    def site_filter() -> None:
        flip[0] = not flip[0]
        widget.set_filter(sites=sites[:1] if flip[0] else None)
        widget.plot.viewport().repaint()
        app.processEvents()

    def collapse() -> None:
        flip[0] = not flip[0]
        widget.set_suite_collapsed(suite, flip[0])
        widget.plot.viewport().repaint()
        app.processEvents()

    filtered = best_ms(site_filter, repeat=5, number=2)
    collapsed = best_ms(collapse, repeat=5, number=2)
    widget.set_filter()
    widget.set_suite_collapsed(suite, False)
    app.processEvents()
    return filtered, collapsed


def refresh_ms(widget: Any, service: Any) -> float:
    """``refresh(change_set)`` after one campaign moved a day (the service already applied it):
    the slot is rewritten, the sort redone and the conflict marks re-read."""
    from dataclasses import replace
    from datetime import timedelta

    from scheduler_app.change_set import CampaignChange, ChangeSet, Source

    schedule = service.schedule
    ordered = sorted(schedule.campaigns.values(), key=lambda c: c.start)
    campaign = ordered[len(ordered) * 2 // 5]
    step = [0]

    def refresh() -> None:
        step[0] += 1
        before = schedule.campaigns[campaign.id]
        after = replace(before, start=campaign.start + timedelta(days=step[0] % 2))
        schedule.put_campaign(after)
        service.engine.update([after.bioreactor])
        change = CampaignChange(before, after)
        touched = frozenset({after.bioreactor})
        widget.refresh(ChangeSet("move", "Move", (change,), touched, Source.APP))

    refresh()
    value = best_ms(refresh, repeat=7, number=5)
    schedule.put_campaign(campaign)
    service.engine.update([campaign.bioreactor])
    widget.refresh(None)
    return value
