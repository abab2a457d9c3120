"""How the sidebar draws its rows: quiet date-group headers; conversations as one elided
title line (a search snippet under it when the match was in the text), a pin mark, and a ⋯
button on the hovered or selected row (the list opens the row's menu from it).

A search snippet is narrowed to the row around its match, so the word searched for is
always in view, and the query's words are marked (accent, semi-bold) in the snippet and in
the title. Rename in place gets a line edit that fills the row's rounded background, with
the padding cut down so the whole line of text shows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QLineEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_app.core.search_snippets import Snippet, elide_right, fit_around_focus
from desktop_app.ui.lib.icons import icon
from desktop_app.ui.lib.theme import Theme
from desktop_app.ui.sidebar.conversation_list_model import (
    ExcerptRole,
    IsHeaderRole,
    PinnedRole,
    SnippetRole,
    TitleMarksRole,
)

_Index = QModelIndex | QPersistentModelIndex
HEADER_HEIGHT = 28
ROW_HEIGHT = 34  # a title row, at least (taller when the font is)
SNIPPET_LINE = 16  # the snippet's line under the title, at least
MENU_BUTTON = 22
TEXT_LEFT = 16  # where a row's text starts
ITEM_MARGIN = 6  # the row's rounded background is inset this much (the style sheet's margin)
# The application's 5 px line-edit padding is for standalone fields: inside a row it would
# leave no room for the text itself (issue 18). Only the padding is set here; colours and
# border come from the application's style sheet, so both themes apply.
RENAME_EDITOR_STYLE = "QLineEdit { padding: 0px %dpx; }" % (TEXT_LEFT - ITEM_MARGIN - 1 - 2)
_FITTED_CACHE = 512  # snippets and titles fitted to a width, kept for repaints


def title_height(metrics: QFontMetrics) -> int:
    """The height of a row's title line: room for the text and the rename editor's frame."""
    return max(ROW_HEIGHT, metrics.height() + 16)


class ConversationDelegate(QStyledItemDelegate):
    """See the module docstring."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._fitted: dict[tuple[Snippet, int, str, bool], Snippet] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        if index.data(IsHeaderRole):
            return QSize(option.rect.width(), HEADER_HEIGHT)
        height = title_height(option.fontMetrics)
        if index.data(SnippetRole):
            height += max(SNIPPET_LINE, QFontMetrics(_small(option.font)).height())
        return QSize(option.rect.width(), height)

    # -- rename in place ----------------------------------------------------------------------

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("RenameEditor")
        editor.setStyleSheet(RENAME_EDITOR_STYLE)
        editor.setAccessibleName(self.tr("Conversation title"))
        return editor

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        """The editor covers the title line's rounded background (not Qt's text rect, which
        the item padding leaves too low for a framed line edit), so its text stays where the
        title was drawn and shows whole."""
        top = option.rect.top()
        line = QRect(option.rect.left(), top, option.rect.width(), title_height(option.fontMetrics))
        editor.setGeometry(line.adjusted(ITEM_MARGIN, 1, -ITEM_MARGIN, -1))

    # -- painting -----------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        theme = self.theme
        painter.save()
        if index.data(IsHeaderRole):
            font = QFont(option.font)
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            font.setWeight(QFont.Weight.DemiBold)
            painter.setFont(font)
            painter.setPen(QColor(theme.muted))
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
        line = title_height(option.fontMetrics)
        if self._shows_menu_button(option):
            button = self.menu_rect(option.rect, option.fontMetrics)
            icon("more", theme.muted, 16).paint(painter, button)
        text_rect = self._text_rect(option, index)
        if index.data(PinnedRole):
            pin = QRect(text_rect.right() + 5, option.rect.top() + (line - 14) // 2, 14, 14)
            icon("pin", theme.muted, 14).paint(painter, pin)
        title, snippet = self.shown_text(option, index)
        self._draw_runs(painter, text_rect, title, option.font, QColor(theme.text))
        if snippet is not None:
            self._draw_runs(painter, self._snippet_rect(option, text_rect), snippet,
                            _small(option.font), QColor(theme.muted))
        painter.restore()

    def shown_text(
        self, option: QStyleOptionViewItem, index: _Index
    ) -> tuple[Snippet, Snippet | None]:
        """A row's title and search snippet (None: no snippet) as it shows them: cut to the
        width left by the ⋯ button and the pin, the title at its end, the snippet around
        its match, the query's words marked."""
        width = self._text_rect(option, index).width()
        title = Snippet(str(index.data()), tuple(index.data(TitleMarksRole) or ()))
        title = self._fitted_to(title, width, option.font, centred=False)
        snippet = index.data(ExcerptRole)
        if not isinstance(snippet, Snippet) or not snippet.text:
            return title, None
        return title, self._fitted_to(snippet, width, _small(option.font), centred=True)

    @staticmethod
    def _shows_menu_button(option: QStyleOptionViewItem) -> bool:
        shown = QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Selected
        return bool(option.state & shown)

    def _text_rect(self, option: QStyleOptionViewItem, index: _Index) -> QRect:
        """The title line's text area: left of the ⋯ button (when shown) and the pin."""
        right = option.rect.right() - 12
        if self._shows_menu_button(option):
            right = self.menu_rect(option.rect, option.fontMetrics).left() - 4
        if index.data(PinnedRole):
            right -= 18
        return QRect(option.rect.left() + TEXT_LEFT, option.rect.top(),
                     right - option.rect.left() - TEXT_LEFT, title_height(option.fontMetrics))

    @staticmethod
    def _snippet_rect(option: QStyleOptionViewItem, text_rect: QRect) -> QRect:
        height = max(SNIPPET_LINE, QFontMetrics(_small(option.font)).height())
        return QRect(text_rect.left(), text_rect.bottom() - 6, text_rect.width(), height + 4)

    def _draw_runs(self, painter: QPainter, rect: QRect, text: Snippet, font: QFont,
                   colour: QColor) -> None:
        """One line of already fitted text in ``rect``, its marks in the accent colour and
        semi-bold, on one baseline."""
        metrics = QFontMetrics(font)
        strong = _strong(font)
        baseline = rect.top() + (rect.height() - metrics.height()) / 2 + metrics.ascent()
        x = float(rect.left())
        accent = QColor(self.theme.accent)
        for piece, marked in runs(text):
            painter.setFont(strong if marked else font)
            painter.setPen(accent if marked else colour)
            painter.drawText(QPointF(x, baseline), piece)
            x += QFontMetrics(strong if marked else font).horizontalAdvance(piece)

    def _fitted_to(self, text: Snippet, width: int, font: QFont, *, centred: bool) -> Snippet:
        """``text`` cut to ``width``: at its end (a title), or around its focus (a snippet).
        Kept for repaints: hovering repaints rows again and again."""
        key = (text, width, font.key(), centred)
        fitted = self._fitted.get(key)
        if fitted is None:
            if not text.marks and not centred:  # a plain title: Qt's own elision
                metrics = QFontMetrics(font)
                fitted = Snippet(metrics.elidedText(text.text, Qt.TextElideMode.ElideRight, width))
            else:
                metrics, strong_metrics = QFontMetrics(font), QFontMetrics(_strong(font))

                def fits(candidate: Snippet) -> bool:
                    return sum((strong_metrics if marked else metrics).horizontalAdvance(piece)
                               for piece, marked in runs(candidate)) <= width

                fitted = fit_around_focus(text, fits) if centred else elide_right(text, fits)
            if len(self._fitted) >= _FITTED_CACHE:
                self._fitted.clear()
            self._fitted[key] = fitted
        return fitted

    @staticmethod
    def menu_rect(row: QRect, metrics: QFontMetrics) -> QRect:
        """Where a row's ⋯ button is (on its title line, at the right)."""
        line = title_height(metrics)
        return QRect(row.right() - MENU_BUTTON - 10, row.top() + (line - MENU_BUTTON) // 2,
                     MENU_BUTTON, MENU_BUTTON)


def runs(text: Snippet) -> list[tuple[str, bool]]:
    """``text`` as pieces in order, each with whether it is marked."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in text.marks:
        if start > at:
            pieces.append((text.text[at:start], False))
        pieces.append((text.text[start:end], True))
        at = end
    if at < len(text.text):
        pieces.append((text.text[at:], False))
    return pieces


def _strong(font: QFont) -> QFont:
    """The font of a marked word: the same, semi-bold."""
    strong = QFont(font)
    strong.setWeight(QFont.Weight.DemiBold)
    return strong


def _small(font: QFont) -> QFont:
    """The snippet's font: a little smaller than the title's."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
    return small
