"""Launch behaviour: one instance per data folder, remembered geometry, About, tray."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSystemTrayIcon

from desktop_app import __version__
from desktop_app.ui.dialogs.about_dialog import AboutDialog
from desktop_app.ui.runtime.single_instance import SingleInstance
from tests.conftest import close_window, until

pytestmark = pytest.mark.asyncio


async def test_second_launch_brings_the_first_forward_and_exits(data_dir):
    first = SingleInstance(data_dir)
    assert not first.ask_running_instance()
    assert first.listen()
    asked = []
    first.activation_requested.connect(lambda: asked.append(True))
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        await until(lambda: asked, message="activation request received")
    finally:
        first.close()
    assert process.returncode == 0, err.decode()
    assert b"already running" in out
    assert not (data_dir / "conversations").exists()  # the second launch touched nothing
    # Another folder is another instance.
    other = SingleInstance(data_dir / "other")
    assert not other.ask_running_instance()
    other.close()


HOLDER = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from desktop_app.ui.runtime.single_instance import SingleInstance
app = QCoreApplication([])
holder = SingleInstance(Path(sys.argv[1]))
assert not holder.ask_running_instance()
print("locked", flush=True)
time.sleep(1.0)  # still starting: not listening yet
holder.listen()
holder.activation_requested.connect(lambda: (print("activated", flush=True), app.quit()))
QTimer.singleShot(20_000, app.quit)
app.exec()
holder.close()
"""


async def test_a_launch_while_the_first_is_still_starting_waits_for_it(data_dir):
    """The first Cairn holds the folder from its first moment but answers only once its
    window is up; a second launch in between must not become a second writer."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, str(data_dir), stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), 30) == b"locked\n"
        second = SingleInstance(data_dir)
        assert second.ask_running_instance()  # waited for the first to listen, then asked it
        assert await asyncio.wait_for(process.stdout.readline(), 30) == b"activated\n"
        assert await asyncio.wait_for(process.wait(), 30) == 0
        # Once the first has gone, the folder is free again.
        third = SingleInstance(data_dir)
        assert not third.ask_running_instance()
        third.close()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_a_folder_that_cannot_be_locked_falls_back_to_the_socket(data_dir, monkeypatch):
    from desktop_app.ui.runtime import single_instance

    def no_locks(path):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(single_instance, "_take_lock", no_locks)
    first = SingleInstance(data_dir)
    assert not first.ask_running_instance()  # nobody listens: this one goes ahead
    assert first.listen()
    try:
        assert SingleInstance(data_dir).ask_running_instance()  # found through the socket
    finally:
        first.close()


async def test_window_remembers_its_size_and_splitter(app_factory):
    window = await app_factory()
    window.resize(1000, 640)
    window.splitter.setSizes([230, 770])
    sidebar_width = window.splitter.sizes()[0]
    assert sidebar_width != 260  # not the default
    await close_window(window)
    window = await app_factory()
    assert (window.width(), window.height()) == (1000, 640)
    assert abs(window.splitter.sizes()[0] - sidebar_width) <= 2


async def test_about_shows_version_licence_and_data_folder(app_factory, data_dir, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("desktop_app.ui.dialogs.about_dialog.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    await until(lambda: [d for d in window.findChildren(AboutDialog) if d.isVisible()])
    dialog = [d for d in window.findChildren(AboutDialog) if d.isVisible()][0]
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert __version__ in texts and "MIT" in texts and str(data_dir) in dialog.folder.text()
    dialog.open_button.click()
    assert opened == [str(data_dir)]


async def test_tray_icon_keeps_cairn_running_until_quit(app_factory, monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = await app_factory()
    settings = window.controller.settings
    settings.tray_icon = True
    await window.controller.apply_settings(settings)
    window.tray.set_wanted(settings.tray_icon)
    window.close()
    await until(lambda: not window.isVisible())
    assert not window.shutdown.started  # hidden, still running
    window.bring_forward()
    assert window.isVisible()
    closed = []
    window.closed.connect(lambda: closed.append(True))
    window.quit()
    await until(lambda: closed, message="quit closes for real")
