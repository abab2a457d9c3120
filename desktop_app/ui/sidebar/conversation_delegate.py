"""How the sidebar draws its rows: quiet date-group headers; conversations as one elided
title line (a search snippet under it when the match was in the text), a pin mark, and a ⋯
button on the hovered or selected row that opens the row's menu.

Signals (on ConversationDelegate):
    menu_requested(QModelIndex, QPoint): the ⋯ button of a row was clicked (global position).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.ui.sidebar.conversation_list_model import IsHeaderRole, PinnedRole, SnippetRole
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme

_Index = QModelIndex | QPersistentModelIndex
HEADER_HEIGHT = 28
ROW_HEIGHT = 34
SNIPPET_ROW_HEIGHT = 50
MENU_BUTTON = 22


class ConversationDelegate(QStyledItemDelegate):
    """See the module docstring."""

    menu_requested = Signal(QModelIndex, QPoint)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        if index.data(IsHeaderRole):
            return QSize(option.rect.width(), HEADER_HEIGHT)
        return QSize(option.rect.width(), SNIPPET_ROW_HEIGHT if index.data(SnippetRole) else ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = self.theme
        painter.save()
        if index.data(IsHeaderRole):
            font = QFont(option.font)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(font)
            painter.setPen(self._color(theme.muted))
            rect = option.rect.adjusted(16, 8, -8, 0)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(index.data()))
            painter.restore()
            return
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:  # the style sheet's hover/selected backgrounds
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        right = option.rect.right() - 12
        if hovered or selected:
            button = self.menu_rect(option.rect)
            icon("more", theme.muted, 16).paint(painter, button)
            right = button.left() - 4
        if index.data(PinnedRole):
            pin = QRect(right - 14, option.rect.top() + 10, 14, 14)
            icon("pin", theme.muted, 14).paint(painter, pin)
            right = pin.left() - 4
        snippet = str(index.data(SnippetRole) or "")
        text_rect = QRect(option.rect.left() + 16, option.rect.top() + 2,
                          right - option.rect.left() - 16, ROW_HEIGHT - 4)
        painter.setFont(option.font)
        painter.setPen(self._color(theme.text))
        title = option.fontMetrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight,
                                              text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        if snippet:
            small = QFont(option.font)
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
            painter.setFont(small)
            painter.setPen(self._color(theme.muted))
            snippet_rect = QRect(text_rect.left(), text_rect.bottom() - 4, text_rect.width(), 18)
            metrics = painter.fontMetrics()
            painter.drawText(snippet_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(snippet, Qt.TextElideMode.ElideRight, snippet_rect.width()))
        painter.restore()

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: _Index) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802
        """A click on the ⋯ button opens the menu instead of selecting the row."""
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and not index.data(IsHeaderRole)
            and self.menu_rect(option.rect).contains(event.position().toPoint())
            and option.widget is not None
        ):
            view = option.widget
            surface = view.viewport() if hasattr(view, "viewport") else view
            where = surface.mapToGlobal(self.menu_rect(option.rect).bottomLeft())
            self.menu_requested.emit(QModelIndex(index), where)
            return True
        return super().editorEvent(event, model, option, index)

    @staticmethod
    def menu_rect(row: QRect) -> QRect:
        return QRect(row.right() - MENU_BUTTON - 10, row.top() + (ROW_HEIGHT - MENU_BUTTON) // 2,
                     MENU_BUTTON, MENU_BUTTON)

    @staticmethod
    def _color(name: str) -> QColor:
        return QColor(name)
