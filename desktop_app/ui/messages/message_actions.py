"""The quiet row of actions under a message: ``< 1/2 >`` between alternatives, Copy, Edit,
Retry. Icons only, with tooltips and accessible names, all reachable with Tab.

Retry and the version arrows go straight to the view's ``MessageRequests`` with the message's
id; Copy and Edit stay with the message widget, which knows its text and its editor.

Signals (on MessageActions):
    copy_clicked, edit_clicked: the action was used.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.messages.message_requests import MessageRequests


class MessageActions(QWidget):
    """See the module docstring.

    Args:
        requests: where Retry and the version arrows are sent, as (message id, ...).
        message_id: the message these actions are for.
    """

    copy_clicked = Signal()
    edit_clicked = Signal()

    def __init__(
        self, theme: Theme, requests: MessageRequests, message_id: str, *, what: str,
        editable: bool, retryable: bool, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.previous_button = self._button(
            "chevron-left", self.tr("Previous version"), theme, self)
        self.previous_button.clicked.connect(
            lambda: requests.branch_requested.emit(message_id, -1))
        self.position = QLabel()
        self.position.setObjectName("BranchPosition")
        self.position.setAccessibleName(self.tr("Version"))
        self.next_button = self._button("chevron-right", self.tr("Next version"), theme, self)
        self.next_button.clicked.connect(lambda: requests.branch_requested.emit(message_id, 1))
        copy_tip = self.tr("Copy reply (Markdown)") if what == "reply" else self.tr(
            "Copy message (Markdown)")
        self.copy_button = self._button("copy", copy_tip, theme, self)
        self.copy_button.clicked.connect(self.copy_clicked)
        self.edit_button = self._button("pencil", self.tr("Edit and resend"), theme, self)
        self.edit_button.clicked.connect(self.edit_clicked)
        self.retry_button = self._button("retry", self.tr("Regenerate this reply"), theme, self)
        self.retry_button.clicked.connect(lambda: requests.retry_requested.emit(message_id))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget in (self.previous_button, self.position, self.next_button, self.copy_button,
                       self.edit_button, self.retry_button):
            layout.addWidget(widget)
        # Only once they have a parent: showing a parentless widget opens a window.
        self.edit_button.setVisible(editable)
        self.retry_button.setVisible(retryable)
        self.set_position(1, 1)

    def set_position(self, position: int, count: int) -> None:
        """Show ``< position/count >`` when there are alternatives, nothing otherwise."""
        several = count > 1
        self.position.setText(f"{position}/{count}")
        self.position.setAccessibleDescription(
            self.tr("Version {position} of {count}").format(position=position, count=count))
        for widget in (self.previous_button, self.position, self.next_button):
            widget.setVisible(several)
        self.previous_button.setEnabled(position > 1)
        self.next_button.setEnabled(position < count)

    @staticmethod
    def _button(name: str, tip: str, theme: Theme, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName("MessageAction")
        button.setIcon(icon(name, theme.muted, 14))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAutoRaise(True)
        return button
