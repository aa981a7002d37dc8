"""The seed bioreactor and downstream train rows: what each unit is busy with, derived from the
production campaigns it serves (:mod:`scheduler_app.shared_load`), and the intervals where the
pool is over-booked, hatched red. Nothing here can be dragged: the windows follow their
campaigns."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from scheduler_app.ids import BioreactorCode
from scheduler_app.localtime import to_epoch
from scheduler_app.schedule import Schedule
from scheduler_app.shared_load import SharedLoad, shared_load
from ui.timeline.overlays import _ViewLayer
from ui.timeline.painting import exposed_view
from ui.timeline.rows import RowLayout

OVERBOOKED = QColor(120, 10, 10, 200)
OVERBOOKED_EDGE = QColor(170, 20, 20)
WINDOW_EDGE = QColor(0, 0, 0, 70)


class SharedRowsItem(_ViewLayer):
    """Paints every unit row; the load is recomputed lazily after a change (``invalidate``)."""

    def __init__(self) -> None:
        super().__init__()
        self._load: SharedLoad | None = None
        self._colours: dict[str, QColor] = {}

    def set_content(self, schedule: Schedule, layout: RowLayout) -> None:
        self._load = None
        self._colours = {}
        super().set_content(schedule, layout)

    def invalidate(self) -> None:
        """Campaigns changed: derive the load again at the next paint (only if a unit row is
        shown, so schedules without shared units pay nothing)."""
        if self.layout is not None and self.layout.unit_row:
            self._load = None
            self.update()

    def load(self) -> SharedLoad:
        if self._load is None:
            assert self.schedule is not None
            self._load = shared_load(self.schedule)
        return self._load

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        layout, schedule = self.layout, self.schedule
        if layout is None or schedule is None or not layout.unit_row:
            return
        view = exposed_view(self, option, painter)
        if view is None:
            return
        rows = [
            (code, index)
            for code, index in layout.unit_row.items()
            if index + 1 > view.top() and index < view.bottom()
        ]
        if not rows:
            return
        load = self.load()
        left, right = view.left(), view.right()
        pen = QPen(WINDOW_EDGE, 0)
        for code, index in rows:
            painter.setPen(pen)
            for window in load.windows.get(BioreactorCode(code), []):
                start, end = to_epoch(window.start), to_epoch(window.end)
                if end < left or start > right:
                    continue
                painter.setBrush(self._colour(schedule, window.product))
                painter.drawRect(QRectF(start, index + 0.22, end - start, 0.56))
            hatched = QBrush(OVERBOOKED, Qt.BrushStyle.BDiagPattern)
            painter.setPen(QPen(OVERBOOKED_EDGE, 0))
            for window in load.overbooked.get(BioreactorCode(code), []):
                start, end = to_epoch(window.start), to_epoch(window.end)
                if end < left or start > right:
                    continue
                painter.setBrush(QColor(220, 45, 45, 190))
                painter.drawRect(QRectF(start, index + 0.05, end - start, 0.9))
                painter.setBrush(hatched)
                painter.drawRect(QRectF(start, index + 0.05, end - start, 0.9))

    def _colour(self, schedule: Schedule, product: str) -> QColor:
        colour = self._colours.get(product)
        if colour is None:
            found = schedule.products.get(product)  # type: ignore[call-overload]
            colour = QColor(found.colour if found is not None else "#9aa5b1")
            colour.setAlpha(150)
            self._colours[product] = colour
        return colour


LINK = QColor(60, 60, 60, 220)


class LinksItem(_ViewLayer):
    """Material links of the selection: a thin connector from the end of the campaign that feeds
    to the start of the one that consumes it (when either is selected)."""

    def __init__(self) -> None:
        super().__init__()
        self.selected: frozenset[str] = frozenset()
        self._links: list[tuple[str, str]] | None = None

    def set_content(self, schedule: Schedule, layout: RowLayout) -> None:
        self._links = None
        super().set_content(schedule, layout)

    def set_selected(self, ids: list[str]) -> None:
        selected = frozenset(ids)
        if selected != self.selected:
            self.selected, self._links = selected, None
        self.update()

    def invalidate(self) -> None:
        """Campaigns changed: find the links again at the next paint."""
        self._links = None
        self.update()

    def links(self) -> list[tuple[str, str]]:
        """``(feeder, consumer)`` pairs touching the selection, both shown on the timeline;
        kept until the selection or the campaigns change (a drag repaints many times)."""
        if self._links is None:
            self._links = self._find_links()
        return self._links

    def _find_links(self) -> list[tuple[str, str]]:
        schedule, layout = self.schedule, self.layout
        if schedule is None or layout is None or not self.selected:
            return []
        out: list[tuple[str, str]] = []
        for campaign in schedule.campaigns.values():
            needs = campaign.needs
            if needs is None or (campaign.id not in self.selected and needs not in self.selected):
                continue
            feeder = schedule.campaigns.get(needs)
            if feeder is None:
                continue
            if feeder.bioreactor in layout.bioreactor_row and (
                campaign.bioreactor in layout.bioreactor_row
            ):
                out.append((feeder.id, campaign.id))
        return out

    def paint(self, painter: QPainter, option: object, widget: object = None) -> None:
        schedule, layout = self.schedule, self.layout
        if schedule is None or layout is None:
            return
        pen = QPen(LINK, 1.6)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(LINK)
        for feeder_id, consumer_id in self.links():
            feeder = schedule.campaigns[feeder_id]  # type: ignore[index]
            consumer = schedule.campaigns[consumer_id]  # type: ignore[index]
            x0 = to_epoch(schedule.campaign_end(feeder))
            y0 = layout.bioreactor_row[feeder.bioreactor] + 0.5
            x1 = to_epoch(consumer.start)
            y1 = layout.bioreactor_row[consumer.bioreactor] + 0.5
            painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))
            # An arrow head in pixels: the view scales x and y very differently.
            sx, sy = max(self.pixelWidth(), 1e-9), max(self.pixelHeight(), 1e-9)
            size = 7.0
            painter.drawEllipse(QPointF(x0, y0), 3.0 * sx, 3.0 * sy)
            painter.drawPolygon(
                [
                    QPointF(x1, y1),
                    QPointF(x1 - size * sx, y1 - size * 0.6 * sy),
                    QPointF(x1 - size * sx, y1 + size * 0.6 * sy),
                ]
            )
