"""A one-line label that gives way: in a narrow place it shows the start of its text (or both
ends) with "…", and the whole text as its tooltip, instead of making its row, and with it the
window, wider. ``text()`` is still the whole text, so whoever reads the label reads it all.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """See the module docstring.

    Args:
        mode: which part gives way (the end by default; the middle keeps a file's extension).
        max_width: the widest it asks to be (None: as wide as its text).
        min_width: the narrowest it lets a layout make it.
        always_tooltip: the whole text as tooltip even when it all shows (a file's name);
            otherwise only while some of it is hidden.
    """

    def __init__(
        self, text: str = "", mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight, *,
        max_width: int | None = None, min_width: int = 0, always_tooltip: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._always_tooltip = always_tooltip
        if always_tooltip:
            self.setToolTip(text)
        self._mode = mode
        self._max_width = max_width
        self._min_width = min_width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        if self._max_width is not None:
            hint.setWidth(min(hint.width(), self._max_width))
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._min_width, super().minimumSizeHint().height())

    def is_elided(self) -> bool:
        """Whether some of the text is hidden behind "…" at the present width."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), self._mode, rect.width())
        if not self._always_tooltip:
            self.setToolTip(self.text() if shown != self.text() else "")
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), shown, self.foregroundRole())
