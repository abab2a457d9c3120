"""The composer: a growing text field with a Send button that turns into Stop.

Signals:
    send_requested(str): Enter or Send with text or attachments.
    stop_requested: Esc or Stop while a reply streams.
    attach_file_requested / attach_url_requested: the attach menu was used.
    attach_code_file_requested: "File for code execution…" (offered while the conversation
        has code execution on).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.menus import add_item, popup_under_button, shortcut_keys
from desktop_app.ui.lib.theme import Theme

MAX_LINES = 10


class ComposerEdit(QPlainTextEdit):
    """Plain text only (no pasted formatting); Enter sends, Shift+Enter breaks the line.
    Pasted images and image files become attachments instead of text. PageUp and PageDown
    scroll the conversation above (``page_requested``: -1 up, 1 down), as in other chat
    apps: the draft is a few lines, the conversation is what a reader pages through."""

    submitted = Signal()
    escape_pressed = Signal()
    image_pasted = Signal(QMimeData)  # the picture is taken out (and decoded) elsewhere
    files_pasted = Signal(list)
    page_requested = Signal(int)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802
        return source.hasImage() or bool(_local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        files = _local_files(source)
        if files:
            self.files_pasted.emit(files)
        elif source.hasImage():
            self.image_pasted.emit(source)
        else:
            self.insertPlainText(source.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        pages = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1}.get(Qt.Key(event.key()))
        if pages is not None and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.page_requested.emit(pages)  # Shift+PageUp still selects in the draft
            return
        super().keyPressEvent(event)


def _local_files(source: QMimeData) -> list[Path]:
    if not source.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]


class Composer(QWidget):
    """The bottom of the conversation. See the module docstring for its signals."""

    send_requested = Signal(str)
    stop_requested = Signal()
    attach_file_requested = Signal()
    attach_url_requested = Signal()
    attach_code_file_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._busy = False
        self._has_attachments = False
        self.attach_button = QToolButton()
        self.attach_button.setObjectName("AttachButton")
        self.attach_button.setToolTip(self.tr("Attach an image or PDF (Ctrl+O), or an image link"))
        self.attach_button.setAccessibleName(self.tr("Attach"))
        # Opened by hand rather than with setMenu(): a tool button's own menu drops below it
        # whenever the screen has room, past the window's bottom edge where the composer is.
        self.attach_menu = QMenu(self.attach_button)
        self.attach_menu.setToolTipsVisible(True)
        add_item(self.attach_menu, self.tr("Image or PDF file…"),
                 self.attach_file_requested.emit, shortcut_keys("attach_files"))
        self.attach_menu.addAction(self.tr("Image link…"), self.attach_url_requested.emit)
        self.code_file_action = self.attach_menu.addAction(
            self.tr("File for code execution…"), self.attach_code_file_requested.emit)
        self.code_file_action.setToolTip(self.tr(
            "Upload any file (data, a script, a spreadsheet) for Claude's code to use"))
        self.code_file_action.setVisible(False)
        self.attach_button.clicked.connect(
            lambda: popup_under_button(self.attach_menu, self.attach_button))
        self.frame = QFrame()
        self.frame.setObjectName("ComposerFrame")
        self.edit = ComposerEdit()
        self.edit.setObjectName("ComposerEdit")
        self.edit.setPlaceholderText(self.tr("Message Claude…"))
        self.edit.setAccessibleName(self.tr("Message"))
        self.edit.setTabChangesFocus(True)
        self.edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.submitted.connect(self._on_send_clicked)
        self.edit.escape_pressed.connect(self._on_escape)
        self.edit.installEventFilter(self)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("SendButton")
        self.send_button.setAccessibleName(self.tr("Send"))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.clicked.connect(self._on_send_clicked)

        row = QHBoxLayout(self.frame)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(8)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.edit, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.frame)
        self._update_height()
        self._update_button()

    @property
    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)

    def clear(self) -> None:
        self.edit.clear()

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        """While a reply streams, Send becomes Stop."""
        self._busy = busy
        self._update_button()

    def set_has_attachments(self, present: bool) -> None:
        """A message may be only attachments: Send is enabled with no text then."""
        self._has_attachments = present
        self._update_button()

    def set_code_execution(self, on: bool) -> None:
        """Offer "File for code execution…" while the conversation has code execution on."""
        self.code_file_action.setVisible(on)
        self.attach_button.setToolTip(self.tr(
            "Attach an image or PDF (Ctrl+O), an image link, or a file for code execution")
            if on else self.tr("Attach an image or PDF (Ctrl+O), or an image link"))

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.attach_button.setIcon(icon("paperclip", theme.muted, 18))
        self._update_button()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.frame.setProperty("focused", event.type() == QEvent.Type.FocusIn)
            self.frame.style().unpolish(self.frame)
            self.frame.style().polish(self.frame)
        return super().eventFilter(watched, event)

    def _on_text_changed(self) -> None:
        self._update_height()
        self._update_button()

    def _on_send_clicked(self) -> None:
        if self._busy:
            self.stop_requested.emit()
        elif self.text.strip() or self._has_attachments:
            self.send_requested.emit(self.text)

    def _on_escape(self) -> None:
        if self._busy:
            self.stop_requested.emit()

    def _update_button(self) -> None:
        t = self._theme
        if self._busy:
            self.send_button.setText(self.tr("Stop"))
            self.send_button.setIcon(icon("stop", t.window, 14))
            self.send_button.setToolTip(self.tr("Stop the reply (Esc)"))
            self.send_button.setAccessibleName(self.tr("Stop"))
            self.send_button.setEnabled(True)
        else:
            self.send_button.setText(self.tr("Send"))
            self.send_button.setIcon(icon("send", t.accent_text, 14))
            self.send_button.setToolTip(self.tr("Send (Enter)"))
            self.send_button.setAccessibleName(self.tr("Send"))
            self.send_button.setEnabled(bool(self.text.strip()) or self._has_attachments)
        self.send_button.setProperty("stopping", self._busy)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)

    def _update_height(self) -> None:
        """Grow from one line to MAX_LINES, then scroll."""
        metrics = self.edit.fontMetrics()
        document = self.edit.document()
        wanted = int(document.size().height())
        lines = max(1, min(MAX_LINES, wanted))
        self.edit.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if wanted > MAX_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        margins = self.edit.contentsMargins()
        height = lines * metrics.lineSpacing() + 2 * int(document.documentMargin()) \
            + margins.top() + margins.bottom()
        self.edit.setFixedHeight(height)
