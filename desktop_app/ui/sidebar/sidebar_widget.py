"""The left pane: New chat, search, the conversation list, and at the foot (``footer``, a
``SidebarFooter`` with signals of its own) Settings, the ⋯ menu and the key state.

Signals:
    new_requested: the user wants a new conversation.
    selected(str): a conversation was picked.
    hit_chosen(str, str, str): (conversation id, message id, query) a search hit in a
        message was picked (the query, so the view can mark its words).
    query_changed(str): the search text changed (the window asks for new rows).
    delete_requested(str): delete this conversation (the window offers Undo afterwards).
    pin_requested(str, bool): pin (True) or unpin this conversation.
    export_requested(str, str): (id, "markdown" or "json").
    files_requested(str): the conversation's files on Anthropic's side should be listed.

A title typed into a row (rename in place) comes from the list's model:
``ConversationListModel.rename_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.sidebar.conversation_delegate import ConversationDelegate
from desktop_app.ui.sidebar.conversation_list_view import ConversationListView
from desktop_app.ui.sidebar.conversation_list_model import (
    ConversationIdRole,
    ConversationListModel,
    IsHeaderRole,
    MessageIdRole,
    PinnedRole,
)
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.menus import add_item, popup_beside
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.sidebar.sidebar_footer import SidebarFooter


class Sidebar(QFrame):
    """The conversation sidebar. See the module docstring for its signals."""

    new_requested = Signal()
    selected = Signal(str)
    hit_chosen = Signal(str, str, str)
    query_changed = Signal(str)
    delete_requested = Signal(str)
    pin_requested = Signal(str, bool)
    export_requested = Signal(str, str)
    files_requested = Signal(str)

    def __init__(self, model: ConversationListModel, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setMinimumWidth(200)
        self.model = model

        self.new_button = QPushButton("  " + self.tr("New chat"))
        self.new_button.setObjectName("NewChatButton")
        self.new_button.setToolTip(self.tr("New chat (Ctrl+N)"))
        self.new_button.setAccessibleName(self.tr("New chat"))
        self.new_button.clicked.connect(self.new_requested)

        self.search = QLineEdit()
        self.search.setObjectName("SearchField")
        self.search.setPlaceholderText(self.tr("Search conversations (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.query_changed)
        self.search.returnPressed.connect(self._open_first_result)
        self.search.installEventFilter(self)  # ↓ moves into the results
        self._search_icon = self.search.addAction(
            icon("search", theme.muted, 14), QLineEdit.ActionPosition.LeadingPosition
        )

        self.list = ConversationListView()
        self.list.setModel(model)
        self.delegate = ConversationDelegate(theme, self.list)
        self.list.setItemDelegate(self.delegate)
        self._shown_id: str | None = None  # the conversation the window shows
        # After the view has closed a rename's editor (Esc or Enter), the row that was
        # renamed is no longer the one to highlight: the shown conversation is.
        self.delegate.closeEditor.connect(self._on_rename_closed)
        self.list.menu_button_clicked.connect(self._menu_from_button)
        self.list.left_at_top.connect(self.focus_search)
        self.list.setMouseTracking(True)  # the ⋯ button follows the hovered row
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed  # F2
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.clicked.connect(self._on_clicked)
        self.list.activated.connect(self._on_clicked)
        self.list.delete_pressed.connect(
            lambda: self._delete(self.list.currentIndex().data(ConversationIdRole))
        )
        self.list.menu_key_pressed.connect(self._menu_for_current)
        self.no_results = QLabel(self.tr("No conversation matches."))
        self.no_results.setWordWrap(True)
        self.no_results.setObjectName("HintLabel")
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.no_results.hide()

        self.footer = SidebarFooter(theme)
        self.key_state = self.footer.key_button  # its text says where the key comes from

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        top = QVBoxLayout()
        top.setContentsMargins(10, 0, 10, 0)
        top.setSpacing(8)
        top.addWidget(self.new_button)
        top.addWidget(self.search)
        top.addWidget(self.no_results)  # within the same margins as the search field
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.footer)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.new_button.setIcon(icon("plus", theme.text, 16))
        self.footer.apply_theme(theme)
        self._search_icon.setIcon(icon("search", theme.muted, 14))
        self.delegate.theme = theme
        self.list.viewport().update()

    def show_current(self, conversation_id: str | None) -> None:
        """Highlight the shown conversation (or nothing, for an unsaved new one)."""
        self._shown_id = conversation_id
        selection = self.list.selectionModel()
        row = self.model.row_of(conversation_id) if conversation_id else -1
        if row < 0:
            selection.clearSelection()
            return
        index = self.model.index(row)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)

    def show_results_state(self, matches: int | None) -> None:
        """Say so when a search matches nothing, or more than the list shows."""
        listed = len(self.model.conversation_ids())
        if matches == 0:
            self.no_results.setText(self.tr("No conversation matches."))
        elif matches is not None and matches > listed:
            self.no_results.setText(self.tr(
                "Showing {listed} of {matches} matches: type more to narrow them."
            ).format(listed=QLocale().toString(listed), matches=QLocale().toString(matches)))
        self.no_results.setVisible(matches is not None and (matches == 0 or matches > listed))

    def toggle(self) -> None:
        """Ctrl+B and the header's button: show or hide the sidebar."""
        self.setVisible(not self.isVisible())

    @property
    def query(self) -> str:
        return self.search.text()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.data(IsHeaderRole):
            return
        conversation_id = index.data(ConversationIdRole)
        message_id = index.data(MessageIdRole)
        if conversation_id and message_id and self.search.text().strip():
            self.hit_chosen.emit(conversation_id, message_id, self.search.text())
        elif conversation_id:
            self.selected.emit(conversation_id)

    def _first_result(self) -> QModelIndex:
        for row in range(self.model.rowCount()):
            index = self.model.index(row)
            if not index.data(IsHeaderRole):
                return index
        return QModelIndex()

    def _open_first_result(self) -> None:
        """Enter in the search field: open the first result."""
        index = self._first_result()
        if index.isValid():
            self._on_clicked(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """↓ in the search field moves to the first result (Enter there opens it)."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            index = self._first_result()
            if index.isValid():
                self.list.setFocus(Qt.FocusReason.TabFocusReason)
                self.list.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.list.scrollTo(index)
                return True
        return super().eventFilter(watched, event)

    def _show_menu(self, position: QPoint) -> None:
        """A right click: the row's menu at the pointer."""
        index = self.list.indexAt(position)
        if index.isValid() and not index.data(IsHeaderRole):
            point = self.list.viewport().mapToGlobal(position)
            self._show_row_menu(index, QRect(point, QSize(1, 1)))

    def _menu_for_current(self) -> None:
        """The Menu key: the current row's menu under the row."""
        index = self.list.currentIndex()
        if index.isValid() and not index.data(IsHeaderRole):
            self._show_row_menu(index, self._global_rect(self.list.visualRect(index)))

    def _menu_from_button(self, index: QModelIndex) -> None:
        """A click on a row's ⋯: its menu under the button."""
        button = ConversationDelegate.menu_rect(self.list.visualRect(index),
                                                self.list.fontMetrics())
        self._show_row_menu(index, self._global_rect(button))

    def _global_rect(self, rect: QRect) -> QRect:
        return QRect(self.list.viewport().mapToGlobal(rect.topLeft()), rect.size())

    def _show_row_menu(self, index: QModelIndex, anchor: QRect) -> None:
        conversation_id = index.data(ConversationIdRole)
        pinned = bool(index.data(PinnedRole))
        popup_beside(self.row_menu(conversation_id, pinned), anchor, self)

    def row_menu(self, conversation_id: str, pinned: bool) -> QMenu:
        """The ⋯ menu of a row: rename, pin, export, its files on Anthropic, delete (with the list's keys for
        rename and delete)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        add_item(menu, self.tr("Rename"), lambda: self.start_rename(conversation_id), "F2")
        menu.addAction(self.tr("Unpin") if pinned else self.tr("Pin to top"),
                       lambda: self.pin_requested.emit(conversation_id, not pinned))
        export = menu.addMenu(self.tr("Export"))
        export.addAction(self.tr("As Markdown…"),
                         lambda: self.export_requested.emit(conversation_id, "markdown"))
        export.addAction(self.tr("As JSON…"),
                         lambda: self.export_requested.emit(conversation_id, "json"))
        menu.addAction(self.tr("Files on Anthropic…"),
                       lambda: self.files_requested.emit(conversation_id))
        menu.addSeparator()
        add_item(menu, self.tr("Delete"), lambda: self._delete(conversation_id), "Delete")
        return menu

    def start_rename(self, conversation_id: str) -> None:
        """Rename in place: the row turns into a text field (Enter keeps, Esc cancels)."""
        row = self.model.row_of(conversation_id)
        if row >= 0:
            index = self.model.index(row)
            self.list.setCurrentIndex(index)
            self.list.edit(index)

    def _on_rename_closed(self) -> None:
        """Renaming a row made it the current one; once it is done, whether kept or
        cancelled, the highlight goes back to the conversation the window shows."""
        self.show_current(self._shown_id)

    def _delete(self, conversation_id: str | None) -> None:
        if conversation_id:
            self.delete_requested.emit(conversation_id)
