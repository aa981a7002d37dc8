"""The two-site Gantt timeline (pyqtgraph): rows, blocks, overlays, axes, drag and drop."""

from ui.timeline.widget import TimelineWidget

__all__ = ["TimelineWidget"]
