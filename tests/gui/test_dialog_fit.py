"""Dialogs whose text is all there: no check box label cut at the dialog's edge (Settings'
every tab and the conversation options, English and Chinese, at the opening size and at the
narrowest the dialog allows, beside an 800x600 window), and a shortcuts sheet that opens
showing every row, without a scroll bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QStyle,
    QStyleOptionButton,
)

from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop_app.ui.runtime.translations import install_translators, remove_translators
from tests.conftest import until

pytestmark = pytest.mark.asyncio

LANGUAGES = ("en", "zh_CN")


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The translators, locale and font each test may change are put back."""
    locale, font = QLocale(), QGuiApplication.font()
    yield
    remove_translators()
    QLocale.setDefault(locale)
    QGuiApplication.setFont(font)


async def window_in(app_factory, language: str):
    """Cairn's window in ``language`` (translators installed before any widget, as at
    start-up), 800x600."""
    assert install_translators(language) == language
    window = await app_factory()
    window.window().resize(800, 600)
    return window


def visible(window, cls):
    return next((d for d in window.findChildren(cls) if d.isVisible()), None)


def cut_text(dialog: QDialog) -> list[str]:
    """What of ``dialog``'s shown text a user cannot read whole: check box labels wider than
    the part of the box that is on screen, and wrapped labels shorter than their lines."""
    cut = []
    for check in dialog.findChildren(QCheckBox):
        if not check.isVisible():
            continue
        option = QStyleOptionButton()
        check.initStyleOption(option)
        contents = check.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxContents, option, check
        )
        shown = check.visibleRegion().boundingRect()
        available = min(contents.right(), shown.right()) - contents.left() + 1
        needed = check.fontMetrics().horizontalAdvance(check.text())
        if needed > available:
            cut.append(f"{check.text()!r}: {needed} px in {available} px")
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            lines_need = label.heightForWidth(label.width())
            if label.visibleRegion().boundingRect().height() < lines_need:
                cut.append(f"{label.text()!r}: {lines_need} px high, shown less")
    return cut


async def settled(dialog: QDialog) -> None:
    QApplication.sendPostedEvents()
    dialog.layout().activate()
    QApplication.sendPostedEvents()
    await until(dialog.isVisible)


async def each_tab_cut(dialog: SettingsDialog) -> dict[str, list[str]]:
    found = {}
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        await until(dialog.tabs.currentWidget().isVisible)
        await settled(dialog)
        found[dialog.tabs.tabText(index)] = cut_text(dialog)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_check_box_in_settings_is_cut(app_factory, qtbot, language):
    window = await window_in(app_factory, language)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog), message="settings")
    dialog = visible(window, SettingsDialog)
    await settled(dialog)
    assert dialog.findChildren(QCheckBox)
    opening = await each_tab_cut(dialog)
    assert not any(opening.values()), f"at the opening size {dialog.size()}: {opening}"

    dialog.resize(dialog.minimumSize())  # the narrowest the user can make it
    narrowest = await each_tab_cut(dialog)
    assert not any(narrowest.values()), f"at the minimum size {dialog.size()}: {narrowest}"
    dialog.reject()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_check_box_in_the_options_dialog_is_cut(app_factory, language):
    window = await window_in(app_factory, language)
    controller = window.controller
    model = controller.model_for(controller.current)
    dialog = ConversationOptionsDialog(model, controller.settings.chat_options(), False, window)
    dialog.show()
    await settled(dialog)
    assert dialog.form.compaction.isVisible()  # the long one is there to be measured
    assert not cut_text(dialog), f"at the opening size {dialog.size()}: {cut_text(dialog)}"
    # Made as small as it goes, the minimum height still holds every wrapped line.
    dialog.resize(dialog.minimumWidth(), 1)
    await settled(dialog)
    narrowest = cut_text(dialog)
    assert not narrowest, f"at the minimum size {dialog.size()}: {narrowest}"
    dialog.reject()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_shortcuts_sheet_opens_showing_every_row(app_factory, qtbot, language):
    window = await window_in(app_factory, language)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, ShortcutsDialog), message="shortcuts sheet")
    dialog = visible(window, ShortcutsDialog)
    await settled(dialog)
    table = dialog.table
    viewport = table.viewport().rect()
    hidden = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            rect = table.visualRect(table.model().index(row, column))
            if not viewport.contains(rect):
                hidden.append((row, column, table.item(row, column).text()))
    assert not hidden, f"rows outside the table's view at {dialog.size()}: {hidden}"
    assert not table.verticalScrollBar().isVisible()
    assert not table.horizontalScrollBar().isVisible()
    for row in range(table.rowCount()):  # each action is whole, not elided
        action = table.item(row, 1).text()
        assert table.fontMetrics().horizontalAdvance(action) < table.columnWidth(1), action
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    dialog.reject()
