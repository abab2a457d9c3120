"""A reply: collapsible thinking, Markdown rendered in chunks, a quiet footer with the model,
tokens, cost and actions, and an inline card when it did not end normally.

What the reader asks of it (Retry, Continue, another version, a link to confirm) goes to the
view's ``MessageRequests``; a reply has no signals of its own.
"""

from __future__ import annotations

import math
import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, QUrl, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.citations import display_markdown, fold_citations, footnoted_markdown
from desktop_app.core.conversation import Message, ReplyState
from desktop_app.core.link_safety import check_link_texts
from desktop_app.core.safe_html import COPY_SCHEME, is_safe_link, plain_to_html
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.messages.citation_marks import CitationMarks
from desktop_app.ui.messages.footnotes_view import FootnotesView
from desktop_app.ui.messages.markdown_body import INSTANT_CHARS, MarkdownBody
from desktop_app.ui.messages.message_actions import MessageActions
from desktop_app.ui.lib.link_host import opened_host
from desktop_app.ui.messages.rich_text_view import RichTextView
from desktop_app.ui.messages.server_tools_view import ServerToolsView
from desktop_app.ui.session.error_text import error_sentence
from desktop_app.ui.messages.thinking_row import ThinkingRow, format_count
from desktop_app.ui.messages.tool_calls_view import ToolCallsView

__all__ = ["STOP_NOTICES", "ReplyWidget", "format_count", "retry_wait_left", "stop_notice"]

if TYPE_CHECKING:
    from desktop_app.ui.messages.message_view import MessageView

# How a reply that ended for a reason other than end_turn is explained, and what can be done
# (the text in English: translated where it is shown, with stop_notice()).
STOP_NOTICES: dict[str, tuple[str, str | None]] = {
    "max_tokens": (QT_TRANSLATE_NOOP(
        "ReplyWidget", "The reply reached its length limit (max_tokens) and is cut short."),
        "Continue"),
    "refusal": (QT_TRANSLATE_NOOP("ReplyWidget", "Claude declined to answer this request."), None),
    "model_context_window_exceeded": (QT_TRANSLATE_NOOP(
        "ReplyWidget",
        "The conversation filled the model's context window, so the reply stopped. Start a new "
        "conversation, or turn on compaction in this conversation's options."), None),
    "stop_sequence": (QT_TRANSLATE_NOOP(
        "ReplyWidget", "The reply ended at your stop sequence “{sequence}”."), None),
    "pause_turn": (QT_TRANSLATE_NOOP(
        "ReplyWidget", "Claude paused a long turn. Continue to let it carry on."), "Continue"),
    # Only while the calls wait (the round limit stopped the reply before running them).
    "tool_use": (QT_TRANSLATE_NOOP(
        "ReplyWidget", "Claude has used tools many times in this reply, so Cairn paused it "
        "before the next calls (Settings → Tools sets the limit). Continue to run them and "
        "let it carry on."), "Continue"),
}


def stop_notice(stop_reason: str) -> tuple[str, str | None]:
    """STOP_NOTICES[stop_reason] with its text in the interface language."""
    text, action = STOP_NOTICES[stop_reason]
    return QCoreApplication.translate("ReplyWidget", text), action


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


class ReplyWidget(QWidget):
    """A reply: a collapsible thinking section, Markdown, a quiet footer, and a card when it
    did not end normally (error, stopped, length limit, refusal, ...)."""

    def __init__(
        self, message: Message, view: MessageView, position: tuple[int, int] = (1, 1)
    ) -> None:
        super().__init__(view.column)
        self.message = message
        self.message_id = message.id
        self._view = view
        self._rendered_text: str | None = None
        self._rendered_streaming = False
        self._streamed_here = False  # it streamed in while shown: pace its rendering
        self._card_action = "retry"
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh_card)

        self.compaction_note = QLabel()
        self.compaction_note.setObjectName("CompactionNote")
        self.compaction_note.setWordWrap(True)
        self.compaction_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.thinking = ThinkingRow()
        self.thinking_toggle = self.thinking.toggle
        self.thinking_text = self.thinking.text

        self.body = MarkdownBody(view.renderer)
        self.body.link_activated.connect(self._on_link)
        self.citation_marks = CitationMarks(self.body, view.theme)
        # Claude's own tools (search, fetch, code) above the text they led to; its sources
        # under it.
        self.server_tools = ServerToolsView(view.theme, view.files)
        self.server_tools.link_activated.connect(self._on_link)
        self.server_tools.file_save_requested.connect(view.requests.file_save_requested)
        self.footnotes = FootnotesView(view.theme)
        self.footnotes.link_activated.connect(self._on_link)

        self.tool_calls = ToolCallsView(view.theme)
        self.tool_calls.approval_chosen.connect(view.requests.tool_approval_chosen)

        self.card = QFrame()
        self.card_icon = QLabel()
        self.card_text = QLabel()
        self.card_text.setWordWrap(True)
        self.card_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setObjectName("PrimaryButton")
        self.retry_button.setAccessibleName(self.tr("Retry this reply"))
        self.retry_button.clicked.connect(self._on_card_action)
        card_layout = QHBoxLayout(self.card)
        card_layout.setContentsMargins(12, 10, 12, 10)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.card_icon, 0, Qt.AlignmentFlag.AlignTop)
        card_layout.addWidget(self.card_text, 1)
        card_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.footer = QLabel()
        self.footer.setObjectName("MessageFooter")
        self.actions = MessageActions(view.theme, view.requests, message.id, what="reply",
                                      editable=False, retryable=True)
        self.actions.set_position(*position)
        self.actions.copy_clicked.connect(self._copy_all)
        self.copy_button = self.actions.copy_button
        self.regenerate_button = self.actions.retry_button
        footer_row = QHBoxLayout()
        footer_row.setContentsMargins(0, 0, 0, 0)
        footer_row.addWidget(self.actions)
        footer_row.addWidget(self.footer)
        footer_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(6)
        layout.addWidget(self.compaction_note)
        layout.addWidget(self.thinking)
        layout.addWidget(self.server_tools)
        layout.addWidget(self.body)
        layout.addWidget(self.footnotes)
        layout.addWidget(self.tool_calls)
        layout.addWidget(self.card)
        layout.addLayout(footer_row)
        self.refresh()

    def refresh(self, *, paced: bool = True) -> bool:
        """Bring the widget in line with its message (cheap when nothing changed). A reply
        that streams in, or a long one, is shown at most a frame's worth more per call (see
        ``MarkdownBody``); False: it is not all shown yet, and the view calls again.

        When the reply is stopped, what is on screen stays; if a stream faster than the
        screen had arrived well ahead of it, the rest waits behind "Show all" rather than
        keeping the window busy catching up after Stop."""
        message, theme = self.message, self._view.theme
        cited = fold_citations(message.content)
        # A cited reply's text carries a [n] link after each cited stretch.
        text = display_markdown(cited) if cited.sources else cited.text
        streaming = message.state == ReplyState.STREAMING
        caught_up = True
        self._streamed_here = self._streamed_here or streaming
        if streaming and not text:
            # While Claude thinks, the thinking row says so; the body waits out of sight.
            self.body.set_placeholder(f'<span style="color:{theme.muted}">…</span>')
            self._rendered_text = None
        elif text != self._rendered_text or streaming != self._rendered_streaming:
            if self._rendered_streaming and message.state == ReplyState.STOPPED:
                self.body.hold(len(text))
            self._rendered_text, self._rendered_streaming = text, streaming
            cursor = f'<span style="color:{theme.muted}">▍</span>' if streaming else ""
            caught_up = self.body.set_markdown(
                text, streaming=streaming, suffix_html=cursor,
                paced=paced and (self._streamed_here or len(text) > INSTANT_CHARS))
            if not caught_up:
                self._rendered_text = None  # the rest on the next call
                self._view.update_message(self.message_id)
        thinks = any(b.get("type") in ("thinking", "redacted_thinking") for b in message.content)
        self.body.setVisible(bool(text) or (streaming and not thinks))
        self.thinking.refresh(message, theme)
        self.server_tools.refresh(message)
        self.footnotes.set_sources(cited.sources)
        self.citation_marks.set_stretches([cited.text[s.start:s.end] for s in cited.spans])
        self.tool_calls.refresh(message, self._view.conversation, self._view.tool_activity)
        self._refresh_compaction()
        self._refresh_card()
        self._refresh_footer()
        return caught_up

    def _refresh_compaction(self) -> None:
        summaries = [b for b in self.message.content if b.get("type") == "compaction"]
        if not summaries:
            self.compaction_note.hide()
            return
        self.compaction_note.setText(self.tr(
            "Earlier messages were summarised to keep the conversation within the context "
            "window. Claude now works from that summary."
        ))
        summary = (summaries[-1].get("content") or "")[:2000]
        self.compaction_note.setToolTip(f"<qt>{plain_to_html(summary)}</qt>")  # never markup
        self.compaction_note.show()

    def _on_card_action(self) -> None:
        if self._card_action == "continue":
            self._view.requests.continue_requested.emit(self.message_id)
        else:
            self._view.requests.retry_requested.emit(self.message_id)

    def _refresh_card(self) -> None:
        message, theme = self.message, self._view.theme
        self._card_action = "retry"
        self.retry_button.setText(self.tr("Retry"))
        self.retry_button.setAccessibleName(self.tr("Retry this reply"))
        if message.state == ReplyState.FAILED and message.error is not None:
            self.card.setObjectName("ErrorCard")
            self.card_icon.setPixmap(icon("alert", theme.accent, 18).pixmap(18, 18))
            self.card_text.setText(error_sentence(message.error))
            self.retry_button.setVisible(message.error.retryable or message.error.needs_key)
            self.retry_button.setEnabled(True)
            wait = retry_wait_left(message)
            if wait is not None:
                self._show_countdown(wait)
            self.card.setVisible(True)
        elif message.state == ReplyState.STOPPED:
            self._show_notice(
                self.tr("Stopped. The reply above is incomplete.") if message.text
                else self.tr("Stopped before Claude replied."),
                "Retry",
            )
        elif message.state == ReplyState.COMPLETE and message.stop_reason in STOP_NOTICES and not (
            message.stop_reason == "max_tokens" and self._view.is_continued(message.id)
        ) and not (message.stop_reason == "tool_use" and not self._calls_wait()):
            kind = message.stop_reason
            text, action = stop_notice(kind)
            if kind == "stop_sequence":
                text = text.format(sequence=message.stop_sequence or "")
            if kind == "refusal":
                explanation = (message.stop_details or {}).get("explanation")
                if isinstance(explanation, str) and explanation:
                    text += " " + explanation
                if message.excluded:
                    text += " " + self.tr(
                        "This exchange is no longer sent to Claude, so the conversation can go "
                        "on; edit your message to ask differently.")
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

    def _calls_live(self) -> bool:
        """Whether a tool call of this reply is waiting, asking or running now."""
        activity = self._view.tool_activity
        return activity is not None and any(
            activity.live(str(b.get("id"))) is not None
            for b in self.message.content if b.get("type") == "tool_use")

    def _calls_wait(self) -> bool:
        """Whether this reply's tool calls are left waiting (the round limit stopped it):
        it is the last message, and no call of it runs now."""
        conversation = self._view.conversation
        if conversation is None or conversation.last_reply is not self.message:
            return False
        uses = [b for b in self.message.content if b.get("type") == "tool_use"]
        return bool(uses) and not self._calls_live()

    def _show_countdown(self, seconds: float) -> None:
        """A rate limit: count down the server's retry-after, then offer Retry."""
        if seconds > 0:
            whole = math.ceil(seconds)
            self.card_text.setText(
                self.tr("You have hit your rate limit. You can retry in 1 second.") if whole == 1
                else self.tr("You have hit your rate limit. You can retry in {seconds} seconds.")
                .format(seconds=whole)
            )
            self.retry_button.setEnabled(False)
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self.card_text.setText(self.tr("You have hit your rate limit. You can retry now."))
            self.retry_button.setEnabled(True)
            self._countdown.stop()

    def _show_notice(self, text: str, action: str | None) -> None:
        self.card.setObjectName("NoticeCard")
        self.card_icon.setPixmap(icon("info", self._view.theme.muted, 18).pixmap(18, 18))
        self.card_text.setText(text)
        self.retry_button.setVisible(action is not None)
        if action == "Continue":
            self._card_action = "continue"
            self.retry_button.setText(self.tr("Continue"))
            self.retry_button.setAccessibleName(self.tr("Continue this reply"))
        self.card.setVisible(True)

    def _refresh_footer(self) -> None:
        message = self.message
        done = message.state != ReplyState.STREAMING and not self._calls_live()
        # A reply cut at its length limit and continued reads as one with its continuation:
        # no footer between the parts; the last part's footer speaks for all of them.
        continued = done and self._view.is_continued(message.id)
        self.layout().setContentsMargins(
            0, 0 if self._view.continues_previous(message) else 8, 0, 0 if continued else 8)
        if continued:
            self.actions.hide()
            self.footer.hide()
            return
        self.actions.setVisible(done)
        self.copy_button.setVisible(bool(message.text))
        # A refused exchange is asked again by editing the message, not by regenerating; and
        # a card that offers Retry is the one way to retry (no ↻ beside it).
        card_retries = (not self.card.isHidden() and not self.retry_button.isHidden()
                        and self._card_action == "retry")
        self.regenerate_button.setVisible(not message.excluded and not card_retries)
        parts: list[str] = []
        if message.model:
            parts.append(self._view.model_name(message.model))
        if done and message.usage:
            parts.append(self._view.usage_text(message))
        self.footer.setText(" · ".join(parts))
        self.footer.setVisible(bool(parts) and done)

    def _on_link(self, url: str) -> None:
        if url.startswith(COPY_SCHEME):
            number = url[len(COPY_SCHEME):]
            code = self.body.code_block(int(number)) if number.isdigit() else None
            if code is None:
                return
            QGuiApplication.clipboard().setText(code)
            self._view.requests.status_message.emit(self.tr("Code copied"))
        elif is_safe_link(url):
            if not QUrl(url).isValid():
                self._view.requests.status_message.emit(self.tr("This link's address is not valid."))
                return
            # Every link to this target in the reply, as the reader sees it: one whose text
            # shows another address (or an imitating host) is confirmed first.
            texts = [text for view in self.body.findChildren(RichTextView)
                     for text in view.link_texts(url)]
            texts += self.footnotes.link_texts(url) + self.server_tools.link_texts(url)
            check = check_link_texts(texts, url, opened_host(url))
            if check.asks:
                self._view.requests.link_confirmation_requested.emit(check.text, url)
            else:
                QDesktopServices.openUrl(QUrl(url))

    def _copy_all(self) -> None:
        # A cited reply is copied as Markdown with [^n] footnotes (its sources at the end).
        parts = self._view.reply_parts(self.message)
        cited = fold_citations([block for part in parts for block in part.content])
        QGuiApplication.clipboard().setText(footnoted_markdown(cited))
        self._view.requests.status_message.emit(self.tr("Reply copied"))


