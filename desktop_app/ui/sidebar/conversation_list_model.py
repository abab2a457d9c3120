"""The sidebar's list: a Qt item model over the controller's sidebar rows (date-group headers
and conversations), editable in place for renaming.

Signals:
    rename_requested(str, str): (conversation id, new title) typed into the row's editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop_app.core.conversation import DEFAULT_TITLE
from desktop_app.core.link_safety import neutralise_bidi
from desktop_app.core.search_snippets import Snippet, mark_spans
from desktop_app.core.sidebar_rows import Group, SidebarRow

ConversationIdRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
SnippetRole = Qt.ItemDataRole.UserRole + 3
PinnedRole = Qt.ItemDataRole.UserRole + 4
MessageIdRole = Qt.ItemDataRole.UserRole + 5
ExcerptRole = Qt.ItemDataRole.UserRole + 6  # the snippet as a core Snippet (marks, focus)
TitleMarksRole = Qt.ItemDataRole.UserRole + 7  # where the query's words are in the title

_Index = QModelIndex | QPersistentModelIndex


def group_label(group: Group) -> str:
    """The header text of a date group, in the UI language."""
    labels = {
        Group.PINNED: QCoreApplication.translate("Sidebar", "Pinned"),
        Group.TODAY: QCoreApplication.translate("Sidebar", "Today"),
        Group.YESTERDAY: QCoreApplication.translate("Sidebar", "Yesterday"),
        Group.WEEK: QCoreApplication.translate("Sidebar", "Previous 7 days"),
        Group.OLDER: QCoreApplication.translate("Sidebar", "Older"),
    }
    return labels[group]


def display_title(title: str) -> str:
    """A conversation's title as shown: the untouched default one in the UI language, bidi
    controls as visible markers (a title may come from the model); the stored title stays
    as it is."""
    if title == DEFAULT_TITLE:
        return QCoreApplication.translate("Sidebar", "New chat")
    return neutralise_bidi(title)


class ConversationListModel(QAbstractListModel):
    """Rows are headers and conversations; ``set_rows`` replaces them (small data: titles,
    ids and search snippets, never messages)."""

    rename_requested = Signal(str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SidebarRow] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].is_header:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if row.is_header:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return group_label(row.group)
            return True if role == IsHeaderRole else None
        snippet = neutralise_bidi(row.hit.snippet) if row.hit else ""
        title = display_title(row.title)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return title + (f"\n{snippet}" if snippet else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            pinned = QCoreApplication.translate("Sidebar", "pinned, ") if row.pinned else ""
            return pinned + title + (f": {snippet}" if snippet else "")
        if role == ConversationIdRole:
            return row.conversation_id
        if role == IsHeaderRole:
            return False
        if role == SnippetRole:
            return snippet
        if role == PinnedRole:
            return row.pinned
        if role == MessageIdRole:
            return row.hit.message_id if row.hit else None
        if role == ExcerptRole:
            return row.hit.excerpt if row.hit else Snippet()
        if role == TitleMarksRole:
            return mark_spans(title, row.hit.terms) if row.hit else ()
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """A title typed into the row's editor: asks for the rename (the controller decides)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        title = " ".join(str(value).split())
        unchanged = title in (row.title, display_title(row.title))
        if row.is_header or not title or unchanged or row.conversation_id is None:
            return False
        self.rename_requested.emit(row.conversation_id, title)
        return True

    def set_rows(self, rows: list[SidebarRow]) -> None:
        if rows == self._rows:
            return
        same_shape = [(r.conversation_id, r.group) for r in rows] == [
            (r.conversation_id, r.group) for r in self._rows
        ]
        if same_shape:
            self._rows = rows  # titles, pins or snippets changed: repaint in place
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, conversation_id: str) -> int:
        for number, row in enumerate(self._rows):
            if row.conversation_id == conversation_id:
                return number
        return -1

    def conversation_ids(self) -> list[str]:
        """The listed conversations, top to bottom (for Ctrl+Up/Down)."""
        return [r.conversation_id for r in self._rows if r.conversation_id is not None]
