"""A dialog whose word-wrapped text gets the height it needs at the dialog's width, no more.

Qt sizes a new window from its layout's size hint, and the hint of a word-wrapped label is a
narrow column (about 260 px here): the window is made as tall as that column needs, then
widened to its minimum width, where the same text takes fewer lines. The spare height went
to the labels, whose text sits in the middle of them: blank bands above and between
paragraphs. Asking for the height at the width the dialog will really have avoids it.

The reverse happens when the user makes the dialog smaller: Qt's minimum height is the
layout's minimum with every label on one line, so a hint that wraps was cut to its first line.
The minimum height follows the width instead, so the text always fits.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDialog


class WrappedTextDialog(QDialog):
    """A ``QDialog`` whose size hint is its height for its real (minimum) width."""

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return hint
        width = max(hint.width(), self.minimumWidth())
        return QSize(width, layout.totalHeightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(event.size().width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)
