"""The round ↓ button that floats over the bottom of the message column while the reader is
scrolled up in a long conversation: one click goes back to the latest message. It shows only
when the end is out of sight, so it never covers the last lines of a conversation read to its
end.

It belongs to the message view (a child of its viewport, kept at the bottom centre) and asks
the view nothing but to scroll: ``on_clicked`` is given by the view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton

from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme

SIZE = 34
BOTTOM_GAP = 14  # between the button and the bottom of the column
# Scrolled up by more than this (px) from the end: the button shows. A few pixels' difference
# (the view keeping up with a streaming reply) does not make it blink.
SHOW_BELOW = 48


class JumpToLatestButton(QToolButton):
    """See the module docstring.

    Args:
        area: the scroll area (the message view) whose viewport the button floats over.
        on_clicked: scrolls the view to its end.
    """

    def __init__(self, area: QAbstractScrollArea, theme: Theme,
                 on_clicked: Callable[[], None]) -> None:
        super().__init__(area.viewport())
        self._area = area
        self.setObjectName("JumpToLatest")
        self.setToolTip(self.tr("Jump to the latest message"))
        self.setAccessibleName(self.tr("Jump to the latest message"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # PageDown and End do it from the keyboard
        self.setFixedSize(SIZE, SIZE)
        self.setIconSize(QSize(18, 18))
        self.apply_theme(theme)
        self.clicked.connect(on_clicked)
        bar = area.verticalScrollBar()
        bar.valueChanged.connect(self.update_visibility)
        bar.rangeChanged.connect(self.update_visibility)
        area.viewport().installEventFilter(self)
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        self.setIcon(icon("chevron-down", theme.text, 18))

    def update_visibility(self) -> None:
        """Shown while the end of the conversation is out of sight."""
        bar = self._area.verticalScrollBar()
        wanted = bar.maximum() - bar.value() > SHOW_BELOW
        if wanted:
            self._place()
            self.raise_()
        self.setVisible(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        viewport = self._area.viewport()
        self.move((viewport.width() - SIZE) // 2, viewport.height() - SIZE - BOTTOM_GAP)
