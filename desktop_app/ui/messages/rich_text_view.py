"""Read-only rich text (a reply's rendered Markdown) that lays its text out once per width.

A word-wrapped rich-text QLabel lays its whole document out again on every
``heightForWidth`` call (and once more to put the old width back), again when it is first
shown, and again when it paints: a freshly rendered 1,600-character piece of a reply cost
20-30 ms of layout before its first paint, which is what stalled the window while a long
reply streamed. This widget keeps one ``QTextDocument`` whose layout is redone only when the
text, the font or the width changes, and paints it directly (about 10 ms for the same piece).

It does what the reader uses a label for: select with the mouse (double-click selects a
word, triple-click a paragraph), copy as plain text (Ctrl+C, the context menu, and the X11
selection), click links (``link_activated``; nothing opens by itself), reach links with Tab
and open them with Enter, and a pointing-hand cursor over links. The text is HTML made by
``core.markdown`` (safe: no remote resources); typeset formulas in it are drawn by the
``FormulaDocument``, and copied, read out and shown as tooltips as their LaTeX.

A link's real target is never hidden: a tooltip shows it, and while the pointer is on a link
(or Tab has moved to one) the view sends a ``QStatusTipEvent`` with it, which travels up to
the window; ``window.status_tips.StatusTips`` shows such tips in the window's status line.

Signals:
    link_activated(str): a link was clicked or activated with the keyboard.
"""

from __future__ import annotations

import html
import math
import time

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAccessible,
    QClipboard,
    QContextMenuEvent,
    QFocusEvent,
    QGuiApplication,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QStatusTipEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QToolTip, QWidget

from desktop_app.core.link_safety import check_link_texts, describe_target
from desktop_app.core.safe_html import is_safe_link
from desktop_app.ui.lib.link_host import opened_host
from desktop_app.ui.messages.code_blocks import CodeBlocks
from desktop_app.ui.messages.formula_document import FormulaDocument

_HINT_WIDTH = 600  # not laid out yet: about a column's width
MIN_WIDTH = 160  # the narrowest a reply's text gets (the window's own minimum is wider)


class RichTextView(QWidget):
    """Rich text laid out once per width, selectable, with clickable links. See the module
    docstring for why this is not a QLabel."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._html = ""
        self._document = FormulaDocument(self)
        self._document.setDocumentMargin(0)
        self._document.setUndoRedoEnabled(False)
        self._stale = False  # the HTML is not in the document yet (it is set when needed)
        self._heights: dict[int, int] = {}
        self._cursor = QTextCursor(self._document)  # the selection
        self._links: list[tuple[int, int, str]] | None = None  # (start, end, href), lazily
        self._focused_link = -1
        self._hovered_link = ""
        self._announced = ""  # the link target this view has put in the status line
        self._press: QPoint | None = None
        self._pressed_link = ""
        self._double_click: tuple[QPoint, float] | None = None  # where and when
        # Code blocks are lifted out of the document into views of their own (code_blocks.py).
        self.code_blocks = CodeBlocks(self, self.link_activated.emit)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # so Ctrl+C reaches a selection

    # -- text --------------------------------------------------------------------------------

    def setText(self, html: str) -> None:
        if html == self._html:
            return
        self._html = html
        self._stale = True
        self._heights.clear()
        self._links = None
        self._focused_link = -1
        self._hovered_link = ""
        self._announce()
        self._cursor = QTextCursor(self._document)
        # Text with links is a Tab stop (Tab moves between its links); other text is not.
        has_links = "<a " in html
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if has_links else Qt.FocusPolicy.ClickFocus)
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The HTML shown."""
        return self._html

    def selected_text(self) -> str:
        """The selected text as plain text ("" when nothing is selected), code blocks'
        code included, formulas as LaTeX."""
        if not self._cursor.hasSelection():
            return ""
        return _plain(self.code_blocks.text_between(
            self._document, self._cursor.selectionStart(), self._cursor.selectionEnd()))

    def plain_text(self) -> str:
        """All the text shown, as plain text (code blocks' code included, formulas as
        LaTeX)."""
        document = self._laid_out(self.width())
        return _plain(self.code_blocks.text_between(
            document, 0, document.characterCount() - 1))

    def laid_out_document(self) -> FormulaDocument:
        """The document as painted (current text, font and width), for reading where text
        is (a search hit's words); not to be changed."""
        document = self._laid_out(self.width())
        document.size()  # the layout is done lazily: do it now, before anyone reads it
        return document

    def link_texts(self, href: str) -> list[str]:
        """The visible text of each link to ``href``, in order."""
        texts = []
        for start, end, target in self._link_list():
            if target == href:
                cursor = QTextCursor(self._document)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                texts.append(_plain(cursor.selection().toPlainText()))
        return texts

    # -- size --------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = math.ceil(self._laid_out(width).size().height())
            self._heights[width] = height
        return height

    def sizeHint(self) -> QSize:
        """The height for the width the widget has (a guess that costs no layout before the
        column has given it a width)."""
        if self.width() < MIN_WIDTH:
            return QSize(_HINT_WIDTH, self.fontMetrics().height())
        return QSize(self.width(), self.heightForWidth(self.width()))

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._stale = True  # the document takes the new font when it is next used
            self._heights.clear()
            self.updateGeometry()
        super().changeEvent(event)

    def _laid_out(self, width: int) -> FormulaDocument:
        """The document, with the current text and font, laid out at ``width``."""
        if self._stale:
            self._stale = False
            self._document.setDefaultFont(self.font())
            self._document.set_html(self._html)
            self.code_blocks.lift(self._document)
            self._describe_for_screen_readers()
        if self._document.textWidth() != width:
            self._document.setTextWidth(width)
        return self._document

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        document = self._laid_out(self.width())
        self.code_blocks.place(document, self.width())
        palette = self.palette()
        context = QAbstractTextDocumentLayout.PaintContext()
        text_palette = QPalette(palette)
        text_palette.setColor(QPalette.ColorRole.Text, palette.color(self.foregroundRole()))
        context.palette = text_palette
        context.clip = QRectF(event.rect())
        if self._cursor.hasSelection():
            selection = QAbstractTextDocumentLayout.Selection()
            selection.cursor = self._cursor
            highlight = QTextCharFormat()
            highlight.setBackground(palette.brush(QPalette.ColorRole.Highlight))
            highlight.setForeground(palette.brush(QPalette.ColorRole.HighlightedText))
            selection.format = highlight
            context.selections = [selection]
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        document.documentLayout().draw(painter, context)
        painter.end()

    # -- mouse -------------------------------------------------------------------------------

    def _position_at(self, point: QPoint) -> int:
        layout = self._laid_out(self.width()).documentLayout()
        return max(0, layout.hitTest(QPointF(point), Qt.HitTestAccuracy.FuzzyHit))

    def _link_at(self, point: QPoint) -> str:
        return self._laid_out(self.width()).documentLayout().anchorAt(QPointF(point))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.position().toPoint()
        self._press = point
        self._pressed_link = self._link_at(point)
        position = self._position_at(point)
        if self._is_triple_click(point):
            self._cursor.setPosition(position)  # the whole paragraph, as in Qt's text views
            self._cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            self._cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                      QTextCursor.MoveMode.KeepAnchor)
            self._press = None
            self._pressed_link = ""
            self._copy(QClipboard.Mode.Selection)
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        else:
            self._cursor.setPosition(position)
        self._focused_link = -1
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if (point - self._press).manhattanLength() >= QApplication.startDragDistance():
                self._pressed_link = ""  # a drag selects; it does not follow the link
            self._cursor.setPosition(self._position_at(point), QTextCursor.MoveMode.KeepAnchor)
            self.update()
            return
        link = self._link_at(point)
        self.setCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor)
        if link != self._hovered_link:
            self._hovered_link = link
            self._announce()

    def leaveEvent(self, event: QEvent) -> None:
        self._hovered_link = ""
        self._announce()
        super().leaveEvent(event)

    def hideEvent(self, event: QEvent) -> None:
        self._hovered_link = ""
        self._focused_link = -1
        self._announce()
        super().hideEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            href = self._link_at(event.pos())
            formula = self._laid_out(self.width()).formula_source_at(QPointF(event.pos()))
            if is_safe_link(href):
                QToolTip.showText(event.globalPos(), self._tooltip(href), self)
            elif formula:
                QToolTip.showText(event.globalPos(), f"<qt>{html.escape(formula)}</qt>", self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        self._press = None
        link, self._pressed_link = self._pressed_link, ""
        if link and link == self._link_at(event.position().toPoint()) \
                and not self._cursor.hasSelection():
            self.link_activated.emit(link)
        elif self._cursor.hasSelection():
            self._copy(QClipboard.Mode.Selection)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        point = event.position().toPoint()
        self._cursor.setPosition(self._position_at(point))
        self._cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        self._press = None
        self._double_click = (point, time.monotonic())
        self.update()
        self._copy(QClipboard.Mode.Selection)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        copy = menu.addAction(self.tr("Copy"), lambda: self._copy(QClipboard.Mode.Clipboard))
        copy.setEnabled(self._cursor.hasSelection())
        link = self._link_at(event.pos())
        if link.startswith(("http://", "https://", "mailto:")):
            menu.addAction(self.tr("Copy Link Address"),
                           lambda: QGuiApplication.clipboard().setText(link))
        menu.addSeparator()
        menu.addAction(self.tr("Select All"), self.select_all)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())  # no nested event loop (see ui/async_dialogs.py)

    # -- keyboard ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) and self._cursor.hasSelection():
            self._copy(QClipboard.Mode.Clipboard)
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._focused_link >= 0:
            self.link_activated.emit(self._link_list()[self._focused_link][2])
        else:
            event.ignore()

    def focusInEvent(self, event: QFocusEvent) -> None:
        links = self._link_list()  # lays the current text out first
        self._describe_for_screen_readers()  # a screen reader may have started since
        if links and event.reason() == Qt.FocusReason.TabFocusReason:
            self._focus_link(0)
        elif links and event.reason() == Qt.FocusReason.BacktabFocusReason:
            self._focus_link(len(links) - 1)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # the context menu keeps it
            self._focused_link = -1
            self._announce()
            if self._cursor.hasSelection():
                self._cursor.clearSelection()
                self.update()
        super().focusOutEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab moves to the next link of this text before it moves on to the next widget."""
        step = 1 if next else -1
        target = self._focused_link + step
        if self._focused_link >= 0 and 0 <= target < len(self._link_list()):
            self._focus_link(target)
            return True
        return super().focusNextPrevChild(next)

    def select_all(self) -> None:
        self._laid_out(self.width())
        self._cursor.select(QTextCursor.SelectionType.Document)
        self.update()

    # -- internals ---------------------------------------------------------------------------

    def _copy(self, mode: QClipboard.Mode) -> None:
        clipboard = QGuiApplication.clipboard()
        if not self._cursor.hasSelection() or (
                mode == QClipboard.Mode.Selection and not clipboard.supportsSelection()):
            return
        # Plain text only: a QMimeData made here would be owned by the clipboard, which Qt
        # deletes at exit after Python has shut down (a crash at exit, seen in the tests).
        # Text pasted elsewhere then carries no theme colours either.
        clipboard.setText(self.selected_text(), mode)

    def _describe_for_screen_readers(self) -> None:
        """A QLabel tells screen readers its text; this widget puts its text in the
        accessible description, only while a screen reader (or other client) is listening.
        The document must hold the current text."""
        if QAccessible.isActive():
            text = _plain(self._document.plain_text())
            if self.accessibleDescription() != text:
                self.setAccessibleDescription(text)

    def _is_triple_click(self, point: QPoint) -> bool:
        """Whether a press is the third click: soon after a double-click, in the same place."""
        if self._double_click is None:
            return False
        where, when = self._double_click
        self._double_click = None
        return (time.monotonic() - when) * 1000 < QApplication.doubleClickInterval() \
            and (point - where).manhattanLength() < QApplication.startDragDistance()

    def _link_list(self) -> list[tuple[int, int, str]]:
        """The links in the text, in order, as (start, end, href)."""
        if self._links is None:
            links: list[tuple[int, int, str]] = []
            block = self._laid_out(self.width()).begin()
            while block.isValid():
                for piece in block.textFormats():
                    href = piece.format.anchorHref()
                    if not (piece.format.isAnchor() and href):
                        continue
                    start = block.position() + piece.start
                    end = start + piece.length
                    if links and links[-1][2] == href and links[-1][1] == start:
                        links[-1] = (links[-1][0], end, href)  # one link, several formats
                    else:
                        links.append((start, end, href))
                block = block.next()
            self._links = links
        return self._links

    def _focus_link(self, index: int) -> None:
        start, end, _ = self._link_list()[index]
        self._focused_link = index
        self._cursor.setPosition(start)
        self._cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._announce()
        self.update()

    def _announce(self) -> None:
        """Tells the window which link target to show in its status line: the link under the
        pointer, else the one Tab moved to, else none (an empty tip)."""
        href = self._hovered_link
        if not href and 0 <= self._focused_link < len(self._links or []):
            href = (self._links or [])[self._focused_link][2]
        if not is_safe_link(href):
            href = ""  # a code block's Copy link has no target to show
        if href == self._announced:
            return
        self._announced = href
        QApplication.sendEvent(self, QStatusTipEvent(describe_target(href) if href else ""))

    def _tooltip(self, href: str) -> str:
        """The target of a link, with a warning when the link will ask before it opens."""
        lines = [describe_target(href)]
        if check_link_texts(self.link_texts(href), href, opened_host(href)).asks:
            lines.append(self.tr("Cairn will ask before opening this link: its text or its "
                                 "address may not be what it seems."))
        return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"


def _plain(text: str) -> str:
    """Qt's plain text of a selection with ordinary spaces for no-break ones."""
    return text.replace("\u00a0", " ").replace("\u2029", "\n")
