"""What a conversation keeps on Anthropic's side (the Files API): the files the user gave
code execution and the files the code made, each with its size and when it expires, and
Delete. The dialog only shows and asks; the operation behind it calls the API.

Signals (on StoredFilesDialog):
    delete_requested(str): Delete was clicked for that file id.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.api.files_api import StoredFile
from desktop_app.ui.lib.numbers import size_text

FileIdRole = Qt.ItemDataRole.UserRole


class StoredFilesDialog(QDialog):
    """See the module docstring.

    Args:
        title: the conversation's title (in the heading).
    """

    delete_requested = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StoredFilesDialog")
        self.setWindowTitle(self.tr("Files on Anthropic"))
        heading = QLabel(self.tr(
            "Files of “{title}” stored on Anthropic's side for code execution. They go when "
            "the conversation is deleted; delete one here to free space sooner.").format(
                title=title))
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)  # the title may be Claude's words
        self.state = QLabel()
        self.state.setObjectName("HintLabel")
        self.state.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the extension
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Size"), self.tr("From"),
                                    self.tr("Expires")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.delete_button)
        footer.addStretch(1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        layout.addLayout(footer)
        self.resize(620, 360)
        self.show_loading()

    def show_loading(self) -> None:
        self.state.setText(self.tr("Asking Anthropic which files are stored…"))
        self.delete_button.setEnabled(False)

    def show_problem(self, text: str) -> None:
        self.state.setText(text)
        self._update_buttons()

    def show_files(self, files: list[StoredFile], uploads: set[str]) -> None:
        """The files still stored; ``uploads``: the ids the user gave (others the code made)."""
        self.table.clear()
        for stored in files:
            item = QTreeWidgetItem([
                stored.name, size_text(stored.size),
                self.tr("You") if stored.id in uploads else self.tr("Code execution"),
                _date(stored.expires_at) or self.tr("—"),
            ])
            item.setData(0, FileIdRole, stored.id)
            item.setToolTip(0, f"{stored.name}\n{stored.id}")
            self.table.addTopLevelItem(item)
        self._say_when_empty()

    def remove(self, file_id: str) -> None:
        """A file was deleted there: it leaves the list (nothing needs asking again)."""
        for index in range(self.table.topLevelItemCount()):
            if self.table.topLevelItem(index).data(0, FileIdRole) == file_id:
                self.table.takeTopLevelItem(index)
                break
        self._say_when_empty()

    def _say_when_empty(self) -> None:
        empty = self.table.topLevelItemCount() == 0
        self.state.setText(self.tr("Nothing of this conversation is stored on Anthropic's side.")
                           if empty else "")
        self._update_buttons()

    def file_ids(self) -> list[str]:
        """The ids listed, in order (tests, and what is selected)."""
        return [str(self.table.topLevelItem(i).data(0, FileIdRole))
                for i in range(self.table.topLevelItemCount())]

    def _selected_id(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(0, FileIdRole)) if items else None

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self._selected_id() is not None)

    def _on_delete_clicked(self) -> None:
        file_id = self._selected_id()
        if file_id is not None:
            self.delete_button.setEnabled(False)
            self.state.setText(self.tr("Deleting…"))
            self.delete_requested.emit(file_id)


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""
