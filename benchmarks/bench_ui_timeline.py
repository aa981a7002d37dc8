"""Timeline benchmarks: full-view paint at 1920×1080 against a naive one-QGraphicsRectItem-per-block
version built here (and only here) in the same run, and one drag step with live conflict feedback.

Runnable alone: ``python benchmarks/bench_ui_timeline.py``. Sets ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchContext, Result, best_ms  # noqa: E402

SIZE = (1920, 1080)


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _service(ctx: BenchContext) -> Any:
    """What the widget needs of a service: the schedule and its conflict engine."""
    from scheduler_app.rules.engine import ConflictEngine

    schedule = ctx.schedule.copy()
    engine = ConflictEngine(schedule)
    engine.check_all()
    return SimpleNamespace(schedule=schedule, engine=engine)


def _paint_ms(widget: Any) -> float:
    from PySide6.QtGui import QImage, QPainter

    image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32_Premultiplied)

    def paint() -> None:
        painter = QPainter(image)
        widget.plot.render(painter)
        painter.end()

    paint()
    return best_ms(paint, repeat=9)


def _naive_items(widget: Any) -> list[Any]:
    """The baseline: one QGraphicsRectItem per campaign block in the same view."""
    from PySide6.QtGui import QBrush, QColor, QPen
    from PySide6.QtWidgets import QGraphicsRectItem

    arrays = widget.arrays
    schedule = arrays.schedule
    brushes = [QBrush(QColor(schedule.products[code].colour)) for code in arrays.product_codes]
    pen = QPen(QColor("#333333"), 0)
    # A plain C++ container: parenting 10,000 items straight to pyqtgraph's ChildGroup goes through
    # its Python itemChange override each time (and trips a PySide refcount bug on None).
    container = QGraphicsRectItem()
    container.setFlag(QGraphicsRectItem.GraphicsItemFlag.ItemHasNoContents)
    widget.view.addItem(container, ignoreBounds=True)
    items = [container]
    for slot in range(len(arrays)):
        row = int(arrays.row[slot])
        if row < 0:
            continue
        start, end = float(arrays.start[slot]), float(arrays.end[slot])
        item = QGraphicsRectItem(start, row + 0.14, end - start, 0.72)
        item.setBrush(brushes[int(arrays.colour[slot])])
        item.setPen(pen)
        item.setParentItem(container)
        items.append(item)
    return items


def _timeline(service: Any) -> Any:
    from ui.timeline import TimelineWidget

    widget = TimelineWidget(service)
    widget.resize(*SIZE)
    widget.show()
    _app().processEvents()
    widget.set_zoom("fit")
    _app().processEvents()
    return widget


def _drag_step_ms(widget: Any, service: Any) -> float:
    """One move of a drag: pick the target under the cursor, snap, preview with the engine,
    update the ghost. Each step lands on a new day so the preview is never skipped as unchanged."""
    from scheduler_app.localtime import DAY_SECONDS, to_epoch
    from ui.timeline.drag import _Drag

    controller = widget.drag
    campaign = sorted(service.schedule.campaigns.values(), key=lambda c: c.start)[5000]
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


def run(ctx: BenchContext) -> list[Result]:
    _app()
    service = _service(ctx)
    widget = _timeline(service)
    shown = int((widget.arrays.row[: len(widget.arrays)] >= 0).sum())
    ours = _paint_ms(widget)
    drag = _drag_step_ms(widget, service)
    widget.blocks.hide()
    items = _naive_items(widget)
    _app().processEvents()
    naive = _paint_ms(widget)
    widget.view.removeItem(items[0])
    widget.close()
    note = f"{shown} blocks in view, fit all, widget.render into a 1920x1080 QImage"
    return [
        Result("paint full timeline 1920x1080", ours, "ms", 16.0, note=note),
        Result(
            "paint speed-up vs one item per block",
            naive / ours,
            "x",
            10.0,
            higher_is_better=True,
            note=f"one QGraphicsRectItem per block: {naive:.1f} ms",
        ),
        Result(
            "drag step with live conflict feedback",
            drag,
            "ms",
            4.0,
            note="snap + engine.preview + ghost update per mouse move",
        ),
    ]


if __name__ == "__main__":
    for result in run(BenchContext()):
        flag = "" if result.met is None else ("ok" if result.met else "MISSED")
        print(f"{result.name:45s} {result.value:9.2f} {result.unit:3s} {flag:6s} {result.note}")
