"""The left pane: New chat, search, the conversation list, and settings/key state at the foot.

Signals:
    new_requested: the user wants a new conversation.
    selected(str): a conversation was picked.
    rename_requested(str, str): (id, new title).
    delete_requested(str): the user confirmed deleting this conversation.
    settings_requested: the Settings button was pressed.
    key_requested: the key button was pressed.
    about_requested: the About button was pressed.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.conversation_list_model import ConversationIdRole, ConversationListModel
from desktop_app.ui.icons import icon
from desktop_app.ui.theme import Theme


class Sidebar(QFrame):
    """The conversation sidebar. See the module docstring for its signals."""

    new_requested = Signal()
    selected = Signal(str)
    rename_requested = Signal(str, str)
    delete_requested = Signal(str)
    settings_requested = Signal()
    key_requested = Signal()
    about_requested = Signal()

    def __init__(self, model: ConversationListModel, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setMinimumWidth(200)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.new_button = QPushButton("  New chat")
        self.new_button.setObjectName("NewChatButton")
        self.new_button.setToolTip("New chat (Ctrl+N)")
        self.new_button.setAccessibleName("New chat")
        self.new_button.clicked.connect(self.new_requested)

        self.search = QLineEdit()
        self.search.setObjectName("SearchField")
        self.search.setPlaceholderText("Search conversations")
        self.search.setAccessibleName("Search conversations")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self._search_icon = self.search.addAction(
            icon("search", theme.muted, 14), QLineEdit.ActionPosition.LeadingPosition
        )

        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Conversations")
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.clicked.connect(self._on_clicked)
        self.list.activated.connect(self._on_clicked)

        self.key_button = QToolButton()
        self.key_button.setToolTip("API key")
        self.key_button.setAccessibleName("API key")
        self.key_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.key_state = self.key_button  # its text says where the key comes from
        self.key_button.clicked.connect(self.key_requested)
        self.settings_button = QToolButton()
        self.settings_button.setText("Settings")
        self.settings_button.setToolTip("Settings (Ctrl+,)")
        self.settings_button.setAccessibleName("Settings")
        self.settings_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_button.clicked.connect(self.settings_requested)
        self.about_button = QToolButton()
        self.about_button.setToolTip("About Cairn (F1)")
        self.about_button.setAccessibleName("About Cairn")
        self.about_button.clicked.connect(self.about_requested)

        footer = QWidget()
        footer.setObjectName("SidebarFooter")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(8, 6, 8, 8)
        footer_layout.addWidget(self.settings_button)
        footer_layout.addWidget(self.about_button)
        footer_layout.addStretch(1)
        footer_layout.addWidget(self.key_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        top = QVBoxLayout()
        top.setContentsMargins(10, 0, 10, 0)
        top.setSpacing(8)
        top.addWidget(self.new_button)
        top.addWidget(self.search)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(footer)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.new_button.setIcon(icon("plus", theme.text, 16))
        self.key_button.setIcon(icon("key", theme.muted, 16))
        self.settings_button.setIcon(icon("settings", theme.muted, 16))
        self.about_button.setIcon(icon("info", theme.muted, 16))
        self._search_icon.setIcon(icon("search", theme.muted, 14))

    def set_key_state(self, text: str, tooltip: str) -> None:
        self.key_button.setText(text)
        self.key_button.setToolTip(tooltip)

    def show_current(self, conversation_id: str | None) -> None:
        """Highlight the shown conversation (or nothing, for an unsaved new one)."""
        selection = self.list.selectionModel()
        row = self.model.row_of(conversation_id) if conversation_id else -1
        if row < 0:
            selection.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row))
        if index.isValid():
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        conversation_id = index.data(ConversationIdRole)
        if conversation_id:
            self.selected.emit(conversation_id)

    def _show_menu(self, position: QPoint) -> None:
        index = self.list.indexAt(position)
        if not index.isValid():
            return
        conversation_id = index.data(ConversationIdRole)
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.ask_rename(conversation_id))
        menu.addSeparator()
        menu.addAction("Delete…", lambda: self.ask_delete(conversation_id))
        menu.popup(self.list.viewport().mapToGlobal(position))

    def title_of(self, conversation_id: str) -> str:
        row = self.model.row_of(conversation_id)
        return str(self.model.index(row).data()) if row >= 0 else ""

    def ask_rename(self, conversation_id: str) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename conversation")
        dialog.setLabelText("Title:")
        dialog.setTextValue(self.title_of(conversation_id))
        dialog.textValueSelected.connect(
            lambda title: self.rename_requested.emit(conversation_id, title)
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def ask_delete(self, conversation_id: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete conversation",
            f"Delete “{self.title_of(conversation_id)}”? This cannot be undone.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def done() -> None:
            if box.clickedButton() is delete:
                self.delete_requested.emit(conversation_id)
            box.deleteLater()

        box.finished.connect(done)
        box.open()
