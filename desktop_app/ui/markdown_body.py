"""A reply's rendered Markdown, built so that a streamed update costs the size of the tail.

While a reply streams, the part of its text that can no longer change (complete top-level
blocks, see ``core.markdown.stable_prefix_length``) is rendered once into a ``RichTextView``
of its own; each update re-renders only the growing tail. Without this, every update of a long reply
would re-render and re-lay out all of it.

Signals:
    link_activated(str): a link in the text was clicked (the reply decides what to do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.ui.rich_text_view import RichTextView

if TYPE_CHECKING:
    from desktop_app.core.markdown import MarkdownRenderer

# A finished block is moved out of the re-rendered tail once this much text has gathered,
# so short replies stay in one piece (one selection) and long ones are cut in pieces.
CHUNK_MIN_CHARS = 400
# A stream can deliver text faster than Qt lays it out (the benchmark's full-speed stream
# brings 2,500 characters between two updates, 100 times a real model's pace). Each update
# shows at most this much more, so one update never holds the window for long; at 30 updates
# a second that is 48,000 characters a second, far above any model's pace, so a real reply
# is never shown late.
NEW_CHARS_PER_UPDATE = 1600


class MarkdownBody(QWidget):
    """Rendered Markdown in frozen chunks plus a live tail. See the module docstring."""

    link_activated = Signal(str)

    def __init__(self, renderer: MarkdownRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._chunks: list[RichTextView] = []
        self._frozen_text = ""  # the text rendered into the chunks
        self._shown = 0  # how much of the text the chunks and the tail show
        self._code_blocks: list[str] = []  # the chunks' code blocks, then the tail's
        self._tail_blocks: list[str] = []
        self._tail = self._new_piece()
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
        return "".join(piece.text() for piece in self._chunks) + self._tail.text()

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    def _freeze(self, text: str) -> None:
        html, blocks = self._renderer.render(text, first_code_block=len(self._code_blocks))
        piece = self._new_piece()
        piece.setText(html)
        self._layout.insertWidget(len(self._chunks), piece)
        self._chunks.append(piece)
        self._code_blocks += blocks
        self._frozen_text += text

    def _reset(self) -> None:
        for piece in self._chunks:
            self._layout.removeWidget(piece)
            piece.deleteLater()
        self._chunks.clear()
        self._code_blocks.clear()
        self._frozen_text = ""
        self._shown = 0

    def _new_piece(self) -> RichTextView:
        piece = RichTextView(self)
        piece.setObjectName("ReplyText")
        piece.setAccessibleName(self.tr("Claude's reply"))
        piece.link_activated.connect(self.link_activated)
        return piece
