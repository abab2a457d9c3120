"""The look shared by a reply's foldable rows (tool calls, Claude's own tools, footnotes,
thinking): the row's toggle, its chevron, and text set in the body's font inside monospace
details."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QToolButton

from desktop_app.ui.lib.icons import icon


def fold_toggle() -> QToolButton:
    """A row's toggle: its words beside its chevron, styled as the tool rows are."""
    toggle = QToolButton()
    toggle.setObjectName("ToolCallToggle")
    toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toggle.setCursor(Qt.CursorShape.PointingHandCursor)
    return toggle


def chevron(open_: bool, colour: str) -> QIcon:
    """Down while the row is open, right while it is folded."""
    return icon("chevron-down" if open_ else "chevron-right", colour, 14)


def in_body_font(markup: str, tag: str = "span") -> str:
    """``markup`` (already escaped) in the application's body font."""
    family = html.escape(QApplication.font().family(), quote=True)
    return f"<{tag} style=\"font-family:'{family}'\">{markup}</{tag}>"
