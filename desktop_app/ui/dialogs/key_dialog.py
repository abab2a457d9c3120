"""The API key dialog: paste a key once; it goes to the OS keyring, never to a file.

When the key in use comes from ``ANTHROPIC_API_KEY``, the dialog says so before the paste
field: that variable wins at every start, so a key pasted here lasts only until Cairn closes,
and the way to change the key for good is to change the variable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.lib.async_dialogs import save_cancel_buttons

KEYS_URL = "https://console.anthropic.com/settings/keys"
MIN_KEY_LENGTH = 8  # shorter is a slip of the paste, not a key


class KeyDialog(WrappedTextDialog):
    """Asks for the key; ``key`` holds what was entered once accepted."""

    def __init__(
        self, reason: str = "", parent: QWidget | None = None, *, from_environment: bool = False
    ) -> None:
        """
        Args:
            reason: why the key is asked for (a rejected key, no keyring); none on request.
            parent: the window.
            from_environment: the key in use comes from ``ANTHROPIC_API_KEY``.
        """
        super().__init__(parent)
        self.setWindowTitle(self.tr("Claude API key"))
        self.setModal(True)
        self.setMinimumWidth(460)
        intro = _paragraph(
            self.tr(
                "<b>Connect Cairn to Claude</b><br>Paste your Anthropic API key. It is kept in "
                "your system's keyring and never written to a file. "
                '<a href="{0}">Create a key in the Claude Console</a>.'
            ).format(KEYS_URL)
        )
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setOpenExternalLinks(True)
        self.environment_note = _paragraph(
            self.tr(
                "<b>Cairn is using the key in the ANTHROPIC_API_KEY environment variable.</b> "
                "That variable comes first every time Cairn starts: a key saved here is used "
                "only until Cairn closes. To change the key for good, change or remove "
                "ANTHROPIC_API_KEY where it is set (your shell profile or the launcher) and "
                "restart Cairn."
            )
        )
        self.environment_note.setObjectName("KeyDialogNotice")
        self.environment_note.setVisible(from_environment)
        self.reason = _paragraph(reason)
        self.reason.setObjectName("KeyDialogReason")
        self.reason.setVisible(bool(reason))
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("sk-ant-…")
        self.field.setAccessibleName(self.tr("API key"))
        self.field.textChanged.connect(self._on_changed)
        self.buttons = save_cancel_buttons(self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.environment_note)
        layout.addWidget(self.reason)
        layout.addWidget(self.field)
        layout.addStretch(1)  # a taller window grows here, not between the paragraphs
        layout.addWidget(self.buttons)
        self._on_changed("")

    @property
    def key(self) -> str:
        return self.field.text().strip()

    def _on_changed(self, _text: str) -> None:
        self.save_button.setEnabled(len(self.key) >= MIN_KEY_LENGTH)


def _paragraph(text: str) -> QLabel:
    """A paragraph that wraps, with its text at its top (never centred in spare height)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label
