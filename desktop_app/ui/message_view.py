"""The message column: user bubbles, rendered replies, and inline error/stop cards.

Only messages that changed are repainted, at most about 30 times a second, and the view stays
pinned to the bottom while a reply streams unless the reader has scrolled up.

Signals (on MessageView):
    retry_requested(str): the Retry action of that reply was used.
    continue_requested(str): the Continue action of a reply cut at max_tokens was used.
    example_chosen(str): an example prompt on the empty page was clicked.
"""

from __future__ import annotations

import math
import time
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QTimer, QUrl, Qt, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation import Conversation, Message, ReplyState
from desktop_app.core.markdown import COPY_SCHEME, MarkdownRenderer, is_safe_link, plain_to_html
from desktop_app.ui.icons import icon
from desktop_app.ui.theme import Theme

class MessageDescriber(Protocol):
    """What the view asks about a reply (the controller answers)."""

    def model_name(self, model_id: str) -> str: ...

    def describe_usage(self, message: Message) -> str: ...

    def attachment_path(self, sha256: str) -> Path | None: ...


COLUMN_WIDTH = 800
THUMBNAIL_EDGE = 160
REPAINT_INTERVAL_MS = 33
EXAMPLES = (
    "Explain a tricky concept simply",
    "Help me write a polite follow-up email",
    "Review this code for bugs",
    "Plan a three-day trip to Kyoto",
)


# How a reply that ended for a reason other than end_turn is explained, and what can be done.
STOP_NOTICES: dict[str, tuple[str, str | None]] = {
    "max_tokens": (
        "The reply reached its length limit (max_tokens) and is cut short.", "Continue"),
    "refusal": ("Claude declined to answer this request.", None),
    "model_context_window_exceeded": (
        "The conversation filled the model's context window, so the reply stopped. Start a new "
        "conversation, or turn on compaction in this conversation's options.", None),
    "stop_sequence": ("The reply ended at your stop sequence “{sequence}”.", None),
    "pause_turn": ("Claude paused a long turn. Continue to let it carry on.", "Continue"),
}


def retry_wait_left(message: Message) -> float | None:
    """Seconds until a rate-limited reply may be retried (None: not rate limited)."""
    error = message.error
    if error is None or error.kind != "rate_limit" or not error.retry_after:
        return None
    try:
        ended = datetime.fromisoformat((message.finished_at or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, ended.timestamp() + error.retry_after - time.time())


def format_count(n: int) -> str:
    return f"{n:,}" if n < 10_000 else f"{n / 1000:.1f}k"


class UserMessageWidget(QWidget):
    """The user's words in a soft bubble on the right, attachments above them."""

    def __init__(
        self, message: Message, describer: MessageDescriber, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.message_id = message.id
        self.attachments = self._attachment_row(message, describer)
        self.bubble = QFrame()
        self.bubble.setObjectName("UserBubble")
        self.label = QLabel()
        self.label.setObjectName("UserText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setText(plain_to_html(message.text))
        self.label.setAccessibleName("Your message")
        inner = QVBoxLayout(self.bubble)
        inner.setContentsMargins(14, 10, 14, 10)
        if self.attachments is not None:
            inner.addWidget(self.attachments)
        inner.addWidget(self.label)
        self.label.setVisible(bool(message.text))
        self.bubble.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._natural_width = max(
            (self.label.fontMetrics().horizontalAdvance(line) for line in message.text.splitlines()),
            default=0,
        ) + 4
        if self.attachments is not None:
            self._natural_width = max(self._natural_width, self.attachments.sizeHint().width())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addStretch(1)
        layout.addWidget(self.bubble)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Short messages hug their text; long ones wrap at 80 % of the column."""
        limit = int(event.size().width() * 0.8) - 28
        self.label.setFixedWidth(max(40, min(self._natural_width, limit)))
        super().resizeEvent(event)

    @property
    def text(self) -> str:
        return self.label.text()

    def _attachment_row(self, message: Message, describer: MessageDescriber) -> QWidget | None:
        """Thumbnails for stored images, a line for PDFs and image links."""
        blocks = [b for b in message.content if b.get("type") in ("image", "document")]
        if not blocks:
            return None
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.thumbnails: list[QLabel] = []
        for block in blocks:
            source = block.get("source") or {}
            notes = block.get("cairn") or {}
            label = QLabel()
            label.setObjectName("UserImage")
            if block["type"] == "image" and source.get("type") == "cairn_attachment":
                path = describer.attachment_path(str(source.get("sha256")))
                pixmap = QPixmap(str(path)) if path else QPixmap()
                if pixmap.isNull():
                    label.setText("[image missing]")
                else:
                    label.setPixmap(pixmap.scaled(
                        THUMBNAIL_EDGE, THUMBNAIL_EDGE, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    ))
                label.setToolTip(f"{notes.get('name', 'image')} · {notes.get('width')}×{notes.get('height')}")
                self.thumbnails.append(label)
            elif block["type"] == "image":
                label.setText(f"Image link: {source.get('url', '')}")
                label.setWordWrap(True)
            else:
                pages = notes.get("pages")
                label.setText(f"PDF · {notes.get('name', 'document')}" + (f" · {pages} pages" if pages else ""))
            layout.addWidget(label)
        layout.addStretch(1)
        return row


class ReplyWidget(QWidget):
    """A reply: a collapsible thinking section, Markdown, a quiet footer, and a card when it
    did not end normally (error, stopped, length limit, refusal, ...)."""

    retry_clicked = Signal(str)
    continue_clicked = Signal(str)

    def __init__(self, message: Message, view: MessageView) -> None:
        super().__init__(view.column)
        self.message = message
        self.message_id = message.id
        self._view = view
        self._code_blocks: list[str] = []
        self._rendered_text: str | None = None
        self._thinking_open: bool | None = None  # None: open while thinking streams, then shut
        self._card_action = "retry"
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh_card)

        self.compaction_note = QLabel()
        self.compaction_note.setObjectName("CompactionNote")
        self.compaction_note.setWordWrap(True)
        self.compaction_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.thinking_toggle = QToolButton()
        self.thinking_toggle.setObjectName("ThinkingToggle")
        self.thinking_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.thinking_toggle.setAccessibleName("Show or hide Claude's thinking")
        self.thinking_toggle.clicked.connect(self._toggle_thinking)
        self.thinking_text = QLabel()
        self.thinking_text.setObjectName("ThinkingText")
        self.thinking_text.setWordWrap(True)
        self.thinking_text.setTextFormat(Qt.TextFormat.PlainText)
        self.thinking_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.body = QLabel()
        self.body.setObjectName("ReplyText")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setOpenExternalLinks(False)
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.body.setAccessibleName("Claude's reply")
        self.body.linkActivated.connect(self._on_link)

        self.card = QFrame()
        self.card_icon = QLabel()
        self.card_text = QLabel()
        self.card_text.setWordWrap(True)
        self.card_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("PrimaryButton")
        self.retry_button.setAccessibleName("Retry this reply")
        self.retry_button.clicked.connect(self._on_card_action)
        card_layout = QHBoxLayout(self.card)
        card_layout.setContentsMargins(12, 10, 12, 10)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.card_icon, 0, Qt.AlignmentFlag.AlignTop)
        card_layout.addWidget(self.card_text, 1)
        card_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.footer = QLabel()
        self.footer.setObjectName("MessageFooter")
        self.copy_button = QToolButton()
        self.copy_button.setToolTip("Copy reply (Markdown)")
        self.copy_button.setAccessibleName("Copy reply")
        self.copy_button.clicked.connect(self._copy_all)
        footer_row = QHBoxLayout()
        footer_row.setContentsMargins(0, 0, 0, 0)
        footer_row.addWidget(self.footer)
        footer_row.addWidget(self.copy_button)
        footer_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(6)
        layout.addWidget(self.compaction_note)
        layout.addWidget(self.thinking_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.thinking_text)
        layout.addWidget(self.body)
        layout.addWidget(self.card)
        layout.addLayout(footer_row)
        self.refresh()

    def refresh(self) -> None:
        """Bring the widget in line with its message (cheap when nothing changed)."""
        message, theme = self.message, self._view.theme
        text = message.text
        if text != self._rendered_text:
            self._rendered_text = text
            html, self._code_blocks = self._view.renderer.render(text)
            if message.state == ReplyState.STREAMING:
                html += f'<span style="color:{theme.muted}">▍</span>'
            self.body.setText(html)
        self.body.setVisible(bool(text) or message.state == ReplyState.STREAMING)
        if message.state == ReplyState.STREAMING and not text:
            self.body.setText(f'<span style="color:{theme.muted}">Thinking…</span>'
                              if message.thinking else f'<span style="color:{theme.muted}">…</span>')
            self._rendered_text = None
        self._refresh_thinking()
        self._refresh_compaction()
        self._refresh_card()
        self._refresh_footer()

    def _refresh_thinking(self) -> None:
        message, theme = self.message, self._view.theme
        blocks = [b for b in message.content if b.get("type") in ("thinking", "redacted_thinking")]
        if not blocks:
            self.thinking_toggle.hide()
            self.thinking_text.hide()
            return
        readable = message.thinking
        redacted = any(b.get("type") == "redacted_thinking" for b in blocks)
        streaming_thought = message.state == ReplyState.STREAMING and not message.text
        if readable:
            label = f"Thinking · {format_count(len(readable))} characters"
            if redacted:
                label += " (part redacted)"
        elif redacted:
            label = "Thinking redacted for safety"
        else:
            label = "Thinking hidden by the model" if not streaming_thought else "Thinking…"
        open_now = self._thinking_open if self._thinking_open is not None else streaming_thought
        open_now = open_now and bool(readable)
        self.thinking_toggle.setText(label)
        self.thinking_toggle.setIcon(
            icon("chevron-down" if open_now else "chevron-right", theme.muted, 14)
        )
        self.thinking_toggle.setEnabled(bool(readable))
        self.thinking_toggle.show()
        if open_now:
            self.thinking_text.setText(readable)
        self.thinking_text.setVisible(open_now)

    def _toggle_thinking(self) -> None:
        self._thinking_open = not self.thinking_text.isVisible()
        self._refresh_thinking()

    def _refresh_compaction(self) -> None:
        summaries = [b for b in self.message.content if b.get("type") == "compaction"]
        if not summaries:
            self.compaction_note.hide()
            return
        self.compaction_note.setText(
            "Earlier messages were summarised to keep the conversation within the context "
            "window. Claude now works from that summary."
        )
        self.compaction_note.setToolTip((summaries[-1].get("content") or "")[:2000])
        self.compaction_note.show()

    def _on_card_action(self) -> None:
        if self._card_action == "continue":
            self.continue_clicked.emit(self.message_id)
        else:
            self.retry_clicked.emit(self.message_id)

    def _refresh_card(self) -> None:
        message, theme = self.message, self._view.theme
        self._card_action = "retry"
        self.retry_button.setText("Retry")
        self.retry_button.setAccessibleName("Retry this reply")
        if message.state == ReplyState.FAILED and message.error is not None:
            self.card.setObjectName("ErrorCard")
            self.card_icon.setPixmap(icon("alert", theme.accent, 18).pixmap(18, 18))
            self.card_text.setText(message.error.message)
            self.retry_button.setVisible(message.error.retryable or message.error.needs_key)
            self.retry_button.setEnabled(True)
            wait = retry_wait_left(message)
            if wait is not None:
                self._show_countdown(wait)
            self.card.setVisible(True)
        elif message.state == ReplyState.STOPPED:
            self._show_notice(
                "Stopped. The reply above is incomplete." if message.text
                else "Stopped before Claude replied.",
                "Retry",
            )
        elif message.state == ReplyState.COMPLETE and message.stop_reason in STOP_NOTICES:
            kind = message.stop_reason
            text, action = STOP_NOTICES[kind]
            if kind == "stop_sequence":
                text = text.format(sequence=message.stop_sequence or "")
            if kind == "refusal":
                explanation = (message.stop_details or {}).get("explanation")
                if explanation:
                    text += " " + explanation
                self.card.setObjectName("RefusalCard")
                self.card_icon.setPixmap(icon("alert", theme.text, 18).pixmap(18, 18))
                self.card_text.setText(text)
                self.retry_button.setVisible(False)
                self.card.setVisible(True)
            else:
                self._show_notice(text, action)
        else:
            self.card.setVisible(False)
            return
        self.card.style().unpolish(self.card)
        self.card.style().polish(self.card)

    def _show_countdown(self, seconds: float) -> None:
        """A rate limit: count down the server's retry-after, then offer Retry."""
        if seconds > 0:
            whole = math.ceil(seconds)
            self.card_text.setText(
                f"You have hit your rate limit. You can retry in {whole} second{'s' if whole != 1 else ''}."
            )
            self.retry_button.setEnabled(False)
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self.card_text.setText("You have hit your rate limit. You can retry now.")
            self.retry_button.setEnabled(True)
            self._countdown.stop()

    def _show_notice(self, text: str, action: str | None) -> None:
        self.card.setObjectName("NoticeCard")
        self.card_icon.setPixmap(icon("info", self._view.theme.muted, 18).pixmap(18, 18))
        self.card_text.setText(text)
        self.retry_button.setVisible(action is not None)
        if action == "Continue":
            self._card_action = "continue"
            self.retry_button.setText("Continue")
            self.retry_button.setAccessibleName("Continue this reply")
        self.card.setVisible(True)

    def _refresh_footer(self) -> None:
        message = self.message
        done = message.state != ReplyState.STREAMING
        self.copy_button.setIcon(icon("copy", self._view.theme.muted, 14))
        self.copy_button.setVisible(done and bool(message.text))
        parts: list[str] = []
        if message.model:
            parts.append(self._view.model_name(message.model))
        if done and message.usage:
            parts.append(self._view.usage_text(message))
        self.footer.setText(" · ".join(parts))
        self.footer.setVisible(bool(parts) and done)

    def _on_link(self, url: str) -> None:
        if url.startswith(COPY_SCHEME):
            try:
                code = self._code_blocks[int(url[len(COPY_SCHEME):])]
            except (ValueError, IndexError):
                return
            QGuiApplication.clipboard().setText(code)
            self._view.status_message.emit("Code copied")
        elif is_safe_link(url):
            QDesktopServices.openUrl(QUrl(url))

    def _copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.message.text)
        self._view.status_message.emit("Reply copied")


class EmptyState(QWidget):
    """The page of an empty conversation: a greeting and a few example prompts."""

    example_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        greeting = QLabel("How can I help today?")
        greeting.setObjectName("Greeting")
        greeting.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        chips = QWidget()
        grid = QVBoxLayout(chips)
        grid.setSpacing(8)
        self.buttons: list[QPushButton] = []
        for row_start in range(0, len(EXAMPLES), 2):
            row = QHBoxLayout()
            row.addStretch(1)
            for text in EXAMPLES[row_start:row_start + 2]:
                button = QPushButton(text)
                button.setObjectName("ExampleChip")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _=False, t=text: self.example_clicked.emit(t))
                self.buttons.append(button)
                row.addWidget(button)
            row.addStretch(1)
            grid.addLayout(row)
        hint = QLabel("Enter sends · Shift+Enter adds a line · Esc stops a reply")
        hint.setObjectName("HintLabel")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(greeting)
        layout.addSpacing(18)
        layout.addWidget(chips)
        layout.addSpacing(14)
        layout.addWidget(hint)
        layout.addStretch(3)


class MessageView(QScrollArea):
    """Shows one conversation. See the module docstring for signals."""

    retry_requested = Signal(str)
    continue_requested = Signal(str)
    example_chosen = Signal(str)
    status_message = Signal(str)

    def __init__(
        self, theme: Theme, describer: MessageDescriber, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MessageScroll")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.theme = theme
        self.renderer = MarkdownRenderer(theme.markdown)
        self._describer = describer
        self.conversation: Conversation | None = None
        self._widgets: dict[str, QWidget] = {}
        self._dirty: set[str] = set()
        self._stick_to_bottom = True

        outer = QWidget()
        outer.setObjectName("MessageColumn")
        outer_layout = QHBoxLayout(outer)
        outer_layout.setContentsMargins(24, 16, 24, 16)
        self.column = QWidget()
        self.column.setObjectName("MessageColumn")
        self.column.setMaximumWidth(COLUMN_WIDTH)
        self.column_layout = QVBoxLayout(self.column)
        self.column_layout.setContentsMargins(0, 0, 0, 0)
        self.column_layout.setSpacing(4)
        self.column_layout.addStretch(1)
        outer_layout.addStretch(1)
        outer_layout.addWidget(self.column, 100)
        outer_layout.addStretch(1)
        self.setWidget(outer)

        self.empty_state = EmptyState()
        self.empty_state.example_clicked.connect(self.example_chosen)
        self.column_layout.insertWidget(0, self.empty_state)

        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.setInterval(REPAINT_INTERVAL_MS)
        self._repaint_timer.timeout.connect(self._repaint_dirty)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    # -- what the window calls --------------------------------------------------------------

    def model_name(self, model_id: str) -> str:
        return self._describer.model_name(model_id)

    def usage_text(self, message: Message) -> str:
        return self._describer.describe_usage(message)

    def show_conversation(self, conversation: Conversation | None) -> None:
        """Replace the column's content with this conversation's messages."""
        for widget in self._widgets.values():
            self.column_layout.removeWidget(widget)
            widget.deleteLater()
        self._widgets.clear()
        self._dirty.clear()
        self.conversation = conversation
        for message in conversation.messages if conversation else []:
            self._add_widget(message)
        self._update_empty_state()
        self._stick_to_bottom = True
        self.scroll_to_bottom()

    def add_message(self, message: Message) -> None:
        self._add_widget(message)
        self._update_empty_state()
        self._stick_to_bottom = True

    def update_message(self, message_id: str) -> None:
        """Schedule a repaint of one message (coalesced to the frame rate)."""
        self._dirty.add(message_id)
        if not self._repaint_timer.isActive():
            self._repaint_timer.start()

    def remove_message(self, message_id: str) -> None:
        widget = self._widgets.pop(message_id, None)
        if widget is not None:
            self.column_layout.removeWidget(widget)
            widget.deleteLater()
        self._update_empty_state()

    def widget_for(self, message_id: str) -> QWidget | None:
        return self._widgets.get(message_id)

    def flush(self) -> None:
        """Repaint pending changes now (tests, and before a screenshot)."""
        self._repaint_timer.stop()
        self._repaint_dirty()

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- internals ------------------------------------------------------------------------------

    def _add_widget(self, message: Message) -> None:
        widget: QWidget
        if message.role == "user":
            widget = UserMessageWidget(message, self._describer, self.column)
        else:
            reply = ReplyWidget(message, self)
            reply.retry_clicked.connect(self.retry_requested)
            reply.continue_clicked.connect(self.continue_requested)
            widget = reply
        self._widgets[message.id] = widget
        self.column_layout.insertWidget(self.column_layout.count() - 1, widget)

    def _repaint_dirty(self) -> None:
        dirty, self._dirty = self._dirty, set()
        for message_id in dirty:
            widget = self._widgets.get(message_id)
            if isinstance(widget, ReplyWidget):
                widget.refresh()

    def _update_empty_state(self) -> None:
        self.empty_state.setVisible(not self._widgets)

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 24

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._stick_to_bottom:
            self.verticalScrollBar().setValue(maximum)
