"""Style sheet rules for Qt's standard controls, in the theme's colours: tabs, tables and their
headers, spin boxes, check boxes, progress bars, horizontal scroll bars, dialog buttons, the
disabled state of everything, and the few parts of Cairn's dialogs that need a rule.

``theme.style_sheet`` styles Cairn's own widgets (by object name); these rules give the
controls of its dialogs the same flat, rounded look. They go after it, so where both name a
control in the same state these win.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from desktop_app.ui.lib.theme import Theme


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0 to 1) of the way towards ``other``, as ``#rrggbb``."""
    a, b = QColor(colour), QColor(other)
    channels = (
        round(x + (y - x) * amount)
        for x, y in ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def disabled_text(theme: Theme) -> str:
    """Text of a control that cannot be used: clearly fainter than any text that can (a Save
    that cannot save must not look as if it could), yet still legible."""
    return mix(theme.text, theme.window, 0.6)


@dataclass(frozen=True)
class ControlImages:
    """Image files the rules draw (a style sheet can only name a file), in the theme's colours.

    Attributes:
        chevron_down: a combo box's and a spin box's down arrow.
        chevron_up: a spin box's up arrow.
        check: the tick in a ticked check box.
    """

    chevron_down: str
    chevron_up: str
    check: str


def controls_style_sheet(t: Theme, images: ControlImages) -> str:
    """The rules, for theme ``t``."""
    faint = disabled_text(t)
    return f"""
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
QWidget:disabled {{ color: {faint}; }}
QPushButton:disabled, QPushButton#PrimaryButton:disabled {{
    background: transparent; color: {faint}; border: 1px dashed {t.border};
}}
QLineEdit:disabled, QComboBox:disabled, QAbstractSpinBox:disabled {{
    background: {t.window}; color: {faint};
}}
QLineEdit[readOnly="true"] {{ background: {t.window}; }}
QComboBox:focus {{ border-color: {t.accent}; }}
QComboBox QAbstractItemView {{ color: {t.text}; }}
QAbstractSpinBox {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 7px;
    padding: 4px 22px 4px 8px;
    selection-background-color: {t.accent}; selection-color: {t.accent_text};
}}
QAbstractSpinBox:focus {{ border-color: {t.accent}; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
    subcontrol-origin: border; width: 20px; border: none; background: transparent;
}}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; margin-top: 2px; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; margin-bottom: 2px; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
    background: {t.hover}; border-radius: 4px;
}}
QAbstractSpinBox::up-arrow {{ image: url({images.chevron_up}); width: 10px; height: 10px; }}
QAbstractSpinBox::down-arrow {{ image: url({images.chevron_down}); width: 10px; height: 10px; }}
QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off,
QAbstractSpinBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:off {{ image: none; }}
QTabWidget::pane {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; top: -1px;
}}
QTabBar::tab {{
    background: transparent; color: {t.muted}; padding: 7px 14px; margin-right: 2px;
    border: none; border-bottom: 2px solid transparent;
}}
QTabBar::tab:hover {{ color: {t.text}; }}
QTabBar::tab:selected {{ color: {t.text}; border-bottom-color: {t.accent}; }}
QTableView {{
    background: {t.surface}; alternate-background-color: {t.hover}; color: {t.text};
    border: 1px solid {t.border}; border-radius: 8px; gridline-color: {t.border};
    selection-background-color: {t.selection}; selection-color: {t.text}; outline: 0;
}}
QTableView::item {{ padding: 4px 8px; }}
QHeaderView {{ background: transparent; }}
QHeaderView::section {{
    background: {t.window}; color: {t.muted}; border: none;
    border-bottom: 1px solid {t.border}; padding: 6px 8px; font-weight: 600;
}}
QTableCornerButton::section {{ background: {t.window}; border: none; }}
QTreeView, QListWidget {{
    background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 8px;
    selection-background-color: {t.selection}; selection-color: {t.text}; outline: 0;
}}
QTreeView::item, QListWidget::item {{ padding: 3px 2px; }}
QTreeView::indicator, QListWidget::indicator {{
    width: 14px; height: 14px; border: 1px solid {t.muted}; border-radius: 4px;
    background: {t.surface};
}}
QTreeView::indicator:checked, QListWidget::indicator:checked {{
    background: {t.accent}; border-color: {t.accent}; image: url({images.check});
}}
QTreeView::indicator:disabled {{ background: {t.window}; border-color: {t.border}; }}
QTreeView::indicator:checked:disabled {{ background: {t.border}; border-color: {t.border}; }}
QCheckBox {{ spacing: 8px; }}
QCheckBox::indicator {{
    width: 14px; height: 14px; border: 1px solid {t.muted}; border-radius: 4px;
    background: {t.surface};
}}
QCheckBox::indicator:hover {{ border-color: {t.accent}; }}
QCheckBox::indicator:checked {{
    background: {t.accent}; border-color: {t.accent}; image: url({images.check});
}}
QCheckBox::indicator:disabled {{ background: {t.window}; border-color: {t.border}; }}
QCheckBox::indicator:checked:disabled {{ background: {t.border}; }}
QRadioButton {{ spacing: 8px; }}
QRadioButton::indicator {{
    width: 14px; height: 14px; border: 1px solid {t.muted}; border-radius: 8px;
    background: {t.surface};
}}
QRadioButton::indicator:hover {{ border-color: {t.accent}; }}
QRadioButton::indicator:checked {{
    border-color: {t.accent};
    background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5,
        stop: 0 {t.accent}, stop: 0.5 {t.accent}, stop: 0.6 {t.surface}, stop: 1 {t.surface});
}}
QProgressBar {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px;
    text-align: center; color: {t.text}; min-height: 14px;
}}
QProgressBar::chunk {{ background: {t.accent}; border-radius: 5px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: {t.border}; border-radius: 4px; min-width: 30px; }}
QScrollBar::handle:hover {{ background: {t.muted}; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QMenu {{ color: {t.text}; }}
QMenu::item:disabled {{ color: {faint}; }}
QMenu::separator {{ height: 1px; background: {t.border}; margin: 4px 8px; }}
QMessageBox QLabel {{ color: {t.text}; }}
QLabel#FormProblem {{ color: {t.accent}; }}
QPlainTextEdit#FramedText {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 7px; padding: 5px 8px;
    selection-background-color: {t.accent}; selection-color: {t.accent_text};
}}
QPlainTextEdit#FramedText:focus {{ border-color: {t.accent}; }}
QLabel#KeyDialogNotice {{
    background: {t.notice_bg}; border: 1px solid {t.border}; border-radius: 8px; padding: 8px 10px;
}}
"""
