"""``LiveNotice``: a short, non-modal note over the timeline's corner saying who changed what.

Changes committed by other planners arrive while this planner works; the note lists the newest
few ("kim moved CMP-0072 to SDO-BR1508, 12 Jul") and fades away after a few seconds unless the
pointer rests on it. It never takes the keyboard focus. Clicking a line selects its campaigns. A
lost database connection is told here once and stays until the connection is back.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPropertyAnimation,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QEnterEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

SHOWN_MS = 8000
FADE_MS = 700
MAX_LINES = 4
MARGIN = 12


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """One line of the note: its text, when (a short time), and the campaigns it names."""

    text: str
    when: str
    campaigns: tuple[str, ...] = ()


class _Line(QLabel):
    picked = Signal(tuple)

    def __init__(self, line: NoticeLine) -> None:
        super().__init__(f"<b>{line.when}</b>&nbsp; {_escape(line.text)}")
        self.setObjectName("liveNoticeLine")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.campaigns = line.campaigns
        if line.campaigns:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip("Show " + ", ".join(line.campaigns[:6]) + " on the timeline")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.campaigns:
            self.picked.emit(self.campaigns)
        super().mouseReleaseEvent(event)


class LiveNotice(QFrame):
    """``campaignsPicked(ids)`` when the planner clicks a line."""

    campaignsPicked = Signal(list)

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("liveNotice")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#liveNotice { background: #fffdf3; border: 1px solid #d9b44a; border-radius: 6px; }"
            "#liveNotice[problem='true'] { background: #fff1f0; border-color: #c92a2a; }"
            "#liveNoticeTitle { font-weight: bold; color: #5c4400; }"
            "#liveNotice[problem='true'] #liveNoticeTitle { color: #a61e1e; }"
        )
        self.lines: list[NoticeLine] = []
        self.problem = ""
        self.title = QLabel("Changed by others")
        self.title.setObjectName("liveNoticeTitle")
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.dismiss)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(self.body)
        self.setFixedWidth(380)

        self.opacity = QGraphicsOpacityEffect(self)
        self.opacity.setOpacity(1.0)
        self.setGraphicsEffect(self.opacity)
        self.fade = QPropertyAnimation(self.opacity, b"opacity", self)
        self.fade.setDuration(FADE_MS)
        self.fade.setStartValue(1.0)
        self.fade.setEndValue(0.0)
        self.fade.setEasingCurve(QEasingCurve.Type.InQuad)
        self.fade.finished.connect(self._faded)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SHOWN_MS)
        self.timer.timeout.connect(self.fade_out)
        host.installEventFilter(self)
        self.hide()

    def add(self, lines: list[NoticeLine]) -> None:
        """Show ``lines`` (newest first) above the ones still on screen, and restart the clock."""
        if not lines:
            return
        self.lines = [*lines, *self.lines][:MAX_LINES]
        self._rebuild()
        self._appear()
        if not self.problem:
            self.timer.start()

    def set_problem(self, text: str) -> None:
        """A lasting message (a lost connection); it stays until :meth:`clear_problem`."""
        if text == self.problem:
            return
        self.problem = text
        self.timer.stop()
        self._rebuild()
        self._appear()

    def clear_problem(self, text: str) -> None:
        """The problem is over: say so with ``text`` as an ordinary, fading line."""
        self.problem = ""
        self.add([NoticeLine(text, "")])

    def dismiss(self) -> None:
        self.timer.stop()
        self.fade.stop()
        self.lines = []
        self.hide()

    def fade_out(self) -> None:
        if self.underMouse() or self.problem:
            self.timer.start()
            return
        self.fade.start()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802
        """Resting the pointer on the note keeps it."""
        self.fade.stop()
        self.opacity.setOpacity(1.0)
        super().enterEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _appear(self) -> None:
        self.fade.stop()
        self.opacity.setOpacity(1.0)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        host = self.parentWidget()
        if host is not None:
            self.move(max(0, host.width() - self.width() - MARGIN), MARGIN + 30)

    def _faded(self) -> None:
        if self.opacity.opacity() <= 0.01:
            self.lines = []
            self.hide()
            self.opacity.setOpacity(1.0)

    def _rebuild(self) -> None:
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.setProperty("problem", "true" if self.problem else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.title.setText("Database connection" if self.problem else "Changed by others")
        if self.problem:
            problem = QLabel(_escape(self.problem))
            problem.setWordWrap(True)
            self.body.addWidget(problem)
        for line in self.lines:
            label = _Line(line)
            label.picked.connect(lambda ids: self.campaignsPicked.emit(list(ids)))
            self.body.addWidget(label)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
