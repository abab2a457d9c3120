"""Dropping files, links or a picture anywhere on the window: a visible drop target while
something is dragged over it, and what was dropped handed on to be attached.

Signals:
    dropped(QMimeData): something with URLs or an image was dropped (valid only while the
        signal is being delivered: connect directly).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QWidget


class FileDrop(QObject):
    """See the module docstring. Watches ``window``'s drag events through an event filter."""

    dropped = Signal(QMimeData)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.hint = QLabel(self.tr("Drop images or PDFs to attach them"), window)
        self.hint.setObjectName("DropHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.hide()
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is not self._window:
            return False
        kind = event.type()
        if kind == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            mime = event.mimeData()
            if mime.hasUrls() or mime.hasImage():
                event.acceptProposedAction()
                self.hint.setGeometry(self._window.rect())
                self.hint.raise_()
                self.hint.show()
            return True
        if kind == QEvent.Type.DragLeave:
            self.hint.hide()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            self.hint.hide()
            self.dropped.emit(event.mimeData())
            event.acceptProposedAction()
            return True
        return False
