"""The user's message: a soft bubble on the right with its attachments, actions under it, and
an inline editor for "edit and resend".

A very long message (a pasted log of several megabytes) is shown in part, with "Show all":
a label laying out 5 MB held the window for seconds. "Show all" shows the rest as plain-text
pieces, a few per frame, so it is never laid out whole at once. The message itself always
holds, copies and sends all of it.

What the reader asks of it (send an edited copy, another version) and the "Message copied"
confirmation go to the view's ``MessageRequests``; the widget has no signals of its own.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.conversation import Message
from desktop_app.core.markdown_pieces import plain_cut
from desktop_app.core.safe_html import plain_to_html
from desktop_app.ui.lib import thumbnails
from desktop_app.ui.messages.message_actions import MessageActions
from desktop_app.ui.messages.message_requests import MessageRequests
from desktop_app.ui.messages.rich_text_view import RichTextView
from desktop_app.ui.lib.theme import Theme

THUMBNAIL_EDGE = 160
LONG_MESSAGE_CHARS = 10_000  # longer messages are shown in part, with "Show all"
PREVIEW_CHARS = 3_000  # how much of such a message is shown at first ...
PREVIEW_LINES = 24  # ... at most (a pasted log shows its first lines, not a screenful and more)
PIECE_CHARS = 8_000  # "Show all" lays the text out in pieces of at most this size ...
PIECES_PER_STEP = 2  # ... this many per step, a step every frame
EDITOR_MAX_LINES = 12  # an edited message grows to this many lines, then scrolls


class AttachmentLookup(Protocol):
    def attachment_path(self, sha256: str) -> Path | None: ...


class _EditBox(QPlainTextEdit):
    """The editor: Ctrl+Enter sends, Esc cancels (before the window's Esc, which stops a
    reply, can take it)."""

    submitted = Signal()
    cancelled = Signal()

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape):
            event.accept()  # delivered as a key press, to keyPressEvent
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submitted.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


class UserMessageWidget(QWidget):
    """See the module docstring.

    Args:
        requests: the view's ``MessageRequests``, where what the reader asks is sent.
    """

    def __init__(
        self,
        message: Message,
        lookup: AttachmentLookup,
        theme: Theme,
        requests: MessageRequests,
        position: tuple[int, int] = (1, 1),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._requests = requests
        self.message = message
        self.message_id = message.id
        self.thumbnails: list[QLabel] = []
        self.attachments = self._attachment_row(message, lookup)
        self.bubble = QFrame()
        self.bubble.setObjectName("UserBubble")
        self.label = QLabel()
        self.label.setObjectName("UserText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = message.text
        shown = text
        if len(text) > LONG_MESSAGE_CHARS:
            preview = plain_cut(text, PREVIEW_CHARS // 2, PREVIEW_CHARS)
            line_end = -1
            for _ in range(PREVIEW_LINES):
                line_end = text.find("\n", line_end + 1, preview)
                if line_end < 0:
                    break
            else:
                preview = line_end + 1
            shown = text[:preview].rstrip() + " …"
        self.label.setText(plain_to_html(shown))
        self.label.setAccessibleName(self.tr("Your message"))
        self._inner = inner = QVBoxLayout(self.bubble)
        inner.setContentsMargins(14, 10, 14, 10)
        if self.attachments is not None:
            inner.addWidget(self.attachments)
        inner.addWidget(self.label)
        self.label.setVisible(bool(message.text))
        self._pieces_layout = QVBoxLayout()  # the whole text, after "Show all"
        self._pieces_layout.setSpacing(0)  # the pieces read as one text
        inner.addLayout(self._pieces_layout)
        self.pieces: list[RichTextView] = []
        self._next_piece = 0  # where the next piece starts in the text
        self._piece_timer = QTimer(self)
        self._piece_timer.setInterval(16)
        self._piece_timer.timeout.connect(self._add_pieces)
        self.show_all_row: QWidget | None = None
        self.show_all_button: QPushButton | None = None
        self._text_width = 40  # the text's width in the bubble (set on resize)
        self._wrap_width = 40  # where long text wraps: 80 % of the column (set on resize)
        if shown is not text:
            self._add_show_all_row(preview, len(text))
        self.bubble.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self._natural_width = max(
            (self.label.fontMetrics().horizontalAdvance(line) for line in shown.splitlines()),
            default=0,
        ) + 4
        if self.attachments is not None:
            self._natural_width = max(self._natural_width, self.attachments.sizeHint().width())

        self.actions = MessageActions(theme, requests, message.id, what="message",
                                      editable=True, retryable=False)
        self.actions.set_position(*position)
        self.actions.copy_clicked.connect(self._copy)
        self.actions.edit_clicked.connect(self.start_editing)

        self.editor = self._make_editor()
        inner.addWidget(self.editor)
        self.editor.hide()

        bubble_row = QHBoxLayout()
        bubble_row.addStretch(1)
        bubble_row.addWidget(self.bubble)
        self.excluded_note = QLabel(self.tr(
            "Not sent to Claude any more: Claude declined it. Edit it to ask differently."))
        self.excluded_note.setObjectName("MessageFooter")
        self.excluded_note.setWordWrap(True)
        self.excluded_note.setAlignment(Qt.AlignmentFlag.AlignRight)
        actions_row = QHBoxLayout()
        actions_row.addStretch(1)
        actions_row.addWidget(self.excluded_note)
        actions_row.addWidget(self.actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(bubble_row)
        layout.addLayout(actions_row)
        self.refresh()

    def refresh(self) -> None:
        """Show whether the message is still sent to Claude (a refused one is not)."""
        self.excluded_note.setVisible(bool(self.message.excluded))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Short messages hug their text; long ones wrap at 80 % of the column (as wide as
        that while being edited, with room to write more)."""
        limit = self._wrap_width = int(event.size().width() * 0.8) - 28
        width = self._text_width = max(40, min(self._natural_width, limit))
        self.label.setFixedWidth(width)
        for piece in self.pieces:
            piece.setFixedWidth(width)
        self.editor.setMinimumWidth(max(40, limit))  # wider with a wide row of pictures
        super().resizeEvent(event)
        if self.editing:
            self._fit_editor_height()

    @property
    def shown_in_part(self) -> bool:
        """Whether only the start of a very long message is on screen."""
        return self.show_all_row is not None and not self.show_all_row.isHidden()

    def show_all(self) -> None:
        """Show the whole message: plain-text pieces, a few each frame."""
        if self.show_all_row is None or self.pieces or self._piece_timer.isActive():
            return
        self.show_all_row.hide()
        self._add_pieces()
        self.label.hide()
        self._piece_timer.start()

    def _add_show_all_row(self, shown: int, total: int) -> None:
        row = QWidget()
        note = QLabel(self.tr("Showing the first {shown} of {total} characters.").format(
            shown=f"{shown:,}", total=f"{total:,}"))
        note.setObjectName("HintLabel")
        note.setWordWrap(True)
        self.show_all_button = QPushButton(self.tr("Show all"))
        self.show_all_button.setAccessibleName(self.tr("Show all of your message"))
        self.show_all_button.clicked.connect(self.show_all)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(note, 1)
        layout.addWidget(self.show_all_button)
        self._inner.addWidget(row)
        self.show_all_row = row

    def _add_pieces(self) -> None:
        text = self.message.text
        for _ in range(PIECES_PER_STEP):
            start = self._next_piece
            if start >= len(text):
                self._piece_timer.stop()
                return
            end = len(text) if len(text) - start <= PIECE_CHARS else plain_cut(
                text, start + PIECE_CHARS // 2, start + PIECE_CHARS)
            piece = RichTextView()
            piece.setObjectName("UserText")
            piece.setAccessibleName(self.tr("Your message"))
            chunk = text[start:end]
            piece.setText('<p style="margin:0; white-space:pre-wrap">'
                          f'{html.escape(chunk[:-1] if chunk.endswith(chr(10)) else chunk)}</p>')
            piece.setFixedWidth(self._text_width)
            self._pieces_layout.addWidget(piece)
            self.pieces.append(piece)
            self._next_piece = end

    @property
    def text(self) -> str:
        return self.label.text()

    @property
    def editing(self) -> bool:
        return not self.editor.isHidden()

    def start_editing(self) -> None:
        """Edit the message in its own bubble: the text becomes editable in place, its
        pictures stay above it, Cancel and Send below it."""
        self.edit_box.setPlainText(self.message.text)
        for shown in (self.label, self.show_all_row, *self.pieces):
            if shown is not None:
                shown.hide()
        self.actions.hide()
        self.editor.show()
        self._set_bubble_editing(True)
        self._fit_editor_height()
        self.edit_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edit_box.selectAll()

    def cancel_editing(self) -> None:
        self.editor.hide()
        self._set_bubble_editing(False)
        if self.pieces:
            for piece in self.pieces:
                piece.show()
        else:
            self.label.setVisible(bool(self.message.text))
            if self.show_all_row is not None:
                self.show_all_row.show()
        self.actions.show()

    def _make_editor(self) -> QWidget:
        """The editor that takes the text's place in the bubble (hidden until Edit)."""
        editor = QWidget()
        editor.setObjectName("EditFrame")
        self.edit_box = _EditBox()
        self.edit_box.setObjectName("EditBox")
        self.edit_box.setFrameShape(QFrame.Shape.NoFrame)
        self.edit_box.setAccessibleName(self.tr("Edit your message"))
        self.edit_box.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.edit_box.document().setDocumentMargin(0)
        self.edit_box.submitted.connect(self._submit)
        self.edit_box.cancelled.connect(self.cancel_editing)
        # Lines wrap at the editor's width: refit whenever the wrapped height changes.
        self.edit_box.document().documentLayout().documentSizeChanged.connect(
            lambda _size: self._fit_editor_height())
        self.send_edit_button = QPushButton(self.tr("Send"))
        self.send_edit_button.setObjectName("PrimaryButton")
        self.send_edit_button.setToolTip(self.tr("Send the edited message (Ctrl+Enter)"))
        self.send_edit_button.clicked.connect(self._submit)
        self.cancel_edit_button = QPushButton(self.tr("Cancel"))
        self.cancel_edit_button.setToolTip(self.tr("Keep the message as it was (Esc)"))
        self.cancel_edit_button.clicked.connect(self.cancel_editing)
        note = QLabel(self.tr("Sending the edit starts a new version; the old one is kept."))
        note.setObjectName("HintLabel")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 4, 0, 0)
        buttons.addWidget(note, 1)
        buttons.addWidget(self.cancel_edit_button)
        buttons.addWidget(self.send_edit_button)
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.edit_box)
        layout.addLayout(buttons)
        return editor

    def _set_bubble_editing(self, editing: bool) -> None:
        self.bubble.setProperty("editing", editing)
        self.bubble.style().unpolish(self.bubble)
        self.bubble.style().polish(self.bubble)

    def _fit_editor_height(self) -> None:
        """From two lines to twelve as the text wraps at the editor's width, then scroll."""
        lines = max(2, min(EDITOR_MAX_LINES, int(self.edit_box.document().size().height())))
        margins = self.edit_box.contentsMargins()
        self.edit_box.setFixedHeight(self.edit_box.fontMetrics().lineSpacing() * lines
                                     + margins.top() + margins.bottom() + 2)

    def _submit(self) -> None:
        text = self.edit_box.toPlainText()
        if not text.strip() and self.attachments is None:
            return  # an edit must say something
        self._requests.edit_requested.emit(self.message_id, text)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.message.text)
        self._requests.status_message.emit(self.tr("Message copied"))

    def _show_thumbnail(self, label: QLabel, path: Path, notes: dict[str, object]) -> None:
        """The picture's thumbnail, decoded on a worker thread; until it arrives, an empty
        space of its size (known from the stored notes) so the message does not jump."""
        width, height = notes.get("width"), notes.get("height")
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            scale = min(1.0, THUMBNAIL_EDGE / max(width, height))
            label.setMinimumSize(max(1, round(width * scale)), max(1, round(height * scale)))

        def show(image: QImage | None) -> None:
            if not shiboken6.isValid(label):
                return  # the message was closed meanwhile
            if image is None:
                label.setText(self.tr("[image missing]"))
            else:
                label.setPixmap(QPixmap.fromImage(image))

        thumbnails.loader().request(path, THUMBNAIL_EDGE, show)

    def _attachment_row(self, message: Message, lookup: AttachmentLookup) -> QWidget | None:
        """Thumbnails for stored images, a line for PDFs, image links and files given to
        code execution."""
        blocks = [b for b in message.content
                  if b.get("type") in ("image", "document", "container_upload")]
        if not blocks:
            return None
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for block in blocks:
            source = block.get("source") or {}
            notes = block.get("cairn") or {}
            label = QLabel()
            label.setObjectName("UserImage")
            if block["type"] == "image" and source.get("type") == "cairn_attachment":
                path = lookup.attachment_path(str(source.get("sha256")))
                if path is None:
                    label.setText(self.tr("[image missing]"))
                else:
                    self._show_thumbnail(label, path, notes)
                name = notes.get("name") or self.tr("image")
                label.setToolTip(f"{name} · {notes.get('width')}×{notes.get('height')}")
                self.thumbnails.append(label)
            elif block["type"] == "container_upload":
                name = notes.get("name") if isinstance(notes, dict) else None
                label.setText(self.tr("File for code execution · {name}").format(
                    name=name or block.get("file_id", "")))
                label.setToolTip(str(block.get("file_id", "")))
            elif block["type"] == "image":
                label.setText(self.tr("Image link: {url}").format(url=source.get("url", "")))
                label.setWordWrap(True)
            else:
                pages = notes.get("pages")
                name = notes.get("name") or self.tr("document")
                pages_text = " · " + self.tr("{pages} pages").format(pages=pages) if pages else ""
                label.setText(f"PDF · {name}{pages_text}")
            layout.addWidget(label)
        layout.addStretch(1)
        return row
