"""The window's first frame (ui/startup_shell.py): shown before Cairn has loaded, it takes typing,
then the real window fills it in without losing what was typed or changing window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.storage.paths import AppPaths
from desktop_app.ui.lib import theme
from desktop_app.ui.window.startup_shell import SHELL_COLOURS, AppFrame, saved_theme_name
from tests.conftest import close_window, until


def start_frame(data_dir: Path) -> AppFrame:
    paths = AppPaths.portable(data_dir)
    frame = AppFrame(paths.config_dir / "window.ini", saved_theme_name(paths.settings_file))
    frame.show_and_focus()
    QApplication.processEvents()
    return frame


@pytest.mark.asyncio
async def test_typing_into_the_first_frame_carries_over_and_sends(app_factory, data_dir, fake_api,
                                                                   qtbot):
    frame = start_frame(data_dir)
    assert frame.isVisible() and frame.windowTitle() == "Cairn"
    assert QApplication.focusWidget() is frame.shell.edit
    qtbot.keyClicks(frame.shell.edit, "What is a cairn")
    qtbot.keyClick(frame.shell.edit, Qt.Key.Key_Left)  # the cursor is not at the end

    window = await app_factory(frame=frame)
    assert frame.centralWidget() is window and window.isVisible() and window.window() is frame
    assert window.composer.edit.toPlainText() == "What is a cairn"
    assert window.composer.edit.textCursor().position() == len("What is a cairn") - 1
    assert QApplication.focusWidget() is window.composer.edit
    assert frame.minimumSize().width() == 640 and not frame.windowIcon().isNull()

    qtbot.keyClick(window.composer.edit, Qt.Key.Key_End)
    qtbot.keyClicks(window.composer.edit, "?")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: fake_api.message_requests(), message="request sent")
    await window.controller.wait_idle()
    sent = fake_api.message_requests()[-1].body["messages"][-1]["content"][0]["text"]
    assert sent == "What is a cairn?"
    await close_window(window, close=frame.close)


@pytest.mark.asyncio
async def test_closing_the_window_shuts_down_and_the_next_start_opens_where_it_was(
        app_factory, data_dir):
    frame = start_frame(data_dir)
    window = await app_factory(frame=frame)
    frame.resize(980, 620)
    window.splitter.setSizes([240, 740])
    sidebar_width = window.splitter.sizes()[0]
    await close_window(window, close=frame.close)  # the staged shutdown ran: `closed` was emitted
    assert not frame.isVisible()

    frame = start_frame(data_dir)  # the outline already has last time's size
    assert (frame.width(), frame.height()) == (980, 620)
    window = await app_factory(frame=frame)
    assert (frame.width(), frame.height()) == (980, 620)
    assert abs(window.splitter.sizes()[0] - sidebar_width) <= 2
    await close_window(window, close=frame.close)


@pytest.mark.asyncio
async def test_quit_shortcut_closes_the_whole_window(app_factory, data_dir, qtbot):
    frame = start_frame(data_dir)
    window = await app_factory(frame=frame)
    await close_window(window, close=lambda: qtbot.keyClick(
        window.composer.edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier))
    assert not frame.isVisible()


def test_the_outline_is_painted_in_the_saved_theme_as_soon_as_it_is_shown(data_dir, qapp):
    settings = AppPaths.portable(data_dir).settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"schema": 1, "theme": "dark"}, indent=1), encoding="utf-8")
    frame = start_frame(data_dir)
    assert frame.windowHandle().isExposed()
    picture = frame.grab().toImage()
    dark = SHELL_COLOURS["dark"]
    assert picture.pixelColor(100, 300).name() == dark["sidebar"]
    assert picture.pixelColor(600, 300).name() == dark["window"]
    composer = frame.shell.edit.parentWidget()
    middle = composer.mapTo(frame, composer.rect().center())
    assert picture.pixelColor(middle.x() + 200, middle.y()).name() == dark["surface"]
    assert composer.geometry().bottom() > frame.height() - 80  # where the real composer is
    frame.close()
    frame.deleteLater()


def test_the_outline_uses_the_saved_theme_and_the_themes_colours(data_dir, qapp):
    settings = AppPaths.portable(data_dir).settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"theme": "dark"}), encoding="utf-8")
    assert saved_theme_name(settings) == "dark"
    system = "dark" if QApplication.palette().window().color().lightness() < 128 else "light"
    assert system == "light"  # offscreen Qt's palette: a wrong "dark" below would show
    for unusable in ("{not json", json.dumps({"theme": "system"}), json.dumps({"theme": 7})):
        settings.write_text(unusable, encoding="utf-8")
        assert saved_theme_name(settings) == system, unusable
    settings.unlink()
    assert saved_theme_name(settings) == system
    for name, full in (("light", theme.LIGHT), ("dark", theme.DARK)):
        for role, colour in SHELL_COLOURS[name].items():
            assert getattr(full, role) == colour, (name, role)


def test_showing_the_outline_loads_nothing_heavy(tmp_path):
    """What makes the first frame fast: no asyncio, no Cairn widgets or controller, no SDK, and
    no use of Qt's ``Qt`` namespace (its first use builds about 95 enum types)."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop_app import app\n"
        "from PySide6 import QtCore\n"
        "from PySide6.QtWidgets import QApplication\n"
        "qt = QApplication([])\n"
        "from desktop_app.storage.paths import AppPaths\n"
        "from desktop_app.ui.runtime.single_instance import SingleInstance\n"
        "from desktop_app.ui.window.startup_shell import AppFrame, saved_theme_name\n"
        f"paths = AppPaths.portable(Path({str(tmp_path)!r}))\n"
        "SingleInstance(paths.data_dir).ask_running_instance()\n"
        "frame = AppFrame(paths.config_dir / 'window.ini', saved_theme_name(paths.settings_file))\n"
        "frame.show_and_focus(); qt.processEvents()\n"
        "heavy = ['asyncio', 'anthropic', 'desktop_app.ui.window.main_window', 'desktop_app.ui.lib.theme',\n"
        "         'desktop_app.ui.session.chat_controller', 'qasync', 'PySide6.QtNetwork',\n"
        "         'ziamath', 'latex2mathml']\n"
        "print([m for m in heavy if m in sys.modules], 'Qt' in QtCore.__dict__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] False"


@pytest.mark.asyncio
async def test_closing_the_content_closes_the_whole_window(app_factory, data_dir):
    """Code that closes the main window itself (the tray, automation) closes the frame too,
    instead of leaving an empty window behind."""
    frame = start_frame(data_dir)
    window = await app_factory(frame=frame)
    await close_window(window)  # window.close(), on the content
    assert not frame.isVisible()
