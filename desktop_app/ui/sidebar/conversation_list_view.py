"""The sidebar's list of conversations as a view: its keys (Delete, F2, the Menu key, ↑ back
to the search field) and the ⋯ button of a row, which opens the row's menu and nothing else.

Signals:
    delete_pressed: Delete on the current row.
    menu_key_pressed: the Menu key or Shift+F10 on the current row.
    menu_button_clicked(QModelIndex): a row's ⋯ button was clicked.
    left_at_top: ↑ on the first conversation (back to the search field).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop_app.ui.sidebar.conversation_delegate import ConversationDelegate
from desktop_app.ui.sidebar.conversation_list_model import IsHeaderRole


class ConversationListView(QListView):
    """The list, with Delete to delete, F2 to rename and the Menu key (or Shift+F10) for the
    ⋯ menu of the current row; ↑ on the first row goes back to the search field.

    A click on a row's ⋯ button opens its menu and nothing else: the press and release are
    kept from the view, which would otherwise select the row and report a click on it (and
    the sidebar would open that conversation).
    """

    delete_pressed = Signal()
    menu_key_pressed = Signal()
    menu_button_clicked = Signal(QModelIndex)
    left_at_top = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._menu_pressed: QPersistentModelIndex | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if self.currentIndex().isValid():
            if key == Qt.Key.Key_Delete:
                self.delete_pressed.emit()
                return
            if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and shift):
                self.menu_key_pressed.emit()
                return
            first = self._is_first(self.currentIndex())
            if key == Qt.Key.Key_Up and not event.modifiers() and first:
                self.left_at_top.emit()
                return
        super().keyPressEvent(event)

    def moveCursor(  # noqa: N802
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """The arrow keys, Page Up/Down, Home and End step over the date headers: the cursor
        lands on conversations only."""
        index = super().moveCursor(action, modifiers)
        if not index.isValid() or not index.data(IsHeaderRole):
            return index
        backwards = action in (
            QAbstractItemView.CursorAction.MoveUp, QAbstractItemView.CursorAction.MovePageUp,
            QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MovePrevious,
        )
        rows = self.model().rowCount()
        order = ([*range(index.row() - 1, -1, -1), *range(index.row() + 1, rows)] if backwards
                 else [*range(index.row() + 1, rows), *range(index.row() - 1, -1, -1)])
        for row in order:
            candidate = self.model().index(row, 0)
            if not candidate.data(IsHeaderRole):
                return candidate
        return self.currentIndex()

    def _is_first(self, index: QModelIndex) -> bool:
        """Whether no conversation is listed above ``index`` (only headers, if anything)."""
        return all(self.model().index(row, 0).data(IsHeaderRole) for row in range(index.row()))

    def menu_button_at(self, point: QPoint) -> QModelIndex:
        """The row whose ⋯ button is at ``point`` (viewport coordinates), or an invalid index."""
        index = self.indexAt(point)
        if not index.isValid() or index.data(IsHeaderRole):
            return QModelIndex()
        button = ConversationDelegate.menu_rect(self.visualRect(index), self.fontMetrics())
        return index if button.contains(point) else QModelIndex()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        index = self.menu_button_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index.isValid():
            self._menu_pressed = QPersistentModelIndex(index)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pressed, self._menu_pressed = self._menu_pressed, None
        if pressed is None:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        index = self.menu_button_at(event.position().toPoint())
        if index.isValid() and pressed.isValid() and index.row() == pressed.row():
            self.menu_button_clicked.emit(index)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.menu_button_at(event.position().toPoint()).isValid():
            event.accept()  # not a rename: the second click of a quick pair on ⋯
            return
        super().mouseDoubleClickEvent(event)
