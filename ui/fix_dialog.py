"""Fix…: up to three ranked ways out of a conflict, each previewed as a ghost on the timeline
(with the conflicts it would leave) and applied as one undo step."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler_app.localtime import to_epoch
from scheduler_app.planning.days import local_date
from scheduler_app.planning.fixes import FixOption
from scheduler_app.rules.conflict import Conflict
from ui.conflicts_model import plain_message
from ui.timeline import TimelineWidget
from ui.timeline.ghost import Ghost


def option_ghost(timeline: TimelineWidget, option: FixOption) -> Ghost:
    """The option drawn where its campaigns would land, coloured by what it would leave."""
    schedule = timeline.service.schedule
    rects = []
    for _, after in option.moves:
        row = timeline.layout.bioreactor_row.get(after.bioreactor)
        if row is not None:
            end = after.end_in(schedule.time_zone_of(after.bioreactor))
            rects.append((row, to_epoch(after.start), to_epoch(end)))
    moves: list[tuple[str, datetime, str]] = [
        (a.id, a.start, a.bioreactor) for _, a in option.moves
    ]
    return Ghost(rects=rects, moves=moves, conflicts=list(option.conflicts))


def bring_into_view(timeline: TimelineWidget, option: FixOption) -> list[str]:
    """Scroll and, if need be, zoom out the timeline so that every ghost of the option is on
    screen: its suites expanded, its rows scrolled to, its dates in the visible range. Returns
    the bioreactors that stay hidden (filtered out), which the dialog names instead."""
    schedule = timeline.service.schedule
    hidden: list[str] = []
    spans: list[tuple[int, float, float]] = []
    for _, after in option.moves:
        suite = schedule.suite_of(after.bioreactor).code
        if suite in timeline.collapsed:
            timeline.set_suite_collapsed(suite, False)
        row = timeline.layout.bioreactor_row.get(after.bioreactor)
        end = to_epoch(after.end_in(schedule.time_zone_of(after.bioreactor)))
        if row is None:
            hidden.append(after.bioreactor)
        else:
            spans.append((row, to_epoch(after.start), end))
    if not spans:
        return hidden
    first, last = min(s[1] for s in spans), max(s[2] for s in spans)
    timeline.show_time_span(first, last)
    top_row, bottom_row = min(s[0] for s in spans), max(s[0] for s in spans) + 1
    top, bottom = timeline.view.viewRange()[1]
    if top_row < top or bottom_row > bottom:
        timeline.view.scroll_rows((top_row + bottom_row) / 2 - (top + bottom) / 2)
    return hidden


def where_text(timeline: TimelineWidget, option: FixOption, hidden: list[str]) -> str:
    """Where the option puts each campaign, site-local, and which of those rows are hidden."""
    schedule = timeline.service.schedule
    parts = []
    for _, after in option.moves[:4]:
        day = local_date(after.start, schedule.time_zone_of(after.bioreactor))
        parts.append(f"{after.id} → {after.bioreactor} from {day:%d %b %Y}")
    more = f" and {len(option.moves) - 4} more" if len(option.moves) > 4 else ""
    text = "; ".join(parts) + more
    if hidden:
        rows = ", ".join(dict.fromkeys(hidden))
        text += f" ({rows} hidden by the filter: clear it to see the ghost)"
    return text


def option_text(option: FixOption) -> str:
    if not option.conflicts:
        return f"{option.title}\n    leaves no conflict"
    kinds = ", ".join(sorted({c.kind for c in option.conflicts}))
    count = len(option.conflicts)
    worst = "error" if option.errors else "warning"
    return f"{option.title}\n    leaves {count} {worst}{'s' if count != 1 else ''}: {kinds}"


class FixDialog(QDialog):
    """Lists the options; the highlighted one is shown on the timeline. ``chosen()`` after
    ``exec()`` is the option to apply."""

    def __init__(
        self,
        timeline: TimelineWidget,
        conflict: Conflict,
        options: list[FixOption],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.options = options
        self.setWindowTitle("Fix a conflict")
        self.resize(620, 320)
        heading = QLabel(f"<b>{conflict.kind}</b>: {plain_message(conflict)}")
        heading.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("fixOptions")
        for option in options:
            item = QListWidgetItem(option_text(option))
            item.setToolTip("\n".join(plain_message(c) for c in option.conflicts) or "No conflict")
            self.list.addItem(item)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel("Ranked options (highlight one to see it on the timeline):"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._preview)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.apply_button.setEnabled(bool(options))
        if options:
            self.list.setCurrentRow(0)
        else:
            self.detail.setText("No option: every campaign in this conflict is locked.")
        self.finished.connect(lambda _code: self.timeline.ghost_item.set_ghost(None))

    def chosen(self) -> FixOption | None:
        row = self.list.currentRow()
        return self.options[row] if 0 <= row < len(self.options) else None

    def _preview(self, row: int) -> None:
        if not 0 <= row < len(self.options):
            return
        option = self.options[row]
        hidden = bring_into_view(self.timeline, option)
        self.timeline.ghost_item.set_ghost(option_ghost(self.timeline, option))
        lines = [where_text(self.timeline, option, hidden)]
        lines += [plain_message(c) for c in option.conflicts[:3]]
        if not option.conflicts:
            lines.append("The moved campaigns would be clear.")
        self.detail.setText("\n".join(lines))
