"""The marks over an opened search hit: the words searched for, tinted where they are in the
message, and the message outlined for a moment, so the eye lands on the match.

``SearchMarks`` is a see-through layer over one message widget, a little larger than it so
the outline does not touch the text (a child of the scrolled page, above the message, and
following it as it or the column moves or resizes); it finds the words in the message's text
views each time it paints, so it stays right when the column is resized or the message is
laid out again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QVariantAnimation,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextDocument
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.rich_text_view import RichTextView

MAX_MARKS = 200  # words marked in one message (a one-letter query marks no more)
OUTLINE_MS = 2500  # how long the message's outline takes to fade
PAD_X, PAD_Y = 8, 4  # the outline's distance from the message


def text_rects(document: QTextDocument, terms: Sequence[str]) -> list[QRectF]:
    """Where each occurrence of ``terms`` is in a laid-out ``document`` (one rectangle per
    line it covers), in the document's coordinates, in reading order."""
    layout = document.documentLayout()
    found: list[tuple[int, int]] = []
    for term in dict.fromkeys(t for t in terms if t):
        cursor = document.find(term)
        while not cursor.isNull() and len(found) < MAX_MARKS:
            found.append((cursor.selectionStart(), cursor.selectionEnd()))
            cursor = document.find(term, cursor)
    rects: list[QRectF] = []
    for start, end in sorted(found):
        block = document.findBlock(start)
        text_layout = block.layout()
        if text_layout is None or text_layout.lineCount() == 0:
            continue
        origin = layout.blockBoundingRect(block).topLeft()
        first = start - block.position()
        last = min(end, block.position() + block.length()) - block.position()
        for number in range(text_layout.lineCount()):
            line = text_layout.lineAt(number)
            low = max(first, line.textStart())
            high = min(last, line.textStart() + line.textLength())
            if low >= high:
                continue
            left, _ = line.cursorToX(low)
            right, _ = line.cursorToX(high)
            rects.append(QRectF(min(left, right), line.y(), abs(right - left), line.height())
                         .translated(origin))
    return rects


def _label_document(label: QLabel) -> QTextDocument | None:
    """The document a selectable rich-text label paints (its text control's), if it has one
    laid out at the label's width."""
    document = label.findChild(QTextDocument)
    if document is None or abs(document.textWidth() - label.contentsRect().width()) > 1:
        return None
    return document


class SearchMarks(QWidget):
    """See the module docstring.

    Args:
        target: the message widget.
        terms: the query's words (casefolded); found case-insensitively.
        theme: for the accent colour.
        page: the widget the layer is put on (an ancestor of ``target`` wider than it, so
            the outline is not cut off).
        outlined: the part of the message the outline goes round (a user message's
            bubble); the whole message by default.
    """

    def __init__(self, target: QWidget, terms: Sequence[str], theme: Theme, page: QWidget,
                 outlined: QWidget | None = None) -> None:
        super().__init__(page)
        self.target = target
        self._outlined = outlined if outlined is not None else target
        self._moving = [target]  # what moves the target on the page: it and its parents
        parent = target.parentWidget()
        while parent is not None and parent is not page:
            self._moving.append(parent)
            parent = parent.parentWidget()
        self.terms = list(terms)
        self._accent = QColor(theme.accent)
        self._tint = QColor(theme.accent)
        self._tint.setAlpha(95 if theme.name == "dark" else 70)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._outline = QVariantAnimation(self)
        self._outline.setStartValue(1.0)
        self._outline.setEndValue(0.0)
        self._outline.setDuration(OUTLINE_MS)
        self._outline.setEasingCurve(QEasingCurve.Type.InQuad)
        self._outline.valueChanged.connect(lambda _value: self.update())
        for widget in self._moving:
            widget.installEventFilter(self)
        target.destroyed.connect(self.deleteLater)
        self._follow()
        self._outline.start()

    def word_rects(self) -> list[QRectF]:
        """Where the words are marked, in the message widget's coordinates (the views that
        show its text: a reply's pieces, a user message's text), in reading order."""
        if not self.target.isVisible():
            return []
        rects: list[QRectF] = []
        views: list[tuple[QWidget, QTextDocument, QPoint]] = []
        for view in self.target.findChildren(RichTextView):
            if view.isVisibleTo(self.target) and view.width() > 0:
                views.append((view, view.laid_out_document(), QPoint(0, 0)))
        for label in self.target.findChildren(QLabel):
            document = _label_document(label) if label.isVisibleTo(self.target) else None
            if document is not None:
                contents = label.contentsRect()
                spare = contents.height() - document.size().height()
                offset = spare / 2 if label.alignment() & Qt.AlignmentFlag.AlignVCenter else 0
                views.append((label, document, contents.topLeft() + QPoint(0, int(offset))))
        for view, document, inset in views:
            origin = view.mapTo(self.target, inset)
            shown = QRectF(view.mapTo(self.target, QPoint(0, 0)), view.size().toSizeF())
            for rect in text_rects(document, self.terms):
                placed = rect.translated(origin.x(), origin.y()).intersected(shown)
                if not placed.isEmpty():
                    rects.append(placed)
        rects.sort(key=lambda r: (r.top(), r.left()))
        return rects

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched in self._moving and event.type() in (
            QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
            QEvent.Type.LayoutRequest,
        ):
            self._follow()
        return super().eventFilter(watched, event)

    def _follow(self) -> None:
        page = self.parentWidget()
        where = self.target.mapTo(page, QPoint(0, 0)) if page is not None else QPoint(0, 0)
        self.setGeometry(QRect(where, self.target.size()).adjusted(-PAD_X, -PAD_Y, PAD_X, PAD_Y))
        self.setVisible(not self.target.isHidden())
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._tint)
        for rect in self.word_rects():
            painter.drawRoundedRect(rect.translated(PAD_X, PAD_Y).adjusted(-1, 0, 1, 0), 3, 3)
        fading = float(self._outline.currentValue() or 0.0)
        if fading > 0:
            colour = QColor(self._accent)
            colour.setAlphaF(fading)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            where = self._outlined.mapTo(self.target, QPoint(PAD_X, PAD_Y))
            part = QRectF(QRect(where, self._outlined.size()))
            around = part.adjusted(-PAD_X + 1, -PAD_Y + 1, PAD_X - 1, PAD_Y - 1)
            painter.drawRoundedRect(around, 12, 12)
        painter.end()
