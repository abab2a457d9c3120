"""Code blocks in a reply, shown as widgets of their own: a header that always fits (the
language and a Copy button) over the code, which scrolls sideways instead of wrapping or
widening the reply (shared/UI.md).

Qt's rich text cannot scroll part of a document, and a table that holds a long line grows as
wide as that line: the whole reply became wider than the column, so the Copy link and the ends
of lines were cut off at its edge (and inside a list even a short block stuck out, since a
table's 100 % ignores the list's indent). So once a reply's HTML is in its document
(``core.markdown`` renders a code block as a table: the language and a ``cairn-copy:N`` link,
then the code), ``CodeBlocks.lift`` takes each such table out: its code goes into a
``CodeBlockView`` laid over an empty block that keeps the table's place, height and indent,
and nothing left in the document is wider than the column. The views are kept from one render
to the next, so a code block that streams in is updated in place rather than rebuilt.

Signals (on CodeBlockView):
    copy_requested(str): Copy was pressed; the block's ``cairn-copy:N`` link comes with it,
        and the reply copies that block's source (as it did for the link).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFrame,
    QTextTable,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTextEdit, QToolButton, QVBoxLayout, QWidget

from desktop_app.core.safe_html import COPY_SCHEME
from desktop_app.ui.messages.formula_document import FormulaDocument

MARGIN = 8  # above and below a code block
CODE_PADDING = 10  # left and right of the code, and above it
# Under the code: the sideways scroll bar when a line is longer than the block, else padding.
# It is always there, so a block's height never depends on the width (nothing jumps when a
# window is resized or a long line streams in).
SCROLLBAR_ROOM = 12


class CodeText(QTextEdit):
    """The code as written, one line per line; a line longer than the block scrolls sideways.
    The mouse wheel scrolls the conversation, unless it is turned sideways (or with Shift)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CodeText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Copy is the Tab stop of a block
        self.setAccessibleName(self.tr("Code"))
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.document().setDocumentMargin(0)
        self.setViewportMargins(CODE_PADDING, CODE_PADDING, CODE_PADDING, 0)
        self._plain = ""

    def show_fragment(self, fragment: QTextDocumentFragment, plain: str) -> None:
        """Show the code (its highlighting kept); nothing is done when it has not changed."""
        if plain == self._plain and not self.document().isEmpty():
            return
        self._plain = plain
        scrolled = self.horizontalScrollBar().value()
        document = self.document()
        document.clear()
        QTextCursor(document).insertFragment(fragment)
        self.moveCursor(QTextCursor.MoveOperation.Start)  # or it scrolls to the end
        self.ensurePolished()
        room = max(SCROLLBAR_ROOM, self.horizontalScrollBar().sizeHint().height())
        self.setFixedHeight(CODE_PADDING + math.ceil(document.size().height()) + room)
        self.horizontalScrollBar().setValue(scrolled)  # a streaming block stays where it was

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        sideways = abs(delta.x()) > abs(delta.y()) or bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if sideways:
            super().wheelEvent(event)
        else:
            event.ignore()  # the conversation scrolls


class CodeBlockView(QFrame):
    """One code block: its language and Copy over the code. See the module docstring."""

    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CodeBlock")
        self.href = ""
        self.code_text = ""
        header = QWidget()
        header.setObjectName("CodeHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.language = QLabel()
        self.language.setObjectName("CodeLanguage")
        self.language.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_button = QToolButton()
        self.copy_button.setObjectName("CodeCopyButton")
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the code"))
        self.copy_button.setAccessibleName(self.tr("Copy the code"))
        self.copy_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.copy_button.clicked.connect(lambda: self.copy_requested.emit(self.href))
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(CODE_PADDING, 2, 4, 2)
        header_layout.addWidget(self.language, 1)
        header_layout.addWidget(self.copy_button)
        self.code = CodeText()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.code)

    def show_code(self, language: str, href: str, fragment: QTextDocumentFragment,
                  plain: str) -> None:
        self.href = href
        self.code_text = plain
        self.language.setText(language)
        self.code.show_fragment(fragment, plain)

    def needed_height(self) -> int:
        """The height the block takes at any width (the code does not wrap)."""
        self.ensurePolished()
        return self.sizeHint().height()


@dataclass
class _Lifted:
    """A code block taken out of the document: where its place is, and its view."""

    place: QTextCursor  # at the empty block that keeps its place
    indent: float
    view: CodeBlockView


class CodeBlocks:
    """The code blocks lifted out of one rich-text view's document, and their views (children
    of that view). See the module docstring.

    Args:
        host: the rich-text view; the code block views are its children.
        on_copy: called with a block's ``cairn-copy:N`` link when its Copy is pressed.
    """

    def __init__(self, host: QWidget, on_copy: Callable[[str], None]) -> None:
        self._host = host
        self._on_copy = on_copy
        self._lifted: list[_Lifted] = []
        self._views: list[CodeBlockView] = []
        self._placed_width = -1

    @property
    def views(self) -> list[CodeBlockView]:
        """The views of the blocks in the document now, in order."""
        return [item.view for item in self._lifted]

    def lift(self, document: QTextDocument) -> None:
        """Take every code table out of a document whose HTML was just set."""
        self._lifted = []
        self._placed_width = -1
        tables = [frame for frame in _frames(document.rootFrame())
                  if isinstance(frame, QTextTable) and _copy_link(frame)]
        for index, table in enumerate(tables):
            view = self._view(index)
            view.code.setFont(self._host.font())
            code = _cell_cursor(table, 1, 0)
            fragment = code.selection()
            plain = fragment.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")
            view.show_code(_cell_cursor(table, 0, 0).selectedText(), _copy_link(table),
                           fragment, plain)
            indent = table.format().leftMargin()
            before = table.firstPosition() - 1  # the table's frame starts here
            table.removeRows(0, table.rows())  # the table is gone
            cursor = QTextCursor(document)
            cursor.setPosition(before)  # in the block before it
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock(_place_format(indent, view.needed_height()), _place_char_format())
            self._lifted.append(_Lifted(QTextCursor(cursor), indent, view))
        for view in self._views[len(tables):]:
            view.deleteLater()
        del self._views[len(tables):]

    def place(self, document: QTextDocument, width: int) -> None:
        """Lay each view over its place in the document (laid out at ``width``, the host's)."""
        if width == self._placed_width:
            return
        self._placed_width = width
        layout = document.documentLayout()
        for item in self._lifted:
            rect = layout.blockBoundingRect(item.place.block())
            left = round(rect.x() + item.indent)
            height = item.view.needed_height()
            # The view sits in the place's top margin, just above its (tiny) line.
            item.view.setGeometry(left, round(rect.y()) - height, max(0, width - left), height)
            item.view.show()

    def text_between(self, document: QTextDocument, start: int, end: int) -> str:
        """The document's text from ``start`` to ``end`` with each code block's code in its
        place (as Qt gives it: paragraphs end with U+2029)."""
        parts: list[str] = []
        at = start
        for item in self._lifted:
            position = item.place.block().position()
            if start <= position < end:
                parts.append(_text(document, at, position))
                parts.append(item.view.code_text.rstrip("\n"))
                at = position
        parts.append(_text(document, at, end))
        return "".join(parts)

    def _view(self, index: int) -> CodeBlockView:
        if index < len(self._views):
            return self._views[index]
        view = CodeBlockView(self._host)
        view.copy_requested.connect(self._on_copy)
        self._views.append(view)
        return view


def _frames(frame: QTextFrame) -> Iterator[QTextFrame]:
    for child in frame.childFrames():
        yield child
        yield from _frames(child)


def _copy_link(table: QTextTable) -> str:
    """The ``cairn-copy:N`` link in the header of a code table ("" for any other table: a
    model's own links never use that scheme, see ``core.markdown``)."""
    if table.rows() != 2 or table.columns() != 2:
        return ""
    block = table.cellAt(0, 1).firstCursorPosition().block()
    fragments = block.begin()
    while not fragments.atEnd():
        href = fragments.fragment().charFormat().anchorHref()
        if href.startswith(COPY_SCHEME):
            return href
        fragments += 1
    return ""


def _cell_cursor(table: QTextTable, row: int, column: int) -> QTextCursor:
    """A cursor that selects the whole content of a cell."""
    cell = table.cellAt(row, column)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _place_format(indent: float, height: int) -> QTextBlockFormat:
    """The empty block that keeps a lifted code block's place, indented as the table was:
    the view's height is in its top margin (Qt drops the last block's bottom margin, and
    collapses a margin with the one before it, so a top margin this high is kept whole)."""
    place = QTextBlockFormat()
    place.setLeftMargin(indent)
    place.setTopMargin(MARGIN + height)
    place.setBottomMargin(MARGIN)
    return place


def _place_char_format() -> QTextCharFormat:
    """A tiny font, so the place's own (empty) line adds next to nothing to its height."""
    char = QTextCharFormat()
    char.setFontPointSize(1)
    return char


def _text(document: QTextDocument, start: int, end: int) -> str:
    if end <= start:
        return ""
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    if isinstance(document, FormulaDocument):  # formulas as their LaTeX
        return document.plain_text(cursor)
    return cursor.selection().toPlainText()
