"""The API key dialog: paste a key once; it goes to the OS keyring, never to a file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.lib.async_dialogs import save_cancel_buttons

KEYS_URL = "https://console.anthropic.com/settings/keys"


class KeyDialog(QDialog):
    """Asks for the key; ``key`` holds what was entered once accepted."""

    def __init__(self, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Claude API key"))
        self.setModal(True)
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr(
                "<b>Connect Cairn to Claude</b><br>Paste your Anthropic API key. It is kept in "
                "your system's keyring and never written to a file. "
                '<a href="{0}">Create a key in the Claude Console</a>.'
            ).format(KEYS_URL)
        )
        intro.setWordWrap(True)
        intro.setOpenExternalLinks(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.reason = QLabel(reason)
        self.reason.setObjectName("KeyDialogReason")
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("sk-ant-…")
        self.field.setAccessibleName(self.tr("API key"))
        self.field.textChanged.connect(self._on_changed)
        self.buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.field)
        layout.addWidget(self.buttons)
        self._on_changed("")

    @property
    def key(self) -> str:
        return self.field.text().strip()

    def _on_changed(self, _text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(len(self.key) >= 8)
