"""About Cairn: version, licence, and where the data lives (with a button to open it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.ui.dialogs.wrapped_text_dialog import WrappedTextDialog
from desktop_app.ui.lib.icons import app_icon


class AboutDialog(WrappedTextDialog):
    """See the module docstring."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Cairn"))
        self.setMinimumWidth(520)
        self.data_dir = data_dir
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(72, 72))
        title = QLabel(
            "<b style='font-size:16pt'>Cairn</b><br>" + self.tr("Version {0}").format(__version__)
        )
        title.setObjectName("AboutTitle")
        text = QLabel(
            self.tr(
                "A native desktop client for the Claude API.<br>"
                "Released under the MIT licence. Your conversations are plain JSON files you own."
            )
        )
        text.setWordWrap(True)
        folder_label = QLabel(self.tr("Data folder:"))
        folder_label.setObjectName("HintLabel")
        # One line, whole and selectable (a wrapped path breaks in the middle of a name).
        self.folder = QLineEdit(str(data_dir))
        self.folder.setReadOnly(True)
        self.folder.setCursorPosition(0)
        self.folder.setToolTip(str(data_dir))
        self.folder.setAccessibleName(self.tr("Data folder"))
        folder_label.setBuddy(self.folder)
        self.open_button = QPushButton(self.tr("Open folder"))
        self.open_button.setAccessibleName(self.tr("Open the data folder"))
        self.open_button.clicked.connect(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(text)
        layout.addLayout(folder_row)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()  # not the path field

    def open_folder(self) -> bool:
        """Show the data folder in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))
