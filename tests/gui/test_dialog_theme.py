"""Every screen in the theme, not only the main window: Settings (each tab), a conversation's
options, the shortcuts sheet, a message box, a progress window and a menu show their text at
readable contrast (WCAG AA, 4.5:1) in the light and the dark theme, read from the pixels they
draw; the palette follows the theme and the system's colour scheme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTabBar,
    QTableWidget,
    QWidget,
)

from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop_app.ui.lib import theme as theme_module
from desktop_app.ui.lib.theme import DARK, LIGHT
from tests.conftest import until
from tests.helpers.contrast import BODY_TEXT, ink_contrast, rgb, text_rect

pytestmark = pytest.mark.asyncio
THEMES = {"light": LIGHT, "dark": DARK}


@pytest.fixture(autouse=True)
def app_look_restored(qapp) -> Iterator[None]:
    """The palette and style sheet are the application's: later tests get them back."""
    palette, sheet = QApplication.palette(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    QApplication.setPalette(palette)


async def themed_window(app_factory, name: str):
    window = await app_factory()
    window.controller.services.settings.theme = name
    window.apply_theme()
    return window


def visible(window, cls):
    return next((d for d in window.findChildren(cls) if d.isVisible()), None)


def text_regions(top: QWidget) -> dict[str, QRect]:
    """Where every piece of text ``top`` shows now is, in its coordinates, by a readable name:
    labels, check boxes, combo and spin boxes, line edits, enabled buttons (a disabled one is
    meant to be faint), tabs, table cells and headers."""
    regions: dict[str, QRect] = {}

    def add(name: str, widget: QWidget, inner: QRect | None = None) -> None:
        regions[f"{type(widget).__name__} {name!r}"] = text_rect(widget, top, inner)

    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled() or widget.window() is not top:
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            add(widget.text()[:40], widget, widget.contentsRect())
        elif isinstance(widget, QCheckBox):  # the words, right of the box
            add(widget.text(), widget, widget.rect().adjusted(28, 0, 0, 0))
        elif isinstance(widget, QComboBox):  # the words, left of the arrow
            add(widget.currentText(), widget, widget.rect().adjusted(2, 2, -28, -2))
        elif isinstance(widget, QAbstractSpinBox):
            edit = widget.findChild(QLineEdit)
            add(widget.text(), edit, edit.rect())
        elif isinstance(widget, QLineEdit) and widget.text() and widget.parent() is not None \
                and not isinstance(widget.parent(), QAbstractSpinBox):
            add(widget.text(), widget, widget.rect().adjusted(2, 2, -2, -2))
        elif isinstance(widget, QPushButton) and widget.text():
            add(widget.text(), widget, widget.rect().adjusted(3, 3, -3, -3))
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), widget, widget.tabRect(index).adjusted(1, 1, -1, -3))
        elif isinstance(widget, QTableWidget):
            header = widget.horizontalHeader()
            for column in range(widget.columnCount()):
                name = widget.horizontalHeaderItem(column).text()
                add(name, header, QRect(header.sectionViewportPosition(column), 0,
                                        header.sectionSize(column), header.height()))
            for row in range(3):  # the first rows: the rest are drawn the same way
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    add(item.text(), widget.viewport(), widget.visualItemRect(item))
    return regions


def assert_readable(top: QWidget, what: str) -> None:
    image = top.grab().toImage()
    regions = text_regions(top)
    assert regions, f"{what}: no text found"
    poor = {name: round(ink_contrast(image, rect), 2) for name, rect in regions.items()}
    poor = {name: ratio for name, ratio in poor.items() if ratio < BODY_TEXT}
    assert not poor, f"{what}: text below {BODY_TEXT}:1 contrast: {poor}"


@pytest.mark.parametrize("name", THEMES)
async def test_settings_tabs_are_readable_in_each_theme(app_factory, qtbot, name):
    window = await themed_window(app_factory, name)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog), message="settings")
    dialog = visible(window, SettingsDialog)
    dialog.stop_sequences.setText("END")  # a typed value, as well as the placeholders' hints
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        await until(lambda: dialog.tabs.currentWidget().isVisible())
        assert_readable(dialog, f"Settings, {dialog.tabs.tabText(index)} tab, {name}")
    dialog.reject()


@pytest.mark.parametrize("name", THEMES)
async def test_options_shortcuts_and_message_box_are_readable(app_factory, qtbot, name):
    window = await themed_window(app_factory, name)
    qtbot.mouseClick(window.header.options_chip, Qt.MouseButton.LeftButton)
    await until(lambda: visible(window, ConversationOptionsDialog), message="options dialog")
    options = visible(window, ConversationOptionsDialog)
    assert_readable(options, f"conversation options, {name}")
    options.reject()

    window.help_ops.on_shortcuts_requested()
    await until(lambda: visible(window, ShortcutsDialog), message="shortcuts sheet")
    sheet = visible(window, ShortcutsDialog)
    assert_readable(sheet, f"shortcuts sheet, {name}")
    sheet.reject()

    box = QMessageBox(QMessageBox.Icon.Warning, "Cairn", "Something went wrong: a test.",
                      QMessageBox.StandardButton.Ok, window)
    box.open()
    await until(box.isVisible)
    assert_readable(box, f"message box, {name}")
    box.done(0)

    progress = QProgressDialog("Importing conversations…", "Cancel", 0, 10, window)
    progress.setValue(4)
    progress.show()
    await until(progress.isVisible)
    assert_readable(progress, f"progress window, {name}")
    progress.close()

    menu = window.sidebar.footer.more_menu()
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    await until(menu.isVisible)
    image = menu.grab().toImage()
    for action in menu.actions():
        if action.text():
            ratio = ink_contrast(image, menu.actionGeometry(action).adjusted(4, 1, -4, -1))
            assert ratio >= BODY_TEXT, f"menu item {action.text()!r}, {name}: {ratio:.2f}"
    menu.close()


@pytest.mark.parametrize("name", THEMES)
async def test_the_palette_is_the_themes(app_factory, name):
    theme = THEMES[name]
    window = await themed_window(app_factory, name)
    palette = QApplication.palette()
    assert palette.color(QPalette.ColorRole.Window).name() == theme.window
    assert palette.color(QPalette.ColorRole.Base).name() == theme.surface
    assert palette.color(QPalette.ColorRole.Text).name() == theme.text
    assert palette.color(QPalette.ColorRole.ToolTipBase).name() == theme.surface
    # A dialog made now, with no style of its own, is drawn in the theme too.
    plain = QWidget(window, Qt.WindowType.Dialog)
    assert rgb(plain.palette().color(QPalette.ColorRole.Window)) == rgb(
        palette.color(QPalette.ColorRole.Window))
    plain.deleteLater()


async def test_the_palette_follows_the_systems_colour_scheme(app_factory, monkeypatch):
    window = await app_factory()
    assert window.controller.settings.theme == "system"
    hints = QApplication.styleHints()
    scheme = {"now": Qt.ColorScheme.Light}

    class System:
        """The system's colour scheme, as the theme module reads it."""

        @staticmethod
        def styleHints():  # noqa: N802
            class Hints:
                @staticmethod
                def colorScheme():  # noqa: N802
                    return scheme["now"]

            return Hints()

    monkeypatch.setattr(theme_module, "QGuiApplication", System)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window

    scheme["now"] = Qt.ColorScheme.Dark
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the OS switched to dark
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    assert QApplication.palette().color(QPalette.ColorRole.Text).name() == DARK.text

    window.controller.services.settings.theme = "light"  # an override beats the system
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == DARK.window
    window.apply_theme()
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
