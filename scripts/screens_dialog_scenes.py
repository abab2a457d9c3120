"""Scenes of Cairn's dialogs: each is opened the way the window opens it (the signal its button
or menu entry emits), shot on its own (``grab()`` of the dialog, not of the screen), and
closed with Cancel, so nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLineEdit, QPushButton, QTabWidget
from shiboken6 import isValid

from scripts.screens_setup import Take
from scripts.screens_stage import SceneFailed, Stage, settled, until, visible_dialogs
from scripts.screens_window_scenes import show_conversation


async def answer_file_dialog(stage: Stage, trigger: Callable[[], Any], path: Path) -> None:
    """Do what opens a file dialog, then type ``path`` into it as a user would."""
    dialog = await stage.open_dialog(trigger, "the file dialog")
    if not isinstance(dialog, QFileDialog):
        dialog.reject()
        raise SceneFailed(f"expected a file dialog, got {type(dialog).__name__}")
    typed = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog: its name field
    if typed is not None:
        typed.setText(str(path))
    else:
        dialog.selectFile(str(path))
    chosen = [Path(name) for name in dialog.selectedFiles()]
    if chosen != [path]:  # never let Cairn write or read anywhere else
        dialog.reject()
        raise SceneFailed(f"the file dialog chose {chosen}, not {path}")
    dialog.accept()
    await until(lambda: not isValid(dialog) or not dialog.isVisible(), "the file dialog closed")


async def _shoot_and_cancel(take: Take, trigger: Callable[[], Any], what: str) -> None:
    dialog = await take.stage.open_dialog(trigger, what)
    try:
        await take.shoot(dialog)
    finally:
        dialog.reject()
        await settled(1)


async def settings(take: Take) -> None:
    """Settings (Ctrl+, or the sidebar's Settings button), each tab in turn."""
    ask = take.stage.ask("sidebar.footer.settings_requested", "Ctrl+,")
    dialog = await take.stage.open_dialog(ask, "Settings")
    try:
        tabs = dialog.findChild(QTabWidget)
        if tabs is None:
            await take.shoot(dialog)
            return
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            await settled()
            # The page captions a part in English: from the English looks only.
            english = take.stage.look.language == "en"
            await take.shoot(dialog, f"tab{index + 1}",
                       f"Tab {index + 1}: {tabs.tabText(index)}" if english else "")
    finally:
        dialog.reject()
        await settled(1)


async def conversation_options(take: Take) -> None:
    """This conversation's options (the header's chip)."""
    await show_conversation(take.stage, take.props.showcase_id)
    await _shoot_and_cancel(take, take.stage.ask("header.options_requested"),
                            "the options dialog")


async def shortcuts(take: Take) -> None:
    """The keyboard shortcuts sheet (Ctrl+/)."""
    await _shoot_and_cancel(take, take.stage.ask("sidebar.footer.shortcuts_requested",
                                                 "Ctrl+/"), "the shortcuts sheet")


async def key_dialog(take: Take) -> None:
    """The API key dialog, opened from the sidebar's key button (the key here comes from
    ``ANTHROPIC_API_KEY``)."""
    await _shoot_and_cancel(take, take.stage.ask("sidebar.footer.key_requested"),
                            "the key dialog")


async def about(take: Take) -> None:
    """About Cairn (F1)."""
    await _shoot_and_cancel(take, take.stage.ask("sidebar.footer.about_requested", "F1"),
                            "About")


async def bulk_import(take: Take) -> None:
    """Importing a backup of 20,000 conversations: the progress window, then Cancel (what
    was imported is kept, so this scene comes last)."""
    stage = take.stage
    backup = take.props.backup()
    await answer_file_dialog(stage, stage.ask("sidebar.footer.import_requested"), backup)
    transfer = stage.window.transfer

    def progress_shown() -> bool:
        progress = transfer.progress
        return progress is not None and progress.dialog.isVisible() and progress.dialog.value() > 0

    await until(progress_shown, "the import's progress window", timeout=30)
    dialog = transfer.progress.dialog
    await settled(1)
    try:
        await take.shoot(dialog)
    finally:
        cancel = dialog.findChild(QPushButton)  # its Cancel, as the user presses it
        if cancel is not None:
            cancel.click()
        else:
            dialog.canceled.emit()
        await until(lambda: transfer.progress is None, "the import cancelled", timeout=30)
        await settled(1)
        for leftover in visible_dialogs():
            leftover.reject()
