"""A dialog whose word-wrapped text gets the height it needs at the dialog's width, no more.

Qt sizes a new window from its layout's size hint, and the hint of a word-wrapped label is a
narrow column (about 260 px here): the window is made as tall as that column needs, then
widened to its minimum width, where the same text takes fewer lines. The spare height went
to the labels, whose text sits in the middle of them: blank bands above and between
paragraphs. Asking for the height at the width the dialog will really have avoids it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
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
