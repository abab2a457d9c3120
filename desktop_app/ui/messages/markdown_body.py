"""A reply's rendered Markdown, built so that an update costs a bounded amount, whatever the
shape or the size of the text.

While a reply streams, the part of its text that can no longer change (complete top-level
blocks, see ``core.markdown.stable_prefix_length``) is rendered once into a ``RichTextView``
of its own; each update re-renders only the growing tail. A tail that grows past
``TAIL_LIMIT_CHARS`` without a block ending (one long line, a long code block or table) is
cut anyway where the Markdown allows it (``core.markdown_pieces.cut_tail``): a code block is
closed and reopened, a table's header repeated, a long line cut between words where nothing
inline is open - or, with no such place, shown as plain text until it ends. So no update
parses or lays out more than a few thousand characters, and no piece is larger.

A formula is typeset in a worker process (``formula_typesetter``); until it is, the renderer
shows its Unicode text and marks the HTML with the formula's key (``pending_mark``). Such a
piece, or the tail, is rendered again from its Markdown once one of its formulas is settled:
a few pieces at a time, so that a long reply that streamed while the worker started does not
hold the window while all of its pieces are rendered again.

Text that is not streaming is built the same way when it is long: a frame's worth at a time
(the caller updates again while ``set_markdown`` returns False). At most
``DISPLAY_LIMIT_CHARS`` are shown; beyond that, and after Stop, a line says how much is shown
and "Show all" builds the rest, again a frame's worth at a time.

Signals:
    link_activated(str): a link in the text was clicked (the reply decides what to do).
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.math_typeset import PENDING_KEYS
from desktop_app.ui.messages.formula_typesetter import formula_typesetter
from desktop_app.ui.messages.rich_text_view import RichTextView

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
# Plain text costs a fraction of Markdown to lay out (no parsing, no highlighting).
NEW_PLAIN_CHARS_PER_UPDATE = 4 * NEW_CHARS_PER_UPDATE
# A tail longer than this is cut even though no block has ended; what stays live after the
# cut is at most about TAIL_KEEP_CHARS. (A 3,200-character code tail costs about 20 ms to
# highlight and lay out; a 2 MB line cost 1.2-1.7 s per update before tails were bounded.)
TAIL_LIMIT_CHARS = 3200
TAIL_KEEP_CHARS = 800
PLAIN_PIECE_CHARS = 8000
# Rendering pieces again once their formulas are typeset stops for a turn of the event loop
# after this long.
RETYPESET_BUDGET_S = 0.008
# Complete text up to this size is rendered in one go, as one piece (one selection, and
# reference-style links resolve); longer text is built a frame's worth at a time.
INSTANT_CHARS = 16_000
# At most this much of a reply is shown until "Show all" is pressed. The longest real
# reply (128k output tokens) is about half of it; beyond it a reply is not something to read
# on screen, and every million characters shown costs tens of megabytes of layout.
DISPLAY_LIMIT_CHARS = 1_000_000


class MarkdownBody(QWidget):
    """Rendered Markdown in frozen pieces plus a live tail. See the module docstring."""

    link_activated = Signal(str)

    def __init__(self, renderer: MarkdownRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._chunks: list[RichTextView] = []
        self._frozen_text = ""  # the reply's text rendered into the pieces
        self._reopen = ""  # Markdown rendered before the tail (a reopened code block)
        self._plain = False  # the tail is plain text up to its first line break
        self._plain_note = False  # the next plain piece begins such a line: say why
        self._shown = 0  # how much of the text the pieces and the tail show
        self._code_blocks: list[str] = []  # the pieces' code blocks, then the tail's
        self._code_groups: list[int] = []  # which code block each one is part of
        self._tail_blocks: list[str] = []
        self._limit: int | None = DISPLAY_LIMIT_CHARS
        self._end = 0  # where the text shown ends (the limit, at a word's end)
        self._latest: tuple[str, bool, str] | None = None  # the last text, streaming, suffix
        # Pieces shown with formulas not typeset yet: (piece, its Markdown, first code block,
        # the keys of those formulas).
        self._waiting: list[tuple[RichTextView, str, int, list[str]]] = []
        self._tail_waits: list[str] = []  # the keys of the tail's formulas not typeset yet
        self._listening = False  # to the typesetter
        self._retypeset = QTimer(self)  # goes on rendering waiting pieces after a pause
        self._retypeset.setSingleShot(True)
        self._retypeset.timeout.connect(self._on_formulas_typeset)
        self._tail = self._new_piece()
        self._layout.addWidget(self._tail)
        self._more = QWidget(self)
        self._more.setObjectName("ShowAllRow")
        self._more_label = QLabel()
        self._more_label.setObjectName("HintLabel")
        self._more_label.setWordWrap(True)
        self.show_all_button = QPushButton(self.tr("Show all"))
        self.show_all_button.setAccessibleName(self.tr("Show all of this reply"))
        self.show_all_button.clicked.connect(self.show_all)
        more_layout = QHBoxLayout(self._more)
        more_layout.setContentsMargins(0, 6, 0, 0)
        more_layout.addWidget(self._more_label, 1)
        more_layout.addWidget(self.show_all_button)
        self._more.hide()
        self._layout.addWidget(self._more)
        self._continue = QTimer(self)  # builds the rest after "Show all", a frame at a time
        self._continue.setSingleShot(True)
        self._continue.setInterval(33)
        self._continue.timeout.connect(self._build_more)

    def set_markdown(
        self, text: str, *, streaming: bool, suffix_html: str = "", paced: bool = False
    ) -> bool:
        """Show ``text``; while ``streaming``, freeze what can no longer change.

        With ``paced``, show at most a frame's worth more than last time; returns False while
        the text (up to the display limit) is not all shown yet: the caller updates again."""
        if not text.startswith(self._frozen_text):
            self._reset()
        self._latest = (text, streaming, suffix_html)
        end = self._end = self._shown_end(text)
        start = max(self._shown, len(self._frozen_text))
        whole = not self._chunks and not self._reopen and not self._plain
        if whole and not streaming and end == len(text) and end <= INSTANT_CHARS:
            upto = end  # short and complete: one piece, as it always was
        else:
            if paced:
                step = NEW_PLAIN_CHARS_PER_UPDATE if self._plain else NEW_CHARS_PER_UPDATE
                upto = min(end, start + step)
            else:
                upto = end
            # Taken a step at a time even when all of it is shown now, so that each step
            # looks at a bounded tail (finding where a block ends is linear in the tail).
            position = start
            while position < upto:
                position = min(upto, position + NEW_CHARS_PER_UPDATE)
                self._freeze_what_can_be(text[len(self._frozen_text):position],
                                         growing=streaming or position < len(text))
        self._shown = upto
        self._show_tail(text[len(self._frozen_text):upto], suffix_html)
        self._show_limit(len(text))
        return upto == end

    def _shown_end(self, text: str) -> int:
        """Where the text shown ends: all of it, or the display limit moved back to the end
        of a line or word (not after half a word or an opening ``**``)."""
        if self._limit is None or len(text) <= self._limit:
            return len(text)
        from desktop_app.core.markdown_pieces import plain_cut

        lowest = max(len(self._frozen_text) + 1, self._limit - 1000)
        return plain_cut(text, lowest, self._limit) if lowest <= self._limit else self._limit

    def set_placeholder(self, html_text: str) -> None:
        """Show a hint instead of text (before the first words arrive)."""
        self._reset()
        self._tail.setText(html_text)
        self._tail.setVisible(True)

    def hold(self, total: int) -> None:
        """After Stop: if a stream faster than the screen had arrived well ahead of what is
        shown (``total`` characters), show no more than that; "Show all" shows the rest.
        A frame's worth or less is still shown, so a normal Stop shows everything."""
        if total - self._shown > NEW_CHARS_PER_UPDATE:
            self._limit = self._shown if self._limit is None else min(self._limit, self._shown)

    def show_all(self) -> None:
        """Lift the display limit and build the rest, a frame's worth at a time."""
        self._limit = None
        self._more.hide()
        self._build_more()

    @property
    def shown_chars(self) -> int:
        """How much of the reply's text is on screen (less while it catches up)."""
        return self._shown

    @property
    def hidden_chars(self) -> int:
        """How much of the reply's text the display limit leaves out (0: none)."""
        if self._latest is None or self._limit is None or self._shown < self._end:
            return 0
        return len(self._latest[0]) - self._shown

    def code_block(self, number: int) -> str | None:
        """The source of the code block that the ``cairn-copy:N`` link names (all of it,
        when a long block was shown in several pieces)."""
        blocks = self._code_blocks + self._tail_blocks
        if not 0 <= number < len(blocks):
            return None
        groups = self._code_groups + self._tail_groups()
        return "".join(code for code, group in zip(blocks, groups, strict=True)
                       if group == groups[number])

    def text(self) -> str:
        """The HTML shown, all pieces joined (what tests and screen readers look at)."""
        return "".join(piece.text() for piece in self._chunks) + self._tail.text()

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    # -- building -----------------------------------------------------------------------------

    def _freeze_what_can_be(self, tail: str, growing: bool) -> None:
        """Freeze finished blocks of ``tail`` (the text after the pieces), and cut it where it
        has grown too long, until what is left is a bounded tail."""
        while tail:
            if self._plain:
                line_end = tail.find("\n")
                if line_end >= 0:  # the long line ended: Markdown again after it
                    self._freeze(tail[:line_end + 1], plain=True)
                    self._plain = False
                    tail = tail[line_end + 1:]
                    continue
                if len(tail) <= PLAIN_PIECE_CHARS:
                    return
                from desktop_app.core.markdown_pieces import plain_cut

                cut = plain_cut(tail, 1, len(tail) - TAIL_KEEP_CHARS)
                self._freeze(tail[:cut], plain=True)
                tail = tail[cut:]
                continue
            source, floor = self._reopen + tail, len(self._reopen)
            if growing:
                from desktop_app.core.markdown import stable_prefix_length

                boundary = stable_prefix_length(source)
                if boundary - floor >= CHUNK_MIN_CHARS:
                    self._freeze(source[:boundary], real=boundary - floor)
                    self._reopen = ""
                    tail = source[boundary:]
                    continue
            if len(tail) <= TAIL_LIMIT_CHARS:
                return
            from desktop_app.core.markdown_pieces import cut_tail

            cut = cut_tail(source, floor=floor, keep=TAIL_KEEP_CHARS)
            if cut.at > floor:
                self._freeze(source[:cut.at] + cut.close, real=cut.at - floor)
            tail = source[max(cut.at, floor):]
            self._reopen = cut.reopen
            if cut.plain:
                self._plain = self._plain_note = True

    def _freeze(self, source: str, *, real: int | None = None, plain: bool = False) -> None:
        """Render ``source`` into a piece of its own; ``real``: how much of it is the reply's
        text (the rest is Markdown that closes or reopens a block)."""
        piece = self._new_piece()
        if plain:
            piece.setText(self._plain_html(source))
            self._plain_note = False
            real = len(source)
        else:
            first = len(self._code_blocks)
            html_text, blocks = self._renderer.render(source, first_code_block=first)
            piece.setText(html_text)
            self._add_code_blocks(blocks, continues=self._reopens_code())
            keys = PENDING_KEYS.findall(html_text)
            if keys:
                self._waiting.append((piece, source, first, keys))
                self._listen_for_formulas()
        self._layout.insertWidget(len(self._chunks), piece)
        self._chunks.append(piece)
        assert real is not None
        self._frozen_text = self._latest_text()[:len(self._frozen_text) + real]

    def _show_tail(self, tail: str, suffix_html: str) -> None:
        html_text, self._tail_blocks = "", []
        if tail and self._plain:
            html_text = self._plain_html(tail)
        elif tail:
            html_text, self._tail_blocks = self._renderer.render(
                self._reopen + tail, first_code_block=len(self._code_blocks))
        self._tail.setText(html_text + suffix_html)
        self._tail.setVisible(bool(tail or suffix_html))
        self._tail_waits = PENDING_KEYS.findall(html_text)
        if self._tail_waits:
            self._listen_for_formulas()

    def _listen_for_formulas(self) -> None:
        if not self._listening:
            self._listening = True
            formula_typesetter().formulas_typeset.connect(self._on_formulas_typeset)

    def _on_formulas_typeset(self) -> None:
        """Render again what was shown while its formulas were being typeset: the tail, then
        the pieces with a settled formula, until the time budget is spent."""
        typesetter = formula_typesetter()
        started = time.perf_counter()
        if self._latest is not None and any(map(typesetter.settled, self._tail_waits)):
            text, _streaming, suffix = self._latest
            self._show_tail(text[len(self._frozen_text):self._shown], suffix)
        still: list[tuple[RichTextView, str, int, list[str]]] = []
        for entry in self._waiting:
            piece, source, first, keys = entry
            if time.perf_counter() - started > RETYPESET_BUDGET_S \
                    or not any(map(typesetter.settled, keys)):
                still.append(entry)
                continue
            html_text, _blocks = self._renderer.render(source, first_code_block=first)
            piece.setText(html_text)
            keys = PENDING_KEYS.findall(html_text)
            if keys:
                still.append((piece, source, first, keys))
        self._waiting = still
        if any(any(map(typesetter.settled, keys)) for *_entry, keys in still):
            self._retypeset.start()  # more to do: after the window has had its turn
        if not self._waiting and not self._tail_waits and self._listening:
            self._listening = False
            typesetter.formulas_typeset.disconnect(self._on_formulas_typeset)

    def _show_limit(self, total: int) -> None:
        hidden = self._limit is not None and self._shown >= self._end and total > self._shown
        if hidden:
            self._more_label.setText(self.tr(
                "Showing the first {shown} of {total} characters of this reply."
            ).format(shown=f"{self._shown:,}", total=f"{total:,}"))
        self._more.setVisible(hidden)

    def _build_more(self) -> None:
        if self._latest is None:
            return
        text, streaming, suffix = self._latest
        if not self.set_markdown(text, streaming=streaming, suffix_html=suffix, paced=True):
            self._continue.start()

    def _add_code_blocks(self, blocks: list[str], *, continues: bool) -> None:
        for index, block in enumerate(blocks):
            same = continues and index == 0 and bool(self._code_groups)
            self._code_groups.append(self._code_groups[-1] if same else len(self._code_groups))
            self._code_blocks.append(block)

    def _tail_groups(self) -> list[int]:
        start = len(self._code_groups)
        groups = list(range(start, start + len(self._tail_blocks)))
        if groups and self._reopens_code() and self._code_groups:
            groups[0] = self._code_groups[-1]  # the tail goes on with a reopened code block
        return groups

    def _reopens_code(self) -> bool:
        return self._reopen.lstrip(" ").startswith(("```", "~~~"))

    def _latest_text(self) -> str:
        return self._latest[0] if self._latest is not None else ""

    def _plain_html(self, text: str) -> str:
        """Text shown as written, in the reply's style; pieces of one line follow each other
        without a gap. The first piece of such a line says why it is not formatted."""
        if text.endswith("\n"):
            text = text[:-1]
        note = ""
        if self._plain_note:
            note = "<p><em>{}</em></p>".format(html.escape(self.tr(
                "This line is too long to format, so it is shown as plain text.")))
        return (f'<div style="line-height:140%">{note}<p style="margin-top:0; '
                f'margin-bottom:0; white-space:pre-wrap">{html.escape(text)}</p></div>')

    def _reset(self) -> None:
        for piece in self._chunks:
            self._layout.removeWidget(piece)
            piece.deleteLater()
        self._chunks.clear()
        self._waiting.clear()
        self._retypeset.stop()
        self._code_blocks.clear()
        self._code_groups.clear()
        self._frozen_text = ""
        self._reopen = ""
        self._plain = self._plain_note = False
        self._shown = 0
        self._limit = DISPLAY_LIMIT_CHARS
        self._continue.stop()
        self._more.hide()

    def _new_piece(self) -> RichTextView:
        piece = RichTextView(self)
        piece.setObjectName("ReplyText")
        piece.setAccessibleName(self.tr("Claude's reply"))
        piece.link_activated.connect(self.link_activated)
        return piece
