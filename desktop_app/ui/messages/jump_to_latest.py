"""The round ↓ button under the message column while the reader is scrolled up in a long
conversation: one click goes back to the latest message. It shows only when the end is out of
sight.

It never covers text: while it shows, the view gives its viewport a bottom margin (``room``)
and the button sits in that band, centred just above the composer, outside the text. The band
appears and goes with the button, and the text above it stays where it was (the top of the
viewport does not move). It asks the view nothing but to scroll and to make room:
``on_clicked`` and ``make_room`` are given by the view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton

from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme

SIZE = 34
GAP = 6  # above and below the button, inside the band it takes
ROOM = SIZE + 2 * GAP  # the band under the viewport while the button shows
# Scrolled up by more than this (px) from the end: the button shows. A few pixels' difference
# (the view keeping up with a streaming reply) does not make it blink.
SHOW_BELOW = 48


class JumpToLatestButton(QToolButton):
    """See the module docstring.

    Args:
        area: the scroll area (the message view) the button sits under the viewport of.
        on_clicked: scrolls the view to its end.
        make_room: gives the viewport that bottom margin in pixels (0: none).
    """

    def __init__(self, area: QAbstractScrollArea, theme: Theme,
                 on_clicked: Callable[[], None], make_room: Callable[[int], None]) -> None:
        super().__init__(area)
        self._area = area
        self._make_room = make_room
        self._shown = False
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
        if wanted == self._shown:
            return
        self._shown = wanted
        # Making room grows the range by ROOM and taking it away shrinks it by as much, so
        # the button does not blink at the threshold: it shows above SHOW_BELOW from the end
        # and, once shown, hides only within SHOW_BELOW + ROOM of it.
        self._make_room(ROOM if wanted else 0)
        if wanted:
            self._place()
            self.raise_()
        self.setVisible(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        """Centred under the viewport, in the band made for it."""
        viewport = self._area.viewport().geometry()
        self.move(viewport.x() + (viewport.width() - SIZE) // 2, viewport.bottom() + 1 + GAP)
