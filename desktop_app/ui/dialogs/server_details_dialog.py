"""A server's failure in full: the reason, and the last lines it wrote to its error output
(where a program says why it would not start: a missing module, a bad key, a port in use).
Copy puts both on the clipboard, for an issue report."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.mcp_connection import ServerState
from desktop_app.core.mcp_servers import McpServerConfig
from desktop_app.ui.dialogs.server_state_text import state_sentence
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog


class ServerDetailsDialog(WrappedTextDialog):
    """What is known about one server's state, read-only."""

    def __init__(
        self, config: McpServerConfig, state: ServerState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Details: {name}").format(name=config.name))
        self.setMinimumWidth(560)
        self.sentence = QLabel(state_sentence(config, state))
        self.sentence.setWordWrap(True)
        lines = list(state.stderr_tail)
        heading = QLabel(self.tr("Last lines of its error output:") if lines
                         else self.tr("It wrote nothing to its error output."))
        heading.setObjectName("HintLabel")
        heading.setWordWrap(True)
        self.output = QPlainTextEdit("\n".join(lines))
        self.output.setObjectName("FramedText")
        self.output.setReadOnly(True)
        self.output.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setAccessibleName(self.tr("Error output"))
        self.output.setMinimumHeight(200)
        self.output.setVisible(bool(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setAutoDefault(False)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._copy)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.sentence)
        layout.addWidget(heading)
        layout.addWidget(self.output, 1)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        text = self.sentence.text()
        if self.output.toPlainText():
            text += "\n\n" + self.output.toPlainText()
        QGuiApplication.clipboard().setText(text)
