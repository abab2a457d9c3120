"""Dialogs that look finished: the key dialog (no blank band, a Save that looks disabled when
it is, and the truth about ``ANTHROPIC_API_KEY``), buttons without stock icons, Settings'
fields in one place on every tab with compact number fields and a language change that
neither grows the dialog nor leaves the user to restart by hand, and an About box that shows
the data folder on one line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QWidget,
)

from desktop_app.app import connect_restart
from desktop_app.ui.dialogs.about_dialog import AboutDialog
from desktop_app.ui.dialogs.key_dialog import KeyDialog
from desktop_app.ui.dialogs.options_form import ConversationOptionsDialog
from desktop_app.ui.dialogs.settings_dialog import SettingsDialog
from tests.conftest import close_window, until
from tests.helpers.contrast import colours, contrast, ink_contrast, text_rect

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def app_look_restored(qapp) -> Iterator[None]:
    """The palette and style sheet are the application's: later tests get them back."""
    palette, sheet = QApplication.palette(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    QApplication.setPalette(palette)


def visible(window, cls):
    return next((d for d in window.findChildren(cls) if d.isVisible()), None)


async def open_settings(window, qtbot) -> SettingsDialog:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: visible(window, SettingsDialog), message="settings")
    return visible(window, SettingsDialog)


def first_inked_row(top: QWidget) -> int:
    """The first row of ``top``'s pixels, from the top, that is not all background."""
    image = top.grab().toImage()
    background = colours(image, QRect(0, 0, image.width(), 1)).most_common(1)[0][0]
    for y in range(image.height()):
        row = colours(image, QRect(0, y, image.width(), 1))
        if any(contrast(colour, background) > 1.5 for colour in row):
            return y
    return image.height()


# -- the key dialog -------------------------------------------------------------------------

async def test_key_dialog_text_starts_at_its_top_with_no_blank_band(app_factory):
    window = await app_factory()
    reason = ("No system keyring is available, so your key cannot be saved. Cairn will use it "
              "until it closes and will ask again next time; it is never written to a file.")
    dialog = KeyDialog(reason, window)
    dialog.open()
    await until(dialog.isVisible)
    top_margin = dialog.layout().contentsMargins().top()
    assert first_inked_row(dialog) <= top_margin + 4  # the heading, right under the margin
    for label in (dialog.findChildren(type(dialog.reason))[0], dialog.reason):
        # Each paragraph is as tall as its lines, with no spare height to centre them in.
        assert label.height() == label.heightForWidth(label.width()), label.text()[:30]
    assert dialog.height() == dialog.heightForWidth(dialog.width())
    dialog.reject()


@pytest.mark.parametrize("name", ["light", "dark"])
async def test_a_save_that_cannot_save_looks_disabled(app_factory, qtbot, name):
    window = await app_factory()
    window.controller.services.settings.theme = name
    window.apply_theme()
    dialog = KeyDialog("", window)
    dialog.open()
    await until(dialog.isVisible)
    save, cancel = dialog.save_button, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)

    def drawn(button) -> float:
        return ink_contrast(dialog.grab().toImage(), text_rect(button, dialog).adjusted(3, 3, -3, -3))

    assert not save.isEnabled()
    disabled, enabled_cancel = drawn(save), drawn(cancel)
    assert disabled < enabled_cancel * 0.5, (disabled, enabled_cancel)  # clearly fainter
    assert disabled > 1.8  # yet legible
    qtbot.keyClicks(dialog.field, "sk-ant-a-whole-key")
    assert save.isEnabled()
    assert drawn(save) == pytest.approx(enabled_cancel, rel=0.1)  # now like any other button
    dialog.reject()


async def test_an_environment_key_is_named_and_its_dialog_says_the_variable_wins(
    app_factory, qtbot
):
    window = await app_factory(with_key=True)
    assert window.controller.key_source == "environment"
    button = window.sidebar.footer.key_button
    assert button.text() == "Key: environment"  # words, not "env"
    assert "ANTHROPIC_API_KEY environment variable" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: visible(window, KeyDialog), message="key dialog")
    dialog = visible(window, KeyDialog)
    note = dialog.environment_note
    assert note.isVisible()
    assert note.geometry().bottom() < dialog.field.geometry().top()  # read before pasting
    assert "ANTHROPIC_API_KEY" in note.text()
    assert "only until Cairn closes" in note.text()  # what a pasted key will do
    assert "change or remove" in note.text() and "restart Cairn" in note.text()  # what to do
    dialog.reject()


async def test_a_key_from_the_keyring_gets_no_environment_note(app_factory, qtbot):
    window = await app_factory()
    window.controller.account.key_source = "keyring"
    window.key_ops.on_key_requested()
    await until(lambda: visible(window, KeyDialog), message="key dialog")
    assert not visible(window, KeyDialog).environment_note.isVisible()
    visible(window, KeyDialog).reject()


# -- dialog buttons -------------------------------------------------------------------------

class IconButtonsStyle(QProxyStyle):
    """A platform whose dialog buttons carry stock icons (KDE, GNOME, plain X11)."""

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # noqa: N802, N803
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, returnData)


@pytest.fixture
def icon_buttons_platform(qapp) -> Iterator[None]:
    style = qapp.style().name()
    qapp.setStyle(IconButtonsStyle(style))
    yield
    qapp.setStyle(style)


async def test_dialog_buttons_have_no_stock_icons(app_factory, qtbot, icon_buttons_platform):
    window = await app_factory()
    settings = await open_settings(window, qtbot)
    dialogs = [settings, KeyDialog("", window), AboutDialog(window.controller.services.paths.data_dir, window),
               QMessageBox(QMessageBox.Icon.Warning, "Cairn", "A question?",
                           QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                           window)]
    model = window.controller.model_for(window.controller.current)
    dialogs.append(ConversationOptionsDialog(model, window.controller.settings.chat_options(),
                                             False, window))
    for dialog in dialogs:
        dialog.show()
        for box in dialog.findChildren(QDialogButtonBox):
            for button in box.buttons():
                assert button.icon().isNull(), f"{type(dialog).__name__}: {button.text()}"
        dialog.reject()


# -- Settings -------------------------------------------------------------------------------

async def test_settings_fields_keep_their_place_from_tab_to_tab(app_factory, qtbot):
    window = await app_factory()
    dialog = await open_settings(window, qtbot)
    starts = {}
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        page = dialog.tabs.currentWidget()
        await until(page.isVisible)
        form = page.findChild(QFormLayout) or page.layout().itemAt(0).layout()
        first = form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
        label = form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget()
        corner = first.mapTo(dialog, first.rect().topLeft())
        starts[dialog.tabs.tabText(index)] = (corner.x(), label.mapTo(dialog, label.rect().topLeft()))
    xs = {name: x for name, (x, _) in starts.items()}
    assert len(set(xs.values())) == 1, f"fields start at different places: {xs}"
    labels = {name: (p.x(), p.y()) for name, (_, p) in starts.items()}
    assert len(set(labels.values())) == 1, f"first labels at different places: {labels}"
    dialog.reject()


async def test_number_fields_are_as_wide_as_their_numbers(app_factory, qtbot):
    window = await app_factory()
    dialog = await open_settings(window, qtbot)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        await until(dialog.tabs.currentWidget().isVisible)
        for field in dialog.tabs.currentWidget().findChildren(QAbstractSpinBox):
            if field.isVisible():
                assert field.width() <= 200, (field.accessibleName(), field.width())
                assert field.width() >= field.sizeHint().width()  # the whole number shows
    assert dialog.width() > 500
    dialog.reject()


async def test_choosing_a_language_keeps_the_dialogs_size_and_offers_a_restart(
    app_factory, qtbot, data_dir
):
    window = await app_factory()
    restart = connect_restart(window)
    dialog = await open_settings(window, qtbot)
    page = dialog.tabs.currentWidget()
    size, page_size, language_at = dialog.size(), page.size(), dialog.language.pos()
    assert not dialog.restart_button.isVisible()
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    assert dialog.restart_button.isVisible() and dialog.language_note.isVisible()
    QApplication.sendPostedEvents()  # the layouts' requests: a window would grow now
    dialog.layout().activate()
    QApplication.sendPostedEvents()
    # The space was kept for the note and its button: nothing grows or moves.
    assert (dialog.size(), page.size(), dialog.language.pos()) == (size, page_size, language_at)
    assert not restart.requested

    # "Restart now" saves the settings, closes the window the normal way and asks app.main to
    # start Cairn again (app.main is not running here: nothing re-executes).
    await close_window(window, dialog.restart_button.click)
    assert restart.requested
    assert window.shutdown.done
    saved = json.loads((data_dir / "config" / "settings.json").read_text("utf-8"))
    assert saved["language"] == "zh_CN"


async def test_saving_settings_without_restart_does_not_restart(app_factory, qtbot):
    window = await app_factory()
    restart = connect_restart(window)
    dialog = await open_settings(window, qtbot)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.accept()
    await until(lambda: window.controller.settings.language == "zh_CN")
    assert not restart.requested and not window.shutdown.started


# -- About ----------------------------------------------------------------------------------

async def test_about_shows_the_data_folder_whole_on_one_line(app_factory, qtbot):
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    await until(lambda: visible(window, AboutDialog), message="about")
    dialog = visible(window, AboutDialog)
    folder = dialog.folder
    path = str(window.controller.services.paths.data_dir)
    assert isinstance(folder, QLineEdit) and folder.isReadOnly()
    assert folder.text() == path and folder.toolTip() == path  # whole, to select and copy
    assert folder.height() == folder.sizeHint().height()  # one line
    assert dialog.open_button.isVisible()
    dialog.reject()
