"""The sidebar's list: a Qt item model over the controller's conversations (newest first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.core.conversation import Conversation

ConversationIdRole = Qt.ItemDataRole.UserRole + 1
UpdatedAtRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """Rows are conversations; ``set_conversations`` replaces them (the list is small data:
    titles and ids, not messages)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []  # (id, title, updated_at)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conversation_id, title, updated_at = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Conversation: {title}"
        if role == ConversationIdRole:
            return conversation_id
        if role == UpdatedAtRole:
            return updated_at
        return None

    def set_conversations(self, conversations: list[Conversation]) -> None:
        rows = [(c.id, c.title, c.updated_at) for c in conversations]
        if rows == self._rows:
            return
        if [r[0] for r in rows] == [r[0] for r in self._rows]:
            self._rows = rows  # same order: titles changed; repaint in place
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, conversation_id: str) -> int:
        for row, (row_id, _, _) in enumerate(self._rows):
            if row_id == conversation_id:
                return row
        return -1

    def id_at(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None
