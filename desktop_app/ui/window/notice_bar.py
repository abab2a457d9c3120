"""The bar above the messages that says one thing and offers one button: a notice with ×
(an import's result, a start-up problem) or "Deleted “…”." with Undo, for a few seconds.

A notice about one conversation (an export of it) closes when another conversation is
shown, so it is never read as being about that one; a notice about a file written (an
export, a backup) offers "Show in folder", which opens the folder only when clicked.

Signals:
    action_clicked(str): the action button (Undo) was pressed; the subject the bar was shown
        for (a conversation id) comes with it. The bar hides itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme


class NoticeBar(QWidget):
    """See the module docstring.

    Args:
        action: the text of the action button (Undo); without it the bar has a × that
            dismisses it.
        action_name: the button's accessible name.
    """

    action_clicked = Signal(str)

    def __init__(
        self, action: str | None = None, action_name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NoticeBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._subject = ""
        self._conversation_id = ""  # the conversation the notice is about ("" : none)
        self._folder: Path | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # titles, file names: never markup
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button: QAbstractButton
        if action is None:
            self.button = QToolButton()
            self.button.setAutoRaise(True)
            self.button.setAccessibleName(self.tr("Dismiss"))
            self.button.clicked.connect(self.hide)
        else:
            self.button = QPushButton(action)
            self.button.setAccessibleName(action_name or action)
            self.button.clicked.connect(self._on_action)
        self._dismiss_only = action is None
        self.folder_button = QPushButton(self.tr("Show in folder"))
        self.folder_button.setAccessibleName(self.tr("Show the file in its folder"))
        self.folder_button.clicked.connect(self._on_show_folder)
        self.folder_button.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        layout = QHBoxLayout(self)
        vertical = 6 if self._dismiss_only else 4  # a push button is taller than the ×
        layout.setContentsMargins(14, vertical, 8, vertical)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.folder_button)
        layout.addWidget(self.button)
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        if self._dismiss_only:
            self.button.setIcon(icon("x", theme.muted, 14))

    def show_message(
        self, text: str, *, subject: str = "", seconds: float | None = None,
        conversation_id: str = "", folder: Path | None = None,
    ) -> None:
        """Show ``text``; ``subject`` comes back with ``action_clicked``; with ``seconds``
        the bar hides itself after that long.

        Args:
            conversation_id: the conversation the notice is about: it closes when another
                one is shown (see ``on_conversation_shown``).
            folder: a folder the notice is about (where an export was written): the bar
                offers "Show in folder".
        """
        self._subject = subject
        self._conversation_id = conversation_id
        self._folder = folder
        self.label.setText(text)
        self.folder_button.setVisible(folder is not None)
        self.show()
        if seconds is None:
            self._timer.stop()
        else:
            self._timer.start(int(seconds * 1000))

    def text(self) -> str:
        return self.label.text()

    def on_conversation_shown(self, conversation_id: str | None) -> None:
        """Another conversation is on screen: a notice about a different one closes."""
        if self._conversation_id and conversation_id != self._conversation_id:
            self.hide()

    def _on_show_folder(self) -> None:
        if self._folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))

    def _on_action(self) -> None:
        subject, self._subject = self._subject, ""
        self.action_clicked.emit(subject)
        self.hide()
