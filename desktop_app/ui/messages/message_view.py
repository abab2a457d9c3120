"""The message column: user bubbles, rendered replies, and inline error/stop cards.

Only messages that changed are repainted, at most about 30 times a second, and the view stays
pinned to the bottom while a reply streams unless the reader has scrolled up. A long
conversation is shown from its end: earlier messages are built when the reader scrolls up
to them, so opening it costs the same at 20 or 2,000 messages.

What the reader asks of any message (Retry, Continue, Edit, another version, an example
prompt, a link to confirm) comes out of one object, ``MessageView.requests``
(``MessageRequests``): the message widgets emit on it directly, nothing is re-emitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import shiboken6

from PySide6.QtCore import QEvent, QPoint, QTimer, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.reply import add_usage
if TYPE_CHECKING:
    from desktop_app.core.markdown import MarkdownRenderer
from desktop_app.ui.messages.empty_state import EmptyState
from desktop_app.ui.messages.jump_to_latest import ROOM as JUMP_ROOM
from desktop_app.ui.messages.jump_to_latest import JumpToLatestButton
from desktop_app.ui.messages.message_requests import MessageRequests
from desktop_app.ui.session.anthropic_files import AnthropicFiles
from desktop_app.ui.session.tool_activity import ToolActivity
from desktop_app.ui.messages.reply_widget import STOP_NOTICES, ReplyWidget, format_count, retry_wait_left
from desktop_app.ui.messages.search_marks import SearchMarks
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.user_message_widget import UserMessageWidget

__all__ = [
    "STOP_NOTICES", "EmptyState", "MessageDescriber", "MessageView", "ReplyWidget",
    "UserMessageWidget", "format_count", "retry_wait_left",
]


class MessageDescriber(Protocol):
    """What the view asks about a reply (the controller answers)."""

    def model_name(self, model_id: str) -> str: ...

    def describe_usage(self, message: Message) -> str: ...

    def attachment_path(self, sha256: str) -> Path | None: ...


COLUMN_WIDTH = 800
REPAINT_INTERVAL_MS = 33
PAGE_SIZE = 16  # messages built at a time: about a screenful, so opening stays quick
LOAD_EARLIER_MARGIN = 400  # px from the top at which the next page is built
HIT_MARGIN = 24  # px kept between an opened search hit and the view's edges
class MessageView(QScrollArea):
    """Shows one conversation; what the reader asks of it comes out of ``requests``."""

    def __init__(
        self, theme: Theme, describer: MessageDescriber, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MessageScroll")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.theme = theme
        self.requests = MessageRequests(self)
        self._renderer: MarkdownRenderer | None = None
        self._describer = describer
        self.conversation: Conversation | None = None
        # The session's live tool calls (set by the window): replies show them in their rows.
        self.tool_activity: ToolActivity | None = None
        self.files: AnthropicFiles | None = None  # a code run's files (set by the window)
        self._widgets: dict[str, QWidget] = {}
        self._dirty: set[str] = set()
        self._stick_to_bottom = True
        self._first_built = 0  # index of the oldest message that has a widget
        self._positions: dict[str, tuple[int, int]] = {}  # ``< n/m >`` of messages that have versions
        self._keep_from_bottom: int | None = None  # after building earlier messages
        self._column_height_then = 0  # when _keep_from_bottom was taken
        self._fill_after_paint = False  # check, once shown, whether the page fills the view
        self.hit_marks: SearchMarks | None = None  # the opened search hit, marked
        self._hold_hit = False  # keep the hit in view as the column settles (until scrolled)

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

        self.empty_state = EmptyState(self.requests)
        self.column_layout.insertWidget(0, self.empty_state)

        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.setInterval(REPAINT_INTERVAL_MS)
        self._repaint_timer.timeout.connect(self._repaint_dirty)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        bar.actionTriggered.connect(self._on_reader_scrolled)  # wheel, keys, the bar itself
        self._install_reading_aids()

    # -- what the window calls --------------------------------------------------------------

    @property
    def renderer(self) -> MarkdownRenderer:
        """The Markdown renderer, made when the first reply is drawn: markdown-it and
        Pygments are imported then, not while the window is being built."""
        if self._renderer is None:
            from desktop_app.core.markdown import MarkdownRenderer
            from desktop_app.ui.messages.formula_typesetter import formula_typesetter

            self._renderer = MarkdownRenderer(self.theme.markdown,
                                              formulas=formula_typesetter().lookup)
        return self._renderer

    def model_name(self, model_id: str) -> str:
        return self._describer.model_name(model_id)

    def continues_previous(self, message: Message) -> bool:
        """Whether a reply goes on from a cut one (it then reads as that reply's end)."""
        return len(self.reply_parts(message)) > 1

    def is_continued(self, message_id: str) -> bool:
        """Whether a reply goes on in the next one (its "cut short" notice is then moot)."""
        return self.conversation is not None and self.conversation.is_continued(message_id)

    def apply_theme(self, theme: Theme) -> None:
        """New colours: code blocks, links and notes are rendered again in them."""
        if theme is self.theme:
            return
        self.theme = theme
        self.jump_button.apply_theme(theme)
        self._renderer = None
        from_bottom = self._from_bottom()
        self.show_conversation(self.conversation)
        self._keep_from_bottom, self._column_height_then = from_bottom, self._column_height()

    def usage_text(self, message: Message) -> str:
        """The footer's figures: for the end of a continued reply, those of every part."""
        parts = self.reply_parts(message)
        if len(parts) > 1 and len({p.model for p in parts}) == 1:
            usage: dict[str, Any] | None = None
            for part in parts:
                if part.usage:
                    usage = add_usage(usage, part.usage)
            message = Message(role="assistant", content=[], model=message.model, usage=usage)
        return self._describer.describe_usage(message)

    def reply_parts(self, message: Message) -> list[Message]:
        """The message and the cut replies it goes on from (just the message, usually)."""
        if self.conversation is None:
            return [message]
        return self.conversation.reply_parts(message.id) or [message]

    def show_conversation(self, conversation: Conversation | None) -> None:
        """Replace the column's content with this conversation's last messages (earlier
        ones are built as the reader scrolls up)."""
        for widget in self._widgets.values():
            self.column_layout.removeWidget(widget)
            widget.deleteLater()
        self._widgets.clear()
        self._dirty.clear()
        self._clear_hit()
        self.conversation = conversation
        self._positions = conversation.alternative_positions() if conversation else {}
        messages = conversation.messages if conversation else []
        self._first_built = max(0, len(messages) - PAGE_SIZE)
        for message in messages[self._first_built:]:
            self._add_widget(message)
        self._update_empty_state()
        self._stick_to_bottom = True
        self._keep_from_bottom = None
        self.scroll_to_bottom()
        self._fill_after_paint = self._first_built > 0

    @property
    def built_count(self) -> int:
        """How many messages have widgets (the rest wait until scrolled to)."""
        return len(self._widgets)

    def load_earlier(self) -> bool:
        """Build the previous page of messages above the ones shown, keeping what the reader
        looks at in place. Returns False when everything is built already."""
        if self.conversation is None or self._first_built == 0:
            return False
        self._keep_from_bottom, self._column_height_then = self._from_bottom(), self._column_height()
        start = max(0, self._first_built - PAGE_SIZE)
        at = 1  # after the empty-state page
        for message in self.conversation.messages[start:self._first_built]:
            at += self._add_widget(message, at=at)
        self._first_built = start
        return True

    def reveal(self, message_id: str, terms: Sequence[str] = ()) -> bool:
        """Build up to a message, scroll it fully into view and mark it (a search hit):
        the words of ``terms`` tinted in it, the message outlined for a moment. It is kept
        in view while the column settles (pages built, text laid out), until the reader
        scrolls."""
        if self.conversation is None or self.conversation.index_of(message_id) < 0:
            return False
        while message_id not in self._widgets and self.load_earlier():
            pass
        widget = self._widgets.get(message_id)
        if widget is None:  # a message without a widget of its own (a "continue" turn)
            return False
        self._clear_hit()
        self._stick_to_bottom = False
        self._keep_from_bottom = None
        self.hit_marks = SearchMarks(
            widget, terms, self.theme, self.widget(),
            widget.bubble if isinstance(widget, UserMessageWidget) else None)
        self._hold_hit = True
        self._scroll_to_hit()
        return True

    def _scroll_to_hit(self) -> None:
        """Scroll so the hit shows whole, centred; a message taller than the view shows
        from its top, or, when its first marked word would be below the view, from a
        little above that word."""
        marks = self.hit_marks
        if marks is None or not self._hold_hit:
            return
        self.widget().layout().activate()
        self.column_layout.activate()
        widget = marks.target
        top = widget.mapTo(self.widget(), QPoint(0, 0)).y()
        view = self.viewport().height()
        if widget.height() + 2 * HIT_MARGIN <= view:
            value = top + widget.height() // 2 - view // 2
        else:
            value = top - HIT_MARGIN
            words = marks.word_rects()
            if words and top + words[0].bottom() > value + view - HIT_MARGIN:
                value = top + int(words[0].top()) - view // 3
        self.verticalScrollBar().setValue(value)

    def _clear_hit(self) -> None:
        if self.hit_marks is not None:
            self.hit_marks.deleteLater()
        self.hit_marks = None
        self._hold_hit = False

    def _on_reader_scrolled(self, _action: int) -> None:
        self._hold_hit = False  # the reader moved on: the hit no longer holds the view

    def add_message(self, message: Message) -> None:
        if self.conversation is not None and self.conversation.branches:
            self._positions = self.conversation.alternative_positions()  # a regenerated reply
        self._add_widget(message)
        self._update_empty_state()
        self._stick_to_bottom = True
        self._hold_hit = False

    def on_message_added(self, conversation_id: str, message: Message) -> None:
        """The controller added a message somewhere: shown if it is this conversation's."""
        if self._shows(conversation_id):
            self.add_message(message)

    def on_message_changed(self, conversation_id: str, message_id: str) -> None:
        if self._shows(conversation_id):
            self.update_message(message_id)

    def on_message_removed(self, conversation_id: str, message_id: str) -> None:
        if self._shows(conversation_id):
            self.remove_message(message_id)

    def _shows(self, conversation_id: str) -> bool:
        return self.conversation is not None and self.conversation.id == conversation_id

    def update_message(self, message_id: str) -> None:
        """Schedule a repaint of one message (coalesced to the frame rate)."""
        self._dirty.add(message_id)
        if not self._repaint_timer.isActive():
            self._repaint_timer.start()

    def remove_message(self, message_id: str) -> None:
        widget = self._widgets.pop(message_id, None)
        if widget is not None and self.hit_marks is not None and self.hit_marks.target is widget:
            self._clear_hit()
        if widget is not None:
            self.column_layout.removeWidget(widget)
            widget.deleteLater()
        self._update_empty_state()

    def widget_for(self, message_id: str) -> QWidget | None:
        return self._widgets.get(message_id)

    def has_pending_repaints(self) -> bool:
        """Whether a change is not on screen yet (a reply still catching up with its stream)."""
        return bool(self._dirty)

    def repaint_now(self) -> None:
        """Repaint pending changes now rather than at the next frame; a reply still catching
        up with a fast stream goes on at the frame rate."""
        self._repaint_timer.stop()
        self._repaint_dirty()

    def flush(self) -> None:
        """Repaint pending changes now, all of them (tests, and before a screenshot)."""
        self._repaint_timer.stop()
        self._repaint_dirty(paced=False)

    def scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- reading a long conversation -----------------------------------------------------------

    def _install_reading_aids(self) -> None:
        """The floating ↓ that jumps back to the latest message while scrolled up, and
        keyboard focus that is always in sight."""
        self.jump_button = JumpToLatestButton(
            self, self.theme, self.jump_to_latest,
            lambda bottom: self.setViewportMargins(0, 0, 0, bottom))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Tab moved the focus to a control in the column (an action, a link, Copy): scroll
        it into view, or the focus ring would be off screen. A click needs no scrolling (and
        a click in a long reply must not move it)."""
        if (new is not None and shiboken6.isValid(self) and self.widget().isAncestorOf(new)
                and QApplication.mouseButtons() == Qt.MouseButton.NoButton):
            self.ensureWidgetVisible(new, 0, 24)

    def jump_to_latest(self) -> None:
        """Back to the end of the conversation, following a streaming reply again."""
        self._keep_from_bottom = None
        self._stick_to_bottom = True
        self.scroll_to_bottom()

    def scroll_page(self, pages: int) -> None:
        """Scroll the column by whole pages (PageUp/PageDown, from the composer too): -1 up,
        1 down; a page is the view's height less a few lines, so the reader keeps their
        place. The step is the same whether or not the ↓ button's band shows (it shows once
        scrolled up), so PageDown undoes PageUp exactly."""
        bar = self.verticalScrollBar()
        text_height = self.viewport().height() + self.viewportMargins().bottom() - JUMP_ROOM
        step = max(1, text_height - 3 * self.fontMetrics().lineSpacing())
        bar.setValue(bar.value() + pages * step)

    # -- internals ------------------------------------------------------------------------------

    def _add_widget(self, message: Message, at: int | None = None) -> bool:
        """Build a message's widget (False: it has none, such as Cairn's own "continue" and
        tool results turns, whose reply reads as the end of the one before)."""
        if message.is_cairn_turn:
            return False
        position = self._positions.get(message.id, (1, 1))
        widget: QWidget
        if message.role == "user":
            widget = UserMessageWidget(
                message, self._describer, self.theme, self.requests, position, self.column)
        else:
            widget = ReplyWidget(message, self, position)
        self._widgets[message.id] = widget
        index = self.column_layout.count() - 1 if at is None else at
        self.column_layout.insertWidget(index, widget)
        return True

    def _repaint_dirty(self, *, paced: bool = True) -> None:
        dirty, self._dirty = self._dirty, set()
        for message_id in dirty:
            widget = self._widgets.get(message_id)
            if isinstance(widget, ReplyWidget) and not widget.refresh(paced=paced):
                self.update_message(message_id)  # still catching up with a fast stream
            elif isinstance(widget, UserMessageWidget):
                widget.refresh()

    def _update_empty_state(self) -> None:
        self.empty_state.setVisible(not self._widgets)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Paint and self._fill_after_paint:
            self._fill_after_paint = False  # first paint first (opening stays quick), then fill
            QTimer.singleShot(0, self, self._fill_view)
        return handled

    def _fill_view(self) -> None:
        if self.verticalScrollBar().maximum() < LOAD_EARLIER_MARGIN:
            self.load_earlier()

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 24
        if value < LOAD_EARLIER_MARGIN and self._first_built > 0 and bar.maximum() > 0:
            self.load_earlier()

    def _column_height(self) -> int:
        return self.verticalScrollBar().maximum() + self.viewport().height()

    def _from_bottom(self) -> int:
        """From the top of what shows to the end of the column, in px: kept when messages are
        built above, and unchanged when the ↓ button's band makes the viewport shorter."""
        bar = self.verticalScrollBar()
        return bar.maximum() + self.viewport().height() - bar.value()

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if maximum < LOAD_EARLIER_MARGIN and self._first_built > 0:
            # Short messages may not fill the view, and without a scroll bar nobody can
            # scroll up for more: build the next page as soon as the loop is free.
            QTimer.singleShot(0, self, self._fill_view)
        column = maximum + self.viewport().height()
        if self._keep_from_bottom is not None and column == self._column_height_then:
            pass  # only the ↓ button's band came or went: the new messages are not laid out yet
        elif self._keep_from_bottom is not None:  # earlier messages were built above
            self.verticalScrollBar().setValue(column - self._keep_from_bottom)
            self._keep_from_bottom = None
        elif self._hold_hit:  # the column is still settling around an opened search hit
            QTimer.singleShot(0, self, self._scroll_to_hit)
        elif self._stick_to_bottom:
            self.verticalScrollBar().setValue(maximum)
