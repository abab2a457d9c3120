"""Colours and the style sheet: a calm, warm light theme and a matching dark one.

The scheme follows the OS (``styleHints().colorScheme()``) unless the user overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop_app.core.safe_html import DARK as MARKDOWN_DARK
from desktop_app.core.safe_html import LIGHT as MARKDOWN_LIGHT
from desktop_app.core.safe_html import Palette as MarkdownPalette


@dataclass(frozen=True)
class Theme:
    """Colour roles; every widget takes its colours from here."""

    name: str
    window: str
    sidebar: str
    surface: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    bubble: str
    selection: str
    hover: str
    error_bg: str
    error_border: str
    notice_bg: str
    markdown: MarkdownPalette


LIGHT = Theme(
    name="light",
    window="#faf8f5",
    sidebar="#f1ede7",
    surface="#ffffff",
    text="#2b2926",
    muted="#6b6660",  # 5.3:1 on the window: quiet, still readable (WCAG AA)
    border="#e3ddd4",
    accent="#c4622d",
    accent_text="#ffffff",
    bubble="#efe9e1",
    selection="#e6dfd5",
    hover="#ebe6de",
    error_bg="#fbefe9",
    error_border="#ecc9b8",
    notice_bg="#f4efe7",
    markdown=MARKDOWN_LIGHT,
)

DARK = Theme(
    name="dark",
    window="#1f1e1c",
    sidebar="#181716",
    surface="#262523",
    text="#e9e5df",
    muted="#a39c94",
    border="#37342f",
    accent="#e07a45",
    accent_text="#1f1e1c",
    bubble="#2f2c29",
    selection="#34312d",
    hover="#2a2826",
    error_bg="#3a2620",
    error_border="#5c3a2e",
    notice_bg="#2a2724",
    markdown=MARKDOWN_DARK,
)


def current_theme(preference: str = "system") -> Theme:
    """The theme for a preference of "system", "light" or "dark"."""
    if preference == "dark":
        return DARK
    if preference == "light":
        return LIGHT
    hints = QGuiApplication.styleHints()
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def style_sheet(t: Theme, chevron: str = "") -> str:
    """The application style sheet for a theme (object names select the parts).

    Args:
        t: the theme.
        chevron: path of a tinted drop-down arrow image (style sheets need a file).
    """
    return f"""
QMainWindow, QDialog {{ background: {t.window}; color: {t.text}; }}
QWidget {{ color: {t.text}; }}
QToolTip {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; }}
#Sidebar {{ background: {t.sidebar}; border-right: 1px solid {t.border}; }}
#Sidebar QListView {{ background: transparent; border: none; outline: none; }}
#Sidebar QListView::item {{ padding: 7px 10px; border-radius: 7px; margin: 1px 6px; }}
#Sidebar QListView::item:hover {{ background: {t.hover}; }}
#Sidebar QListView::item:selected {{ background: {t.selection}; color: {t.text}; }}
#NewChatButton {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px;
    padding: 7px 10px; text-align: left; font-weight: 600;
}}
#NewChatButton:hover {{ background: {t.hover}; }}
#SearchField, QLineEdit, QPlainTextEdit#SystemPromptEdit, QComboBox {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 7px; padding: 5px 8px;
    selection-background-color: {t.accent}; selection-color: {t.accent_text};
}}
QLineEdit:focus, QPlainTextEdit#SystemPromptEdit:focus {{ border-color: {t.accent}; }}
#SidebarFooter QToolButton, #HeaderBar QToolButton {{
    border: none; border-radius: 6px; padding: 5px 8px; color: {t.muted};
}}
#SidebarFooter QToolButton:hover, #HeaderBar QToolButton:hover {{ background: {t.hover}; color: {t.text}; }}
#KeyState {{ color: {t.muted}; }}
#ConversationPane {{ background: {t.window}; }}
#HeaderBar {{ background: {t.window}; border-bottom: 1px solid {t.border}; }}
#ConversationTitle {{ font-size: 12pt; font-weight: 600; }}
#ModelPicker {{ border: 1px solid {t.border}; border-radius: 7px; padding: 4px 26px 4px 10px; }}
QComboBox::drop-down {{ border: none; width: 22px; subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: url({chevron}); width: 12px; height: 12px; }}
QComboBox QAbstractItemView {{
    background: {t.surface}; border: 1px solid {t.border}; padding: 4px; outline: none;
    selection-background-color: {t.hover}; selection-color: {t.text};
}}
#ReplyText, #UserText {{ font-size: 11pt; }}
#HeaderBar QToolButton#OptionsChip {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px;
    padding: 3px 10px; color: {t.muted};
}}
#HeaderBar QToolButton#OptionsChip:hover {{ border-color: {t.accent}; color: {t.text}; }}
#CostLabel, #EstimateLabel, #StatusLine, #MessageFooter, #HintLabel {{ color: {t.muted}; }}
QScrollArea#MessageScroll {{ background: {t.window}; border: none; }}
#MessageColumn {{ background: {t.window}; }}
#UserBubble {{ background: {t.bubble}; border-radius: 14px; }}
#UserBubble[editing="true"] {{ border: 1px solid {t.accent}; }}
QPlainTextEdit#EditBox {{ background: transparent; border: none; font-size: 11pt;
    selection-background-color: {t.accent}; selection-color: {t.accent_text}; }}
#ErrorCard {{ background: {t.error_bg}; border: 1px solid {t.error_border}; border-radius: 10px; }}
#RefusalCard {{ background: {t.notice_bg}; border: 1px solid {t.text}; border-radius: 10px; }}
#ThinkingToggle {{ border: 1px solid transparent; border-radius: 5px; color: {t.muted};
    padding: 1px 4px 1px 0; }}
#ThinkingToggle:hover {{ color: {t.text}; }}
#ToolCallToggle {{ border: 1px solid transparent; border-radius: 5px; color: {t.muted};
    padding: 1px 4px 1px 0; text-align: left; }}
#ToolCallToggle:hover {{ color: {t.text}; }}
#ToolCallDetails {{ color: {t.text}; font-family: monospace; border: none;
    border-left: 2px solid {t.border}; padding-left: 10px; }}
#ApprovalCard {{ background: {t.notice_bg}; border: 1px solid {t.accent}; border-radius: 10px; }}
QPlainTextEdit#ApprovalArguments {{ font-family: monospace; background: {t.surface};
    border: 1px solid {t.border}; border-radius: 6px; }}
#ThinkingText {{ color: {t.muted}; border: none; border-left: 2px solid {t.border}; padding-left: 10px; }}
#CompactionNote {{ color: {t.muted}; border-top: 1px dashed {t.border}; border-bottom: 1px dashed {t.border}; padding: 6px 0; }}
QScrollArea#AttachmentScroll, #AttachmentRow {{ background: transparent; }}
#AttachmentCard {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 9px; }}
#AttachmentKind {{ background: {t.bubble}; border-radius: 6px; color: {t.muted}; font-weight: 600; }}
#AttachmentProblem {{ color: {t.accent}; }}
#AttachButton {{ border: none; border-radius: 7px; padding: 4px; }}
#AttachButton::menu-indicator {{ image: none; width: 0; }}
#AttachButton:hover {{ background: {t.hover}; }}
#DropHint {{ background: rgba(196, 98, 45, 40); border: 2px dashed {t.accent}; border-radius: 16px;
    color: {t.text}; font-size: 16pt; font-weight: 600; }}
#UserImage {{ border-radius: 8px; }}
#NoticeCard {{ background: {t.notice_bg}; border: 1px solid {t.border}; border-radius: 10px; }}
#ComposerFrame {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 14px; }}
#ComposerFrame[focused="true"] {{ border-color: {t.accent}; }}
#ComposerEdit {{ background: transparent; border: none; }}
#SendButton {{
    background: {t.accent}; color: {t.accent_text}; border: none; border-radius: 9px;
    padding: 6px 14px; font-weight: 600;
}}
#SendButton:disabled {{ background: {t.border}; color: {t.muted}; }}
#SendButton[stopping="true"] {{ background: {t.text}; color: {t.window}; }}
#LinkButton {{ border: none; color: {t.accent}; padding: 2px 4px; font-weight: 600; }}
#LinkButton:hover {{ text-decoration: underline; }}
#ExampleChip {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 16px;
    padding: 7px 14px;
}}
#ExampleChip:hover {{ border-color: {t.accent}; }}
#Greeting {{ font-size: 18pt; font-weight: 600; }}
#NoticeBar {{ background: {t.notice_bg}; border-bottom: 1px solid {t.border}; }}
QPushButton#PrimaryButton {{
    background: {t.accent}; color: {t.accent_text}; border: none; border-radius: 7px;
    padding: 6px 16px; font-weight: 600;
}}
QPushButton {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 7px; padding: 6px 14px;
}}
QPushButton:hover {{ background: {t.hover}; }}
QSplitter::handle {{ background: {t.border}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 4px; min-height: 30px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: #80{t.muted[1:]}; border-radius: 3px; min-width: 30px; }}
#CodeBlock {{ background: {t.markdown.code_background}; border: none; border-radius: 6px; }}
#CodeHeader {{ background: {t.markdown.code_header}; border-top-left-radius: 6px;
    border-top-right-radius: 6px; }}
#CodeLanguage {{ color: {t.markdown.muted}; font-size: 9pt; }}
#CodeCopyButton {{ border: 1px solid transparent; border-radius: 5px; padding: 1px 5px;
    color: {t.markdown.link}; font-size: 9pt; }}
#CodeCopyButton:hover {{ background: {t.hover}; }}
QTextEdit#CodeText {{ background: transparent; border: none;
    selection-background-color: {t.accent}; selection-color: {t.accent_text}; }}
QMenu {{ background: {t.surface}; border: 1px solid {t.border}; padding: 4px; }}
QMenu::item {{ padding: 5px 18px; border-radius: 5px; }}
QMenu::item:selected {{ background: {t.hover}; }}
#JumpToLatest {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 17px; }}
#JumpToLatest:hover {{ border-color: {t.accent}; }}
#MessageAction {{ border: 1px solid transparent; border-radius: 6px; padding: 2px; }}
#MessageAction:hover {{ background: {t.hover}; }}
/* Focus: whatever Tab reaches shows an accent ring; padding is given back where a border is
   added, so nothing moves when the focus arrives. */
QPushButton:focus, #NewChatButton:focus, #ExampleChip:focus, #OptionsChip:focus,
#MessageAction:focus, #CodeCopyButton:focus, #ThinkingToggle:focus, #ToolCallToggle:focus,
#SearchField:focus {{
    border-color: {t.accent}; }}
#SidebarFooter QToolButton:focus, #HeaderBar QToolButton:focus {{
    border: 1px solid {t.accent}; padding: 4px 7px; }}
#AttachButton:focus {{ border: 1px solid {t.accent}; padding: 3px; }}
QPushButton#PrimaryButton:focus {{ border: 2px solid {t.text}; padding: 4px 14px; }}
#SendButton:focus {{ border: 2px solid {t.text}; padding: 4px 12px; }}
"""
