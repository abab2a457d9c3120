"""The keyboard shortcuts sheet (Ctrl+/): every shortcut Cairn has, in one place."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do), in the order a new user meets them."""
    return [
        ("Enter", QCoreApplication.translate("Shortcuts", "Send the message")),
        ("Shift+Enter", QCoreApplication.translate("Shortcuts", "New line in the message")),
        ("Esc", QCoreApplication.translate("Shortcuts", "Stop the reply")),
        ("Ctrl+N", QCoreApplication.translate("Shortcuts", "New conversation")),
        ("Ctrl+F", QCoreApplication.translate("Shortcuts", "Search conversations")),
        ("Ctrl+Up", QCoreApplication.translate("Shortcuts", "Previous conversation")),
        ("Ctrl+Down", QCoreApplication.translate("Shortcuts", "Next conversation")),
        ("F2", QCoreApplication.translate(
            "Shortcuts", "Rename the selected conversation (in the list)")),
        ("Delete", QCoreApplication.translate(
            "Shortcuts", "Delete the selected conversation (in the list)")),
        ("Ctrl+V", QCoreApplication.translate("Shortcuts", "Paste text or an image")),
        ("Ctrl+O", QCoreApplication.translate("Shortcuts", "Attach images or PDFs")),
        ("Ctrl+Enter", QCoreApplication.translate("Shortcuts", "Send an edited message")),
        ("Ctrl+B", QCoreApplication.translate("Shortcuts", "Show or hide the sidebar")),
        ("Ctrl+,", QCoreApplication.translate("Shortcuts", "Settings")),
        ("Ctrl+/", QCoreApplication.translate("Shortcuts", "This list of shortcuts")),
        ("F1", QCoreApplication.translate("Shortcuts", "About Cairn")),
        ("Ctrl+Q", QCoreApplication.translate("Shortcuts", "Quit")),
    ]


class ShortcutsDialog(QDialog):
    """A read-only table of shortcuts, keys shown the way this platform writes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcuts()
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        for row, (keys, action) in enumerate(rows):
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) or keys
            key_item = QTableWidgetItem(native)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(action))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(480, 520)
