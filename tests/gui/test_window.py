"""The window's own promises: the shortcuts it has are the ones its sheet lists, the
sidebar's foot stays readable at any width the splitter allows, and closing shuts down once,
the window's own tasks first."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QMetaMethod, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from desktop_app.ui.lib.shortcuts import key_names
from desktop_app.ui.window.startup_shell import SIDEBAR_WIDTH
from tests.conftest import close_window, until

pytestmark = pytest.mark.asyncio

# Keys a widget handles itself (the composer, the conversation list, a message being edited):
# on the sheet, but not window shortcuts.
WIDGET_KEYS = ("Enter", "Shift+Enter", "F2", "Delete", "Ctrl+V", "Ctrl+Enter")


def native(keys: str) -> str:
    """The keys as the sheet names them (as keyboards print them: "Ctrl+↑")."""
    return key_names(QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText))


async def test_the_window_has_every_shortcut_on_the_sheet_and_no_other(app_factory, qtbot):
    window = await app_factory()
    shortcuts = window.findChildren(QShortcut)
    installed = [native(s.key().toString(QKeySequence.SequenceFormat.PortableText))
                 for s in shortcuts]
    assert len(installed) == len(set(installed))  # no key twice
    for shortcut in shortcuts:  # each one does something
        assert shortcut.context() == Qt.ShortcutContext.WindowShortcut
        assert shortcut.isSignalConnected(QMetaMethod.fromSignal(shortcut.activated))

    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: any(d.isVisible() for d in window.findChildren(ShortcutsDialog)))
    dialog = next(d for d in window.findChildren(ShortcutsDialog) if d.isVisible())
    listed = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    dialog.reject()

    assert len(listed) == len(set(listed))
    assert set(installed) <= set(listed)  # every shortcut the window has is on the sheet ...
    widget_keys = {native(keys) for keys in WIDGET_KEYS}
    assert widget_keys <= set(listed)
    assert set(listed) - widget_keys == set(installed)  # ... and every other key on it works
    for keys in ("Ctrl+N", "Ctrl+F", "Ctrl+,", "Ctrl+B", "Ctrl+O", "Ctrl+Q", "Esc", "Ctrl+/"):
        assert native(keys) in installed  # the standard ones (docs: DESIGN.md)


def readable(footer, button) -> bool:
    """A button shows its whole text (as wide as it asks to be: a squeezed QToolButton
    elides its text in the middle, "Se…gs"), or only its icon, with a tooltip and an
    accessible name saying what it is."""
    if footer.shows_text(button) and button.text():
        return button.width() >= button.sizeHint().width()
    return bool(button.toolTip()) and bool(button.accessibleName())


async def test_sidebar_foot_is_readable_at_the_sidebars_minimum_width(app_factory):
    window = await app_factory()
    window.resize(1100, 760)
    footer = window.sidebar.footer
    buttons = (footer.settings_button, footer.more_button, footer.key_button)
    assert footer.key_button.text()  # "Key: environment": the key state is there to be read
    smallest = window.sidebar.minimumWidth()
    for width in (smallest, 225, SIDEBAR_WIDTH, 420):
        window.splitter.setSizes([width, window.width() - width])
        await until(lambda: window.sidebar.width() == width
                    and footer.width() == width
                    and all(readable(footer, b) for b in buttons),
                    message=f"a readable footer at {width} px: " + ", ".join(
                        f"{b.accessibleName()} {b.width()}/{b.sizeHint().width()}"
                        for b in buttons))
    assert footer.shows_text(footer.settings_button)  # wide: words again, not only icons
    assert footer.shows_text(footer.key_button)
    window.splitter.setSizes([smallest, window.width() - smallest])
    await until(lambda: not footer.shows_text(footer.settings_button),
                message="narrow: Settings as an icon")
    assert footer.settings_button.toolTip().startswith("Settings")


async def test_closing_ends_the_windows_tasks_then_the_controller_once(app_factory, monkeypatch):
    window = await app_factory()
    order: list[str] = []
    started = asyncio.Event()

    async def waiting_operation() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            order.append("operation cancelled")
            raise

    real_shutdown = window.controller.shutdown

    async def shutdown() -> None:
        order.append("controller shut down")
        await real_shutdown()

    monkeypatch.setattr(window.controller, "shutdown", shutdown)
    window.spawn(waiting_operation())
    await started.wait()
    window.close()  # closed twice: the shutdown still runs once
    await close_window(window)
    assert order == ["operation cancelled", "controller shut down"]
    assert window.shutdown.done and not window.tasks
