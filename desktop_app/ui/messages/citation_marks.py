"""The cited stretches of a reply's text, underlined (dotted, in the accent colour) so the
reader sees which words the ``[n]`` after them vouches for.

A see-through layer over the reply's ``MarkdownBody``: it finds the cited words in the
body's laid-out documents each time it paints (``search_marks.text_rects``), so it stays
right when the column is resized or the text laid out again; mouse events go through it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.core.search_plain_text import plain_text
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.rich_text_view import RichTextView
from desktop_app.ui.messages.search_marks import text_rects

MAX_MARKED = 100  # cited stretches marked in one reply


class CitationMarks(QWidget):
    """See the module docstring. ``body``: the widget whose text views are marked."""

    def __init__(self, body: QWidget, theme: Theme) -> None:
        super().__init__(body)
        self._body = body
        self.stretches: list[str] = []
        self._given: list[str] = []  # the stretches as last given (unchanged: nothing to do)
        self._colour = QColor(theme.accent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body.installEventFilter(self)
        self.hide()

    def set_stretches(self, texts: list[str]) -> None:
        """Mark these stretches of Markdown (as the reader sees them: syntax taken out).
        Called on every refresh of a streaming reply: the same stretches again cost nothing."""
        given = texts[:MAX_MARKED]
        if given == self._given:
            return
        self._given = given
        stretches = [" ".join(plain_text(t).split()) for t in texts[:MAX_MARKED]]
        stretches = [s for s in stretches if s]
        if stretches != self.stretches:
            self.stretches = stretches
            self.update()
        self.setVisible(bool(stretches))
        self._follow()

    def marked_rects(self) -> list[tuple[QPoint, QPointF, QPointF]]:
        """(view origin, left, right) of each underline, in the body's coordinates."""
        lines = []
        for view in self._body.findChildren(RichTextView):
            if not view.isVisibleTo(self._body) or view.width() <= 0:
                continue
            origin = view.mapTo(self._body, QPoint(0, 0))
            for rect in text_rects(view.laid_out_document(), self.stretches):
                lines.append((origin, rect.bottomLeft(), rect.bottomRight()))
        return lines

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._body and event.type() in (
                QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._follow()
        return super().eventFilter(watched, event)

    def _follow(self) -> None:
        self.setGeometry(self._body.rect())
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        pen = QPen(self._colour, 1, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        for origin, left, right in self.marked_rects():
            y = left.y() - 1
            painter.drawLine(QPointF(origin.x() + left.x(), origin.y() + y),
                             QPointF(origin.x() + right.x(), origin.y() + y))
        painter.end()
