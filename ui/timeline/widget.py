"""``TimelineWidget``: the two-site Gantt chart planners drag campaigns on.

The widget never changes the schedule. It draws ``service.schedule`` and the engine's conflicts,
previews drags with ``service.engine.preview`` and emits requests (``moveRequested``,
``resizeRequested``, …) that the main window turns into undoable service calls. It observes the
service and redraws only the campaigns a change touched.

Mouse and keys, for the planner and the help text:

- drag a block: move it (in time, and to any bioreactor row, either site); it snaps to local
  midnight of the target bioreactor's site; hold Shift or Alt for free movement
- drag a block's right edge: change its batch count (whole batches, at least one)
- Esc or a right-click while dragging: cancel; nothing changes
- click: select; Ctrl+click: add or remove; Shift- or Ctrl-drag on empty space: rubber band
- drag empty space: pan (time and rows); wheel: zoom time; Shift+wheel or wheel over the row
  labels: scroll rows; click a suite label: collapse or expand it
- double-click a block: open it; double-click empty row space: create a campaign there
- hold Ctrl while dragging one campaign: ripple (the campaigns after it on the target
  bioreactor are pushed just enough to keep their gaps)
- Left/Right: move the selection a day (Shift: a week); Alt+Up/Down: to the neighbouring
  bioreactor row; each is one undo step
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QHBoxLayout, QScrollBar, QWidget

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.change_set import ChangeSet
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import DAY_SECONDS, from_epoch, nearest_local_midnight, to_epoch
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.conflict import Severity
from ui.timeline.axis import DateAxis, RowAxis, workstation_zone
from ui.timeline.blocks import (
    SEVERITY_ERROR,
    SEVERITY_NONE,
    SEVERITY_WARNING,
    BlockArrays,
    Filters,
)
from ui.timeline.blocks_item import BlocksItem
from ui.timeline.drag import DragController
from ui.timeline.ghost import GhostItem
from ui.timeline.keys import TimelineKeys
from ui.timeline.maintenance_marks import DrawBand, window_at
from ui.timeline.navigation import OPENING_DAYS, TimeNavigation
from ui.timeline.overlays import BackgroundItem, MaintenanceItem, UnavailableItem
from ui.timeline.reference_layer import ReferenceLayer, differing_campaigns
from ui.timeline.row_fitting import ROW_DENSITIES, RowFitting
from ui.timeline.rows import RowKind, RowLayout, build_layout
from ui.timeline.scene_tuning import tune_scene
from ui.timeline.shared_rows import LinksItem, SharedRowsItem
from ui.timeline.source import ScheduleSource
from ui.timeline.view import TimelineViewBox

FULL_REBUILD_ACTIONS = {"import", "demo", "reload", "apply_schedule"}


class TimelineWidget(RowFitting, TimeNavigation, TimelineKeys):
    """The timeline; see the UI contract in ARCHITECTURE.md for the signals and methods."""

    moveRequested = Signal(list)
    resizeRequested = Signal(str, int)
    selectionChanged = Signal(list)
    createRequested = Signal(str, object)
    campaignActivated = Signal(str)
    contextMenuRequested = Signal(object, object, object)
    statusMessage = Signal(str)
    rippleRequested = Signal(str, object, str)
    maintenanceDrawn = Signal(str, object, object)
    """(bioreactor, start, end): the planner Alt-dragged a new maintenance window on a row."""
    maintenanceActivated = Signal(object)
    """A maintenance window was double-clicked (to edit it)."""

    # The row layout; it shadows QWidget.layout(), which the timeline never uses (its one child
    # layout is built in __init__ and not looked up again).
    layout: RowLayout  # type: ignore[assignment]
    arrays: BlockArrays

    def __init__(self, service: ScheduleSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.filters = Filters()
        self.row_density = "comfortable"
        self.pointer_down = False  # a mouse button is held on the chart (a press or a drag)
        self.row_px_range = ROW_DENSITIES[self.row_density]
        self.collapsed: set[str] = set()
        self._reference_plans: dict[str, Mapping[CampaignId, Campaign]] = {}
        self._reference_only: dict[str, set[CampaignId] | None] = {}
        self._selected: list[str] = []
        self._edited: set[str] = set()
        self.view = TimelineViewBox()
        self.date_axis = DateAxis("top")
        self.row_axis = RowAxis(self._toggle_suite)
        self.plot = pg.PlotWidget(
            viewBox=self.view, axisItems={"top": self.date_axis, "left": self.row_axis}
        )
        self.plot.setBackground("w")
        tune_scene(self.plot.scene())
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showAxis("top")
        item.hideAxis("bottom")
        # A hidden axis still follows the range; with pyqtgraph's SI prefixes on it rewrote its
        # (unseen) title as rich text on every pan and zoom step.
        item.getAxis("bottom").enableAutoSIPrefix(False)
        item.layout.setContentsMargins(0, 0, 4, 0)
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.installEventFilter(self)
        self.plot.viewport().installEventFilter(self)
        self.background = BackgroundItem()
        self.unavailable = UnavailableItem()
        self.maintenance = MaintenanceItem()
        self.shared_rows = SharedRowsItem()
        self.links = LinksItem()
        self.blocks = BlocksItem()
        self.ghost_item = GhostItem()
        self.draw_band = DrawBand()
        self.baseline = ReferenceLayer("baseline")
        self.outlines = ReferenceLayer("outline")
        layers: tuple[pg.GraphicsObject, ...] = (
            self.background,
            self.unavailable,
            self.maintenance,
            self.shared_rows,
            self.baseline,
            self.blocks,
            self.links,
            self.outlines,
            self.draw_band,
            self.ghost_item,
        )
        for z, layer in enumerate(layers):
            layer.setZValue(z * 10 - 30)
            self.view.addItem(layer, ignoreBounds=True)
        today_pen = QPen(QColor("#e8590c"), 1.5, Qt.PenStyle.DashLine)
        today_pen.setCosmetic(True)
        self.today_line = pg.InfiniteLine(
            pos=to_epoch(datetime.now(UTC)),
            angle=90,
            movable=False,
            pen=today_pen,
            label="today",
            labelOpts={"position": 0.02, "color": "#e8590c"},
        )
        self.today_line.setZValue(5)
        self.view.addItem(self.today_line, ignoreBounds=True)
        self.drag = DragController(self)
        self.blocks.handler = self.drag
        self.view.on_rubber_band = self._rubber_band
        self.view.sigResized.connect(self._fit_rows)
        self.view.setLimits(
            xMin=to_epoch(datetime(1995, 1, 1, tzinfo=UTC)),
            xMax=to_epoch(datetime(2100, 1, 1, tzinfo=UTC)),
            minXRange=2 * DAY_SECONDS,
            maxXRange=60 * 365 * DAY_SECONDS,
        )
        self.row_scroll = QScrollBar(Qt.Orientation.Vertical, self)
        self.row_scroll.setObjectName("rowScrollBar")
        self.row_scroll.setToolTip("Scroll the rows (also Shift+wheel, or the wheel over labels)")
        self.row_scroll.valueChanged.connect(self._row_scrolled)
        self.row_scroll.hide()  # shown once the rows do not all fit
        self.view.sigYRangeChanged.connect(self._sync_row_scroll)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.plot, 1)
        box.addWidget(self.row_scroll)
        self.set_display_zone(None)
        self.refresh()
        now = datetime.now(UTC)
        before, after = OPENING_DAYS
        self.set_visible_range(now - timedelta(days=before), now + timedelta(days=after))
        service.add_observer(self._on_service_change)

    # -- building -------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        schedule = self.service.schedule
        self.layout = build_layout(schedule, self.collapsed, self.filters.sites)
        self.arrays = BlockArrays(schedule, self.layout, self.filters)
        self._update_severities()
        self._show_layout()

    def _relayout(self) -> None:
        """After a filter or a suite collapse: new rows, the same campaigns. The block arrays
        keep their data, order and conflict marks and only place the blocks anew."""
        schedule = self.service.schedule
        if getattr(self, "arrays", None) is None or self.arrays.schedule is not schedule:
            self._rebuild()
            return
        self.layout = build_layout(schedule, self.collapsed, self.filters.sites)
        self.arrays.relayout(self.layout, self.filters)
        self._show_layout()
        # Not from inside a resize: the scroll bar can come or go now and the widget be laid out
        # at once, so the next paint is the only one, at the final width.
        self._show_row_scroll_if_needed()
        box = QWidget.layout(self)
        if box is not None:
            box.activate()

    def _show_layout(self) -> None:
        """Hand the current rows and arrays to every layer."""
        schedule = self.service.schedule
        self.blocks.set_arrays(self.arrays)
        self.blocks.set_selected(self._selected)
        self.links.set_selected(self._selected)
        for layer in (
            self.background,
            self.unavailable,
            self.maintenance,
            self.shared_rows,
            self.links,
        ):
            layer.set_content(schedule, self.layout)
        self.row_axis.set_layout(self.layout, self.collapsed)
        self._place_references()
        self.view.row_count = len(self.layout)
        self._fit_rows()

    def _update_severities(self, bioreactors: set[str] | None = None) -> None:
        """Conflict marks from the engine; after a change (``bioreactors``: those it touched) only
        the marks of the campaigns whose conflicts the engine says changed, wherever they are (a
        seed, downstream or material conflict spans bioreactors), and of the edited campaigns."""
        engine = self.service.engine
        changed = engine.changed_campaigns() if bioreactors is not None else None
        error = Severity.ERROR
        if changed is None:
            worst: dict[str, int] = {}
            for conflict in engine.conflicts:
                level = SEVERITY_ERROR if conflict.severity is error else SEVERITY_WARNING
                for campaign_id in conflict.campaigns:
                    if worst.get(campaign_id, 0) < level:
                        worst[campaign_id] = level
            self.arrays.set_severities(worst, None)
            return
        # Each campaign's own conflicts, as the engine finds them near it: scanning every
        # conflict instead cost 40 ms a move at 100,000 campaigns (97,000 conflicts).
        marks: dict[str, int] = {}
        for key in changed | self._edited:
            level = SEVERITY_NONE
            for conflict in engine.conflicts_for(key):
                level = max(
                    level, SEVERITY_ERROR if conflict.severity is error else SEVERITY_WARNING
                )
            marks[key] = level
        self.arrays.set_severities(marks, ())

    def refresh(self, change_set: ChangeSet | None = None) -> None:
        """Redraw after a service change. A change set of campaign edits rewrites only those
        campaigns' slots; anything else (import, reload, master data) rebuilds everything."""
        if (
            change_set is None
            or change_set.action in FULL_REBUILD_ACTIONS
            or change_set.master_data_changed
            or change_set.maintenance_changed
            or self.arrays.schedule is not self.service.schedule
        ):
            self._rebuild()
            return
        touched = []
        reactors: set[str] = set(change_set.touched_bioreactors)
        for change in change_set.changes:
            reactors.update(c.bioreactor for c in (change.before, change.after) if c is not None)
            key = change.campaign_id
            touched.append((key, self.service.schedule.campaigns.get(key)))
        self.arrays.update(touched)
        self.shared_rows.invalidate()
        self.links.invalidate()
        self._edited = {key for key, _ in touched}
        self._update_severities(reactors)
        self.blocks.set_arrays(self.arrays)
        live = [c for c in self._selected if c in self.service.schedule.campaigns]
        if live != self._selected:
            self.select(live, emit=True)
        self.blocks.set_selected(self._selected)

    def _on_service_change(self, change_set: ChangeSet) -> None:
        self.refresh(change_set)
        if change_set.changes and (self.outlines.plan or self.baseline.plan):
            self._place_references()

    def show_reference(
        self,
        style: str,
        plan: Mapping[CampaignId, Campaign] | None,
        only: set[CampaignId] | None = None,
    ) -> None:
        """Draw ``plan`` as outlines (Live's positions beside a scenario) or baseline bars (a
        published version); None takes the layer away."""
        layer = self.outlines if style == "outline" else self.baseline
        self._reference_only[style] = only
        if plan is None:
            layer.clear()
            self._reference_plans.pop(style, None)
            return
        self._reference_plans[style] = plan
        self._place_references()

    def _place_references(self) -> None:
        schedule = self.service.schedule
        for style, plan in self._reference_plans.items():
            layer = self.outlines if style == "outline" else self.baseline
            only = self._reference_only.get(style)
            if style == "outline":
                only = differing_campaigns(plan, schedule.campaigns)
            layer.set_plan(plan, schedule, self.layout, only)

    def detach(self) -> None:
        """Stop observing the service (a temporary timeline, e.g. for File → Export chart, must
        not outlive its use as an observer)."""
        self.service.remove_observer(self._on_service_change)

    # -- rows -----------------------------------------------------------------------------------
    def _toggle_suite(self, suite_code: str) -> None:
        self.set_suite_collapsed(suite_code, suite_code not in self.collapsed)

    def set_suite_collapsed(self, suite_code: str, collapsed: bool) -> None:
        if collapsed:
            self.collapsed.add(suite_code)
        else:
            self.collapsed.discard(suite_code)
        self._relayout()

    # -- selection ------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        return list(self._selected)

    def select(self, ids: Iterable[str], emit: bool = False) -> None:
        """Select ``ids`` (unknown IDs are dropped). ``emit`` is for the widget's own clicks;
        the main window calling this does not get its call echoed back."""
        campaigns = self.service.schedule.campaigns
        wanted = list(dict.fromkeys(i for i in ids if i in campaigns))
        changed = wanted != self._selected
        self._selected = wanted
        self.blocks.set_selected(wanted)
        self.links.set_selected(wanted)
        if changed and emit:
            self.selectionChanged.emit(list(wanted))

    def _rubber_band(self, rect: QRectF, additive: bool) -> None:
        slots = self.arrays.in_time_range(rect.left(), rect.right())
        rows = self.arrays.row[slots]
        hit = slots[(rows >= 0) & (rows + 1 > rect.top()) & (rows < rect.bottom())]
        ids = [self.arrays.ids[int(s)] for s in hit]
        self.select([*self._selected, *ids] if additive else ids, emit=True)

    def window_at(self, pos: QPointF) -> MaintenanceWindow | None:
        """The maintenance window drawn under a view position, if any."""
        return window_at(self.service.schedule, self.layout, pos.x(), pos.y())

    def spot_at(self, pos: QPointF) -> tuple[str, datetime] | None:
        """``(bioreactor, start snapped to its site's midnight)`` under a view position."""
        row = self.layout.row_at(pos.y())
        if row is None or row.kind is not RowKind.BIOREACTOR:
            return None
        return row.code, nearest_local_midnight(from_epoch(pos.x()), row.time_zone)

    def show_time_span(self, start: float, end: float) -> None:
        """Bring epoch seconds ``start``..``end`` on screen: zoom out to it (with a tenth either
        side) when it is wider than nine tenths of the view, else centre it if any of it is
        off-screen; a span already in view stays where it is."""
        left, right = self.view.viewRange()[0]
        width = right - left
        if end - start > width * 0.9:
            margin = (end - start) * 0.1
            self.view.setXRange(start - margin, end + margin, padding=0)
        elif start < left or end > right:
            centre = (start + end) / 2
            self.view.setXRange(centre - width / 2, centre + width / 2, padding=0)

    def scroll_to(self, campaign_id: str) -> None:
        """Bring a campaign into view: expand its suite, centre it in time if it is off-screen,
        and scroll its row into the middle if it is hidden."""
        campaign = self.service.schedule.campaigns.get(CampaignId(campaign_id))
        if campaign is None:
            return
        suite = self.service.schedule.suite_of(campaign.bioreactor).code
        if suite in self.collapsed:
            self.set_suite_collapsed(suite, False)
        start = to_epoch(campaign.start)
        end = to_epoch(self.service.schedule.campaign_end(campaign))
        self.show_time_span(start, end)
        row = self.layout.bioreactor_row.get(campaign.bioreactor)
        if row is not None:
            top, bottom = self.view.viewRange()[1]
            if row < top or row + 1 > bottom:
                self.view.scroll_rows(row + 0.5 - (top + bottom) / 2)

    # -- what is shown --------------------------------------------------------------------------

    def set_display_zone(self, tz_name: str | None) -> None:
        name = tz_name or workstation_zone()
        self.display_zone = name
        title = f"Dates in {name}" + ("" if tz_name else " (this computer)")
        self.date_axis.set_zone(name, title)
        self.date_axis.setLabel(title)

    def set_show_cancelled(self, show: bool) -> None:
        self.filters.show_cancelled = bool(show)
        self._relayout()

    def set_filter(
        self,
        sites: Iterable[str] | None = None,
        products: Iterable[str] | None = None,
        statuses: Iterable[Status] | None = None,
        purposes: Iterable[Purpose] | None = None,
    ) -> None:
        self.filters.sites = None if sites is None else frozenset(sites)
        self.filters.products = None if products is None else frozenset(products)
        self.filters.statuses = None if statuses is None else frozenset(statuses)
        self.filters.purposes = None if purposes is None else frozenset(purposes)
        self._relayout()
