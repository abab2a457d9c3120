"""A reply's thinking: one quiet row with a chevron and its length ("Thinking · 230 words"),
and the thinking itself under it, with a rule down its left side, when the reader opens it.

It stays folded unless the reader opens it, while the reply streams and after: opening by
itself while Claude thought and folding again when the answer began made the page jump twice
in every reply. Whatever the reader chose is kept until the reply is closed.

Its length is counted in words (each Chinese or Japanese character counts as one, as word
processors count them), which a reader can picture; characters meant little.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from desktop_app.core.conversation import Message, ReplyState
from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.fold_toggle import chevron

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A word: one CJK character, or a run of other non-space characters with a letter or digit.
_WORD = re.compile(rf"[{_CJK}]|[^\s{_CJK}]*(?:(?![{_CJK}])[^\W_])[^\s{_CJK}]*")
# Where the last word that cannot grow any more ends: after the last space or CJK character.
_SETTLED_END = re.compile(rf"[\s{_CJK}][^\s{_CJK}]*\Z")


def format_count(n: int) -> str:
    return f"{n:,}" if n < 10_000 else f"{n / 1000:.1f}k"


class WordCounter:
    """Counts the words of a text that grows at its end (streamed thinking), reading each new
    piece once rather than the whole text at every frame."""

    def __init__(self) -> None:
        self._settled = 0  # the text up to here is counted ...
        self._count = 0  # ... and has this many words

    def count(self, text: str) -> int:
        if len(text) < self._settled:  # another text: start again
            self._settled = self._count = 0
        settled = _SETTLED_END.search(text, self._settled)
        if settled is not None:
            end = settled.start() + 1
            self._count += len(_WORD.findall(text, self._settled, end))
            self._settled = end
        return self._count + len(_WORD.findall(text, self._settled))


class ThinkingRow(QWidget):
    """See the module docstring. ``toggle`` is the row, ``text`` the thinking shown under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._open = False
        self._words = WordCounter()
        self.toggle = QToolButton()
        self.toggle.setObjectName("ThinkingToggle")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAccessibleName(self.tr("Show or hide Claude's thinking"))
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.clicked.connect(self._on_toggled)
        self.text = QLabel()
        self.text.setObjectName("ThinkingText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.text)
        self._message: Message | None = None
        self._theme: Theme | None = None

    @property
    def is_open(self) -> bool:
        return self._open

    def set_open(self, open_: bool) -> None:
        """Open or fold the thinking (what the reader chose is kept)."""
        self._open = open_
        if self._message is not None and self._theme is not None:
            self.refresh(self._message, self._theme)

    def refresh(self, message: Message, theme: Theme) -> None:
        """Show the message's thinking as it is now (hidden when it has none)."""
        self._message, self._theme = message, theme
        blocks = [b for b in message.content if b.get("type") in ("thinking", "redacted_thinking")]
        if not blocks:
            self.hide()
            return
        readable = message.thinking
        redacted = any(b.get("type") == "redacted_thinking" for b in blocks)
        still_thinking = message.state == ReplyState.STREAMING and not message.text
        if readable:
            words = self._words.count(readable)
            size = self.tr("1 word") if words == 1 else self.tr("{count} words").format(
                count=format_count(words))
            label = (self.tr("Thinking…") if still_thinking else self.tr("Thinking")) + " · " + size
            if redacted:
                label += " " + self.tr("(part redacted)")
        elif redacted:
            label = self.tr("Thinking redacted for safety")
        else:
            label = (self.tr("Thinking…") if still_thinking
                     else self.tr("Thinking hidden by the model"))
        shown = self._open and bool(readable)
        self.toggle.setText(label)
        self.toggle.setIcon(chevron(shown, theme.muted))
        self.toggle.setEnabled(bool(readable))
        if shown:
            self.text.setText(neutralise_bidi(readable))
        self.text.setVisible(shown)
        self.show()

    def _on_toggled(self) -> None:
        self.set_open(not self._open)
