"""Timeline benchmarks: full-view paint at 1920×1080 against a naive one-QGraphicsRectItem-per-block
version built here (and only here) in the same run, and one drag step with live conflict feedback.

Runnable alone: ``python benchmarks/bench_ui_timeline.py``. Sets ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks import timeline_interaction as interaction  # noqa: E402
from benchmarks.common import BenchContext, Result  # noqa: E402

SIZE = (1920, 1080)


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


class _Source:
    """What the widget needs of a service (``ui.timeline.source.ScheduleSource``): the schedule,
    its conflict engine and the observer hooks; the benchmark drives refreshes itself."""

    def __init__(self, schedule: Any, engine: Any) -> None:
        self.schedule = schedule
        self.engine = engine

    def add_observer(self, callback: Any) -> None:
        pass

    def remove_observer(self, callback: Any) -> None:
        pass


def _service(ctx: BenchContext) -> Any:
    from scheduler_app.rules.engine import ConflictEngine

    schedule = ctx.schedule.copy()
    engine = ConflictEngine(schedule)
    engine.check_all()
    return _Source(schedule, engine)


def _paint_ms(widget: Any, repeat: int = 15, zoom: bool = False) -> float:
    """Median time to render the whole widget into a 1920×1080 image. Before each (untimed) step
    the view pans by one pixel, or with ``zoom`` widens by one pixel's worth of time, which
    invalidates every cache (the cold case: the first frame after a wheel step)."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32_Premultiplied)
    left, right = widget.view.viewRange()[0]
    pixel = (right - left) / SIZE[0]
    samples = []
    for step in range(repeat + 1):
        shift = pixel * (step % 2)
        widget.view.setXRange(left + (0 if zoom else shift), right + shift, padding=0)
        began = time.perf_counter()
        painter = QPainter(image)
        widget.plot.render(painter)
        painter.end()
        samples.append((time.perf_counter() - began) * 1000)
    widget.view.setXRange(left, right, padding=0)
    return statistics.median(samples[1:])


def _layers_only(widget: Any, keep: Any) -> list[Any]:
    """Hide every layer and axis but ``keep``; returns what was hidden (to show it again)."""
    others = [
        widget.background,
        widget.unavailable,
        widget.maintenance,
        widget.blocks,
        widget.ghost_item,
        widget.today_line,
        widget.row_axis,
        widget.date_axis,
    ]
    hidden = [item for item in others if item is not keep and item.isVisible()]
    for item in hidden:
        item.hide()
    return hidden


def _naive_items(widget: Any, summaries: bool = True) -> Any:
    """The baseline, under one plain container (returned; add it to the view to show it): one
    QGraphicsRectItem per block on its bioreactor row (brush by product and style, a 2 px pen in
    the frame colour on conflicts and the selection, a hairline otherwise) and, with
    ``summaries``, one per block in its suite-summary lane: the picture the block layer draws."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QBrush, QColor, QPen
    from PySide6.QtWidgets import QGraphicsRectItem

    from ui.timeline.blocks import CANCELLED, SEVERITY_ERROR, SEVERITY_WARNING

    arrays = widget.arrays
    blocks = widget.blocks
    count = len(arrays)
    styles = blocks.styles(arrays, np.arange(count))
    brushes = {int(key): QBrush(blocks._brush(int(key))) for key in np.unique(styles)}
    plain = [blocks._brush(int(c) * 3) for c in range(len(arrays.product_codes))]
    hairline = QPen(QColor("#333333"), 0)
    frames = {
        SEVERITY_WARNING: QPen(blocks.warning_colour, 2),
        SEVERITY_ERROR: QPen(blocks.error_colour, 2),
    }
    selected = QPen(blocks.selection_colour, 3)
    for pen in (*frames.values(), selected):
        pen.setCosmetic(True)  # device pixels, as the layer draws them
    # A plain C++ container: parenting 10,000 items straight to pyqtgraph's ChildGroup goes through
    # its Python itemChange override each time (and trips a PySide refcount bug on None).
    container = QGraphicsRectItem()
    container.setFlag(QGraphicsRectItem.GraphicsItemFlag.ItemHasNoContents)
    container.children_ = []  # keep the Python wrappers alive with the container
    for slot in range(count):
        start, end = float(arrays.start[slot]), float(arrays.end[slot])
        row, lane = int(arrays.row[slot]), int(arrays.lane[slot])
        if row >= 0:
            item = QGraphicsRectItem(start, row + 0.14, end - start, 0.72)
            item.setBrush(brushes[int(styles[slot])])
            pen = frames.get(int(arrays.severity[slot]), hairline)
            item.setPen(selected if blocks.selected[slot] else pen)
            item.setParentItem(container)
            container.children_.append(item)
        if summaries and lane >= 0 and arrays.visible[slot] and arrays.status[slot] != CANCELLED:
            top, height = float(arrays.lane_top[lane]), float(arrays.lane_height[lane])
            item = QGraphicsRectItem(start, top, end - start, height)
            item.setBrush(plain[int(arrays.colour[slot])])
            item.setPen(QPen(Qt.PenStyle.NoPen))
            item.setParentItem(container)
            container.children_.append(item)
    return container


def _pixels(widget: Any) -> np.ndarray:
    """The widget rendered at 1920×1080 as ``(height, width)`` 0xAARRGGBB words."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    widget.plot.render(painter)
    painter.end()
    words = np.frombuffer(image.constBits(), dtype=np.uint32, count=SIZE[0] * SIZE[1])
    return words.reshape(SIZE[1], SIZE[0]).copy()


def _block_centres(widget: Any) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres ``(x, y)`` of every block our layer draws at least 3 px wide and 2 px tall
    in view: on its bioreactor row (not stacked ones) and in its suite-summary lane."""
    from PySide6.QtCore import QPointF

    from ui.timeline.blocks import CANCELLED

    arrays, view = widget.arrays, widget.view
    (left, right), (top, bottom) = view.viewRange()
    a = widget.plot.mapFromScene(view.mapViewToScene(QPointF(left, top)))
    b = widget.plot.mapFromScene(view.mapViewToScene(QPointF(right, bottom)))
    ax, ay = (b.x() - a.x()) / (right - left), (b.y() - a.y()) / (bottom - top)
    count = len(arrays)
    start, end = arrays.start[:count], arrays.end[:count]
    x = ((start + end) / 2 - left) * ax + a.x()
    wide = ((end - start) * ax >= 3) & (x > a.x() + 2) & (x < b.x() - 2)
    row = arrays.row[:count].astype(np.float64)
    on_row = wide & (row >= 0) & (arrays.subs[:count] == 1) & (row >= top) & (row + 1 <= bottom)
    lane = arrays.lane[:count]
    lane_top = np.where(lane >= 0, arrays.lane_top[np.maximum(lane, 0)], -1.0)
    lane_h = np.where(lane >= 0, arrays.lane_height[np.maximum(lane, 0)], 0.0)
    in_lane = wide & (lane >= 0) & arrays.visible[:count] & (arrays.status[:count] != CANCELLED)
    in_lane &= (lane_h * ay >= 2) & (lane_top >= top) & (lane_top + lane_h <= bottom)
    xs = np.concatenate((x[on_row], x[in_lane]))
    ys = np.concatenate(
        (
            (row[on_row] + 0.5 - top) * ay + a.y(),
            (lane_top[in_lane] + lane_h[in_lane] / 2 - top) * ay + a.y(),
        )
    )
    return np.round(xs).astype(np.int64), np.round(ys).astype(np.int64)


def same_blocks(widget: Any, baseline: Any) -> dict[str, float]:
    """Whether the baseline draws the blocks we draw: the block layer alone and the baseline
    alone are rendered, and near the centre of every block our layer draws (on its row and in
    its summary lane) both must cover a pixel. ``same`` is the share of blocks where they do (a
    baseline that left the summary lanes out scores about a half), ``colour`` the share where
    the colours also agree within 24 per channel (our labels, batch gaps and hatching are not
    in the baseline). "Near" is the centre pixel or the one either side of it: a block 3 px
    wide may be drawn a pixel either way by each (our raster covers every pixel a block
    touches, less one of air; Qt fills pixels whose centres are inside)."""
    app = _app()
    widget.blocks.hide()
    empty = _pixels(widget)
    widget.blocks.show()
    ours = _pixels(widget)
    widget.blocks.hide()
    widget.view.addItem(baseline, ignoreBounds=True)
    app.processEvents()
    theirs = _pixels(widget)
    widget.view.removeItem(baseline)
    widget.blocks.show()
    app.processEvents()
    xs, ys = _block_centres(widget)
    inside = (xs >= 1) & (xs < SIZE[0] - 1) & (ys >= 0) & (ys < SIZE[1])
    xs, ys = xs[inside], ys[inside]
    both = np.zeros(xs.size, dtype=bool)
    near = np.zeros(xs.size, dtype=bool)
    for dx in (0, -1, 1):
        mine, base, blank = ours[ys, xs + dx], theirs[ys, xs + dx], empty[ys, xs + dx]
        here = (mine != blank) & (base != blank)
        alike = here.copy()
        for shift in (16, 8, 0):
            a = (mine >> shift & 0xFF).astype(np.int16)
            alike &= np.abs(a - (base >> shift & 0xFF).astype(np.int16)) <= 24
        both |= here
        near |= alike
    size = max(int(both.size), 1)
    return {
        "same": float(both.sum()) / size,
        "colour": float(near.sum()) / size,
        "blocks": float(both.size),
    }


def _block_layer_ms(widget: Any, rounds: int = 5) -> dict[str, float]:
    """Medians of the block layer alone (every other layer and both axes hidden) drawn ours and
    the naive way, panning and cold, in alternating rounds so that a busy spell on the shared
    machine hits both; plus the plot's own render with nothing in it, which both pay."""
    app = _app()
    hidden = _layers_only(widget, widget.blocks)
    app.processEvents()  # hiding the axes widens the view: let the layout settle before timing
    baselines = {"naive": _naive_items(widget), "rows_only": _naive_items(widget, False)}
    samples: dict[str, list[float]] = {}

    def take(name: str, value: float) -> None:
        samples.setdefault(name, []).append(value)

    for _ in range(rounds):
        widget.blocks.show()
        take("ours", _paint_ms(widget))
        take("ours_cold", _paint_ms(widget, zoom=True))
        widget.blocks.hide()
        take("empty", _paint_ms(widget, zoom=True))
        for name, baseline in baselines.items():
            widget.view.addItem(baseline, ignoreBounds=True)
            app.processEvents()
            if name == "naive":
                take(name, _paint_ms(widget))
            take(f"{name}_cold", _paint_ms(widget, zoom=True))
            widget.view.removeItem(baseline)
            app.processEvents()
    widget.blocks.show()
    check = same_blocks(widget, baselines["naive"])
    for item in hidden:
        item.show()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    medians["items"] = len(baselines["naive"].children_)
    medians.update({f"same_{key}": value for key, value in check.items()})
    return medians


def _timeline(service: Any) -> Any:
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(service)
    widget.resize(*SIZE)
    widget.show()
    _app().processEvents()
    widget.set_zoom("fit")
    _app().processEvents()
    return widget


def run(ctx: BenchContext) -> list[Result]:
    _app()
    service = _service(ctx)
    widget = _timeline(service)
    shown = int((widget.arrays.row[: len(widget.arrays)] >= 0).sum())
    full = _paint_ms(widget)
    cold = _paint_ms(widget, zoom=True)
    drag = interaction.drag_step_ms(widget, service)
    refresh = interaction.refresh_ms(widget, service)
    drag_frame = interaction.drag_frame_ms(widget, service)
    drag_event, drag_all, drag_event_p90, reached, repainted = interaction.drag_event_ms(
        widget, service
    )
    filter_ms, collapse_ms = interaction.filter_change_ms(widget)
    filter_target = 30.0 if ctx.n_campaigns <= 10_000 else 100.0
    layer = _block_layer_ms(widget)
    widget.close()
    like_for_like = (
        "block layer alone (every other layer and both axes hidden, in both), fit all; "
        "baseline: the same picture with one QGraphicsRectItem per drawn block "
        f"({layer['items']} items: {shown} on bioreactor rows with style brushes and frame pens, "
        "the rest in the suite-summary lanes), scene index left at Qt's default BSP tree; "
        "medians of alternating rounds"
    )
    return [
        Result(
            "paint full timeline 1920x1080",
            full,
            "ms",
            16.0,
            note=f"whole widget, fit all, {shown} blocks, panning 1 px between paints",
        ),
        Result(
            "paint full timeline 1920x1080, cold",
            cold,
            "ms",
            16.0,
            note="same view, zoomed by 1 px before each paint: nothing cached",
        ),
        Result(
            "paint speed-up vs one item per block",
            layer["naive_cold"] / layer["ours_cold"],
            "x",
            10.0,
            higher_is_better=True,
            note=f"cold (zoomed by 1 px before each paint, both): {layer['ours_cold']:.2f} ms vs "
            f"{layer['naive_cold']:.1f} ms; {like_for_like}; both include "
            f"{layer['empty']:.2f} ms of the plot's own render with nothing in it; against "
            f"items for the {shown} row blocks only ({layer['rows_only_cold']:.1f} ms) it is "
            f"{layer['rows_only_cold'] / layer['ours_cold']:.1f}x",
        ),
        Result(
            "paint baseline draws the same blocks",
            layer["same_same"],
            "share",
            0.98,
            higher_is_better=True,
            note=f"block layer alone vs the one-item-per-block baseline alone, fit all: the "
            f"centre pixel (or one either side) of each of the {layer['same_blocks']:.0f} blocks "
            f"we draw at least 3 px wide (rows and summary lanes) is covered by both in "
            f"{layer['same_same']:.1%}, in "
            f"the same colour (within 24 per channel; our labels and batch gaps are not in the "
            f"baseline) in {layer['same_colour']:.1%}",
        ),
        Result(
            "paint speed-up vs one item per block, panning",
            layer["naive"] / layer["ours"],
            "x",
            10.0,
            higher_is_better=True,
            note=f"panning 1 px between paints (both): {layer['ours']:.2f} ms vs "
            f"{layer['naive']:.1f} ms; same set-up as the cold row",
        ),
        Result(
            "drag step with live conflict feedback",
            drag,
            "ms",
            4.0,
            note="target row + snap + engine.preview + ghost update per mouse move",
        ),
        Result(
            "drag frame incl. repaint, quarter view",
            drag_frame,
            "ms",
            note="drag step + full widget render with ghost (no target in DESIGN.md)",
        ),
        Result(
            f"drag: one mouse move incl. repaint, {ctx.size} campaigns",
            drag_event,
            "ms",
            8.0,
            key="drag_event_ms",
            note=f"200 QMouseEvents sent to the viewport mid-drag (quarter view), each with the "
            f"repaint Qt makes of what it exposed; median of the {repainted} moves that "
            f"repainted (all 200: median {drag_all:.2f} ms, 90th percentile "
            f"{drag_event_p90:.1f} ms); {reached} of 200 moves reached the drag",
        ),
        Result(
            f"timeline refresh after one move, {ctx.size} campaigns",
            refresh,
            "ms",
            3.0,
            key="refresh_after_move_ms",
            note="incl. the engine's incremental update; slot rewrite, re-sort, conflict marks "
            "(DESIGN's target is for 100,000)",
        ),
        Result(
            f"site filter change incl. repaint, {ctx.size} campaigns",
            filter_ms,
            "ms",
            filter_target,
            key="filter_change_ms",
            note="one site on / all sites, fit all, each followed by a repaint of the view",
        ),
        Result(
            f"suite collapse incl. repaint, {ctx.size} campaigns",
            collapse_ms,
            "ms",
            filter_target,
            key="suite_collapse_ms",
            note="first suite collapsed / expanded, fit all, each followed by a repaint",
        ),
    ]


if __name__ == "__main__":
    for result in run(BenchContext()):
        flag = "" if result.met is None else ("ok" if result.met else "MISSED")
        print(f"{result.name:45s} {result.value:9.2f} {result.unit:3s} {flag:6s} {result.note}")
