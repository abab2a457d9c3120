"""A reply's rendered Markdown, built so that a streamed update costs the size of the tail.

While a reply streams, the part of its text that can no longer change (complete top-level
blocks, see ``core.markdown.stable_prefix_length``) is rendered once into a label of its own;
each update re-renders only the growing tail. Without this, every update of a long reply
would re-render and re-lay out all of it.

Signals:
    link_activated(str): a link in the text was clicked (the reply decides what to do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop_app.core.markdown import MarkdownRenderer

# A finished block is moved out of the re-rendered tail once this much text has gathered,
# so short replies stay in one label (one selection) and long ones are cut in pieces.
CHUNK_MIN_CHARS = 400
# A stream can deliver text faster than Qt lays it out (the benchmark's full-speed stream
# brings 2,500 characters between two updates, 100 times a real model's pace). Each update
# shows at most this much more, so one update never holds the window for long; at 30 updates
# a second that is 48,000 characters a second, far above any model's pace, so a real reply
# is never shown late.
NEW_CHARS_PER_UPDATE = 1600
_HINT_WIDTH = 600  # a label not laid out yet: about a column's width
_MIN_WIDTH = 160  # the narrowest a reply's text gets (the window's own minimum is wider)


class RichTextLabel(QLabel):
    """A word-wrapped rich-text label that remembers its height for each width.

    Qt's layouts ask every label in the column for ``heightForWidth`` several times per layout
    pass, and QLabel answers by laying out its whole document again each time. Remembering
    the answer until the text, font or style changes keeps a layout pass proportional to what
    changed instead of to all the text on the page.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[int, int] = {}

    def setText(self, text: str) -> None:  # noqa: N802
        self._heights.clear()
        super().setText(text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        height = self._heights.get(width)
        if height is None:
            height = super().heightForWidth(width)
            self._heights[width] = height
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        """The height for the width the label has. QLabel's own hints for wrapped rich text
        lay the whole document out again at an "ideal" width and at the narrowest width
        (together 40 ms for 3,000 characters, on every change of the streaming text), and the
        column's layout uses neither: it gives every label the column's width and asks
        ``heightForWidth`` for the height."""
        if self.width() < _MIN_WIDTH:  # not laid out yet: a guess that costs no layout
            return QSize(_HINT_WIDTH, self.fontMetrics().height())
        return QSize(self.width(), self.heightForWidth(self.width()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As narrow as a column gets, and one line high (QLabel's own minimum height is
        that of its text laid out at full width: the layout takes real heights from
        ``heightForWidth``)."""
        return QSize(_MIN_WIDTH, self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)


class MarkdownBody(QWidget):
    """Rendered Markdown in frozen chunks plus a live tail. See the module docstring."""

    link_activated = Signal(str)

    def __init__(self, renderer: MarkdownRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._chunks: list[QLabel] = []
        self._frozen_text = ""  # the text rendered into the chunks
        self._shown = 0  # how much of the text the chunks and the tail show
        self._code_blocks: list[str] = []  # the chunks' code blocks, then the tail's
        self._tail_blocks: list[str] = []
        self._tail = self._new_label()
        self._layout.addWidget(self._tail)

    def set_markdown(
        self, text: str, *, streaming: bool, suffix_html: str = "", paced: bool = False
    ) -> bool:
        """Show ``text``; while ``streaming``, freeze what can no longer change.

        With ``paced``, show at most ``NEW_CHARS_PER_UPDATE`` more than last time; returns
        False while the text is not all shown yet (the caller updates again soon)."""
        from desktop_app.core.markdown import stable_prefix_length

        if not text.startswith(self._frozen_text):
            self._reset()
        whole = text
        start = max(self._shown, len(self._frozen_text))
        if paced and len(text) - start > NEW_CHARS_PER_UPDATE:
            text = text[:start + NEW_CHARS_PER_UPDATE]
            streaming = True  # still arriving, as far as the reader can see
        self._shown = len(text)
        frozen = len(self._frozen_text)
        if streaming:
            boundary = frozen + stable_prefix_length(text[frozen:])
            if boundary - frozen >= CHUNK_MIN_CHARS:
                self._freeze(text[frozen:boundary])
                frozen = boundary
        tail = text[frozen:]
        html, self._tail_blocks = self._renderer.render(
            tail, first_code_block=len(self._code_blocks)
        ) if tail else ("", [])
        self._tail.setText(html + suffix_html)
        self._tail.setVisible(bool(tail or suffix_html))
        return len(text) == len(whole)

    def set_placeholder(self, html: str) -> None:
        """Show a hint instead of text (before the first words arrive)."""
        self._reset()
        self._tail.setText(html)
        self._tail.setVisible(True)

    @property
    def shown_chars(self) -> int:
        """How much of the reply's text is on screen (less while it catches up)."""
        return self._shown

    def code_block(self, number: int) -> str | None:
        """The source of the code block that the ``cairn-copy:N`` link names."""
        blocks = self._code_blocks + self._tail_blocks
        return blocks[number] if 0 <= number < len(blocks) else None

    def text(self) -> str:
        """The HTML shown, all chunks joined (what tests and screen readers look at)."""
        return "".join(label.text() for label in self._chunks) + self._tail.text()

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    def _freeze(self, piece: str) -> None:
        html, blocks = self._renderer.render(piece, first_code_block=len(self._code_blocks))
        label = self._new_label()
        label.setText(html)
        self._layout.insertWidget(len(self._chunks), label)
        self._chunks.append(label)
        self._code_blocks += blocks
        self._frozen_text += piece

    def _reset(self) -> None:
        for label in self._chunks:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._chunks.clear()
        self._code_blocks.clear()
        self._frozen_text = ""
        self._shown = 0

    def _new_label(self) -> QLabel:
        label = RichTextLabel(self)
        label.setObjectName("ReplyText")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setOpenExternalLinks(False)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.setAccessibleName("Claude's reply")
        label.linkActivated.connect(self.link_activated)
        return label
