"""The bar above the messages that says one thing and offers one button: a notice with ×
(an import's result, a start-up problem) or "Deleted “…”." with Undo, for a few seconds.

Signals:
    action_clicked(str): the action button (Undo) was pressed; the subject the bar was shown
        for (a conversation id) comes with it. The bar hides itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
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
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # titles, file names: never markup
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button: QAbstractButton
        if action is None:
            self.button = QToolButton()
            self.button.setAccessibleName(self.tr("Dismiss"))
            self.button.clicked.connect(self.hide)
        else:
            self.button = QPushButton(action)
            self.button.setAccessibleName(action_name or action)
            self.button.clicked.connect(self._on_action)
        self._dismiss_only = action is None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        layout = QHBoxLayout(self)
        vertical = 6 if self._dismiss_only else 4  # a push button is taller than the ×
        layout.setContentsMargins(14, vertical, 8, vertical)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def apply_theme(self, theme: Theme) -> None:
        if self._dismiss_only:
            self.button.setIcon(icon("x", theme.muted, 14))

    def show_message(self, text: str, *, subject: str = "", seconds: float | None = None) -> None:
        """Show ``text``; ``subject`` comes back with ``action_clicked``; with ``seconds``
        the bar hides itself after that long."""
        self._subject = subject
        self.label.setText(text)
        self.show()
        if seconds is None:
            self._timer.stop()
        else:
            self._timer.start(int(seconds * 1000))

    def text(self) -> str:
        return self.label.text()

    def _on_action(self) -> None:
        subject, self._subject = self._subject, ""
        self.action_clicked.emit(subject)
        self.hide()
