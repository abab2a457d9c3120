"""The header's options chip: a bordered, rounded button that sums up the conversation's
options ("Thinking · Effort: high · Cache: 5 min"). A narrow header picks a shorter wording
(without caching; then the one most telling choice), and past that the chip elides its text,
so it never draws past its own edge."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

MIN_TEXT_WIDTH = 48  # below this the chip stops shrinking


class OptionsChip(QToolButton):
    """See the module docstring. ``text()`` is what the chip shows now; ``wording(level)``
    the wordings it has, from the fullest (0) to the shortest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OptionsChip")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._wordings: tuple[str, ...] = ("",)
        self._level = 0

    def set_wordings(self, *wordings: str) -> None:
        """The summary from the fullest wording to the shortest."""
        self._wordings = tuple(w for w in wordings if w) or ("",)
        self._level = min(self._level, len(self._wordings) - 1)
        self._show()
        self.updateGeometry()

    @property
    def levels(self) -> int:
        return len(self._wordings)

    @property
    def level(self) -> int:
        return self._level

    def wording(self, level: int | None = None) -> str:
        level = self._level if level is None else level
        return self._wordings[min(level, len(self._wordings) - 1)]

    def set_level(self, level: int) -> None:
        level = max(0, min(level, len(self._wordings) - 1))
        if level != self._level:
            self._level = level
            self._show()
            self.updateGeometry()

    def width_for(self, level: int) -> int:
        """The width that shows ``wording(level)`` whole."""
        return self._frame_width() + self._text_width(self.wording(level))

    def _text_width(self, text: str) -> int:
        """``text``'s width as QToolButton measures it for its size hint (whole pixels of
        the text's box, which may be a pixel wider than the sum of its advances)."""
        return self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text).width()

    def _frame_width(self) -> int:
        """Padding, border and the spaces Qt adds around a tool button's text: the same
        whatever the chip shows now, because the text is measured as Qt measures it (an
        elided text measured otherwise came out a pixel off, and the chip, widened again,
        stayed a pixel short of its whole wording)."""
        return super().sizeHint().width() - self._text_width(self.text())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.width_for(self._level), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        text = min(self._text_width(self.wording(self.levels - 1)), MIN_TEXT_WIDTH)
        return QSize(self._frame_width() + text, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        """The chosen wording, elided to the room the chip has been given."""
        room = self.width() - self._frame_width()
        wording = self.wording()
        shown = wording
        if self.isVisible() and self._text_width(wording) > room:
            shown = self.fontMetrics().elidedText(wording, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            self.setText(shown)
