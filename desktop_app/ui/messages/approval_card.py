"""The card that asks whether a tool call may run: which server (a program on this computer,
or a remote server and its host), which tool, and the arguments in full, as indented JSON
that scrolls rather than hides anything. Deny is the default button (Enter, and the focus
when the card appears), so a stray key press never runs a tool.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.safe_html import plain_to_html
from desktop_app.core.tool_approvals import ApprovalChoice
from desktop_app.core.tool_specs import ToolSpec
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme

_MAX_ARGUMENT_LINES = 14  # taller arguments scroll inside the card


class ApprovalCard(QFrame):
    """See the module docstring.

    Signals:
        chosen(str): the ``ApprovalChoice`` value the user picked.
    """

    chosen = Signal(str)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ApprovalCard")
        self._theme = theme
        self._arguments_text = ""
        self.heading = QLabel()
        self.heading.setObjectName("ApprovalHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.description = QLabel()
        self.description.setObjectName("ApprovalDescription")
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.arguments = QPlainTextEdit()
        self.arguments.setObjectName("ApprovalArguments")
        self.arguments.setReadOnly(True)
        self.arguments.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.arguments.setAccessibleName(self.tr("The tool call's arguments"))
        self.deny = QPushButton(self.tr("Deny"))
        self.allow_once = QPushButton(self.tr("Allow once"))
        self.allow_conversation = QPushButton(self.tr("Allow for this conversation"))
        self.allow_always = QPushButton(self.tr("Always allow this tool"))
        self.deny.setDefault(True)
        self.deny.setAutoDefault(True)
        for button, choice in ((self.deny, ApprovalChoice.DENY),
                               (self.allow_once, ApprovalChoice.ONCE),
                               (self.allow_conversation, ApprovalChoice.CONVERSATION),
                               (self.allow_always, ApprovalChoice.ALWAYS)):
            button.clicked.connect(lambda _=False, c=choice: self.chosen.emit(c.value))
        self.allow_always.setToolTip(self.tr(
            "Run this tool from now on without asking, in every conversation. You can revoke "
            "it in Settings → Tools."))
        # Two rows, so the card fits a narrow window (800 px) in every language: the safe
        # choices first, the lasting ones under them.
        first_row, second_row = QHBoxLayout(), QHBoxLayout()
        first_row.setSpacing(8)
        second_row.setSpacing(8)
        first_row.addWidget(self.deny)
        first_row.addStretch(1)
        first_row.addWidget(self.allow_once)
        second_row.addStretch(1)
        second_row.addWidget(self.allow_conversation)
        second_row.addWidget(self.allow_always)
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        buttons.addLayout(first_row)
        buttons.addLayout(second_row)
        self.icon = QLabel()
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addWidget(self.arguments)
        layout.addLayout(buttons)

    def ask(self, spec: ToolSpec | None, arguments: str, where: str) -> None:
        """Show what the call would do (``arguments``: the JSON, already indented;
        ``where``: the remote server's host, or the local program's command)."""
        self.icon.setPixmap(icon("alert", self._theme.accent, 18).pixmap(18, 18))
        if spec is None:
            self.heading.setText(self.tr("Claude wants to use a tool that is not available."))
            self.description.hide()
        else:
            place = (self.tr("the remote server <b>{server}</b> at {host}").format(
                        server=_html(spec.server_name), host=_html(where))
                     if spec.remote else
                     self.tr("<b>{server}</b>, a program on this computer ({command})").format(
                        server=_html(spec.server_name), command=_html(where[:200])))
            self.heading.setText(self.tr(
                "Claude wants to run <b>{tool}</b> from {where}.").format(
                    tool=_html(spec.title or spec.tool), where=place))
            description = spec.description.strip()
            self.description.setText(neutralise_bidi(description[:600]))
            self.description.setVisible(bool(description))
        if arguments != self._arguments_text:
            self._arguments_text = arguments
            self.arguments.setPlainText(neutralise_bidi(arguments))
            lines = min(_MAX_ARGUMENT_LINES, arguments.count("\n") + 1)
            height = self.arguments.fontMetrics().lineSpacing() * lines + 14
            self.arguments.setFixedHeight(height)
        if not self.isVisible():
            self.deny.setFocus(Qt.FocusReason.OtherFocusReason)


def _html(text: str) -> str:
    return plain_to_html(neutralise_bidi(text))

