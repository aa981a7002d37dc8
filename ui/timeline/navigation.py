"""Time range and zoom of the timeline (a mixin of ``TimelineWidget``): presets, the visible
range and bringing a campaign into view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler_app.ids import CampaignId
from scheduler_app.localtime import DAY_SECONDS, from_epoch, to_epoch
from ui.timeline.blocks import BlockArrays
from ui.timeline.source import ScheduleSource
from ui.timeline.view import TimelineViewBox

ZOOM_PRESETS: list[tuple[str, str, float | None]] = [
    ("2w", "2 weeks", 14.0),
    ("quarter", "Quarter", 91.0),
    ("year", "Year", 365.0),
    ("3y", "3 years", 3 * 365.0),
    ("fit", "Fit all", None),
]
OPENING_DAYS = (30.0, 150.0)
"""Days before and after now that a new timeline shows, before any zoom preset is applied."""


def opening_range(preset: str, now: datetime) -> tuple[datetime, datetime] | None:
    """What a timeline built at ``now`` shows once zoom ``preset`` is applied to it (a day more
    either side), as :meth:`TimeNavigation.set_zoom` keeps today where it was on screen; None for
    Fit all or an unknown preset (the whole plan, or the quarter chosen in its place)."""
    span = {key: days for key, _, days in ZOOM_PRESETS}.get(preset)
    if span is None:
        return None
    before, after = OPENING_DAYS
    ahead = after / (before + after)
    return (
        now - timedelta(days=(1 - ahead) * span + 1),
        now + timedelta(days=ahead * span + 1),
    )


class TimeNavigation:
    """Zoom and range; ``TimelineWidget`` provides the attributes below."""

    service: ScheduleSource
    view: TimelineViewBox
    arrays: BlockArrays
    _selected: list[str]

    def zoom_preset_names(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label, _ in ZOOM_PRESETS]

    def set_zoom(self, preset: str) -> None:
        days = {key: span for key, _, span in ZOOM_PRESETS}
        if preset not in days:
            raise ValueError(f"unknown zoom preset {preset!r}")
        span = days[preset]
        if span is None:
            extent = self.arrays.extent()
            if extent is None:
                return
            margin = (extent[1] - extent[0]) * 0.02 + DAY_SECONDS
            self.view.setXRange(extent[0] - margin, extent[1] + margin, padding=0)
            return
        left, right = self.view.viewRange()[0]
        width = span * DAY_SECONDS
        selected = self._selection_extent()
        today = to_epoch(datetime.now(UTC))
        if selected is not None:
            # Zoom onto what the planner is working on, not onto wherever the view happened to be.
            centre = (selected[0] + selected[1]) / 2
            self.view.setXRange(centre - width / 2, centre + width / 2, padding=0)
        elif left <= today <= right:
            # Today stays where it was on screen, so it never zooms off the edge.
            fraction = (today - left) / max(right - left, 1.0)
            self.view.setXRange(today - fraction * width, today + (1 - fraction) * width, padding=0)
        else:
            centre = (left + right) / 2
            self.view.setXRange(centre - width / 2, centre + width / 2, padding=0)

    def _selection_extent(self) -> tuple[float, float] | None:
        """Earliest start and latest end (epoch seconds) of the selected campaigns."""
        schedule = self.service.schedule
        found = (schedule.campaigns.get(CampaignId(k)) for k in self._selected)
        chosen = [c for c in found if c is not None]
        if not chosen:
            return None
        starts = [to_epoch(c.start) for c in chosen]
        ends = [to_epoch(schedule.campaign_end(c)) for c in chosen]
        return min(starts), max(ends)

    def visible_range(self) -> tuple[datetime, datetime]:
        left, right = self.view.viewRange()[0]
        return from_epoch(left), from_epoch(right)

    def set_visible_range(self, start: datetime, end: datetime) -> None:
        self.view.setXRange(to_epoch(start), to_epoch(end), padding=0)
