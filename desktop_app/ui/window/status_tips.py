"""A link's target in the window's status line while the pointer (or Tab) is on the link: the
rich text views send ``QStatusTipEvent``s, which travel up to the window and end here."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QLabel, QWidget


class StatusTips(QObject):
    """Shows the status tips sent inside ``watched`` (a link's target while the pointer is
    on it) in ``label``, and puts back what the label said when the tip ends, unless the
    label has been given something new meanwhile."""

    def __init__(self, label: QLabel, watched: QWidget) -> None:
        super().__init__(watched)
        self._label = label
        self._tip = ""
        self._before = ""
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.StatusTip and isinstance(event, QStatusTipEvent):
            self.show_tip(event.tip())
            return True
        return False

    def show_tip(self, tip: str) -> None:
        if tip:
            if not self._tip:
                self._before = self._label.text()
            self._tip = tip
            self._label.setText(tip)
        elif self._tip:
            if self._label.text() == self._tip:
                self._label.setText(self._before)
            self._tip = ""
