"""What pyqtgraph's scene does on every mouse move, trimmed for a timeline that is dragged at the
display's rate.

pyqtgraph drops mouse moves that come sooner than ``mouseRateLimit`` (100 Hz by default), so a
120 Hz mouse loses every other move, and it searches every hoverable item near the cursor on each
move even mid-drag, when no item may accept the hover anyway (about 1.8 ms at 10,000 blocks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyqtgraph import GraphicsScene


def tune_scene(scene: GraphicsScene) -> None:
    """Let every move through and skip the hover search while a button is held on ``scene``.
    Other plots in the process keep pyqtgraph's defaults."""
    hover: Callable[..., None] = scene.sendHoverEvents

    def allow_every_move() -> bool:
        return True

    def hover_unless_dragging(event: Any, exitOnly: bool = False) -> None:  # noqa: N803
        if not exitOnly and scene.dragButtons and event.buttons():
            return
        hover(event, exitOnly)

    scene._moveEventIsAllowed = allow_every_move
    scene.sendHoverEvents = hover_unless_dragging
