"""Every keyboard shortcut Cairn has, in one table: the window installs its own from it and
the shortcuts sheet (Ctrl+/) lists all of it, so the two cannot drift apart.

Keys that a widget handles itself (Enter in the composer, F2 in the list, ...) are in the
table for the sheet, without an action; the window installs the rest by action name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Shortcut:
    """One row of the table.

    Attributes:
        keys: the key sequence, in Qt's portable text ("Ctrl+N").
        action: the name of the window action it triggers; None for a key a widget handles
            itself (the composer, the conversation list, a message being edited).
        description: what it does, in English (shown translated, context "Shortcuts").
    """

    keys: str
    action: str | None
    description: str

    @property
    def translated_description(self) -> str:
        return QCoreApplication.translate("Shortcuts", self.description)

    @property
    def shown_keys(self) -> str:
        return key_names(self.keys)


ARROWS = {"Up": "↑", "Down": "↓", "Left": "←", "Right": "→"}


def key_names(keys: str) -> str:
    """Keys as a keyboard prints them, whatever the interface language: "Ctrl+↑", "Esc",
    "F2". Qt's native text names keys through its own catalog ("Ctrl+上方向" in Chinese),
    words no keyboard shows; macOS keeps its native symbols ("⌘N"), which are not words."""
    sequence = QKeySequence(keys)
    if sys.platform == "darwin":
        return sequence.toString(QKeySequence.SequenceFormat.NativeText) or keys
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText) or keys
    return "+".join(ARROWS.get(part, part) for part in text.split("+"))


# In the order a new user meets them (the order of the sheet).
SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Enter", None, QT_TRANSLATE_NOOP("Shortcuts", "Send the message")),
    Shortcut("Shift+Enter", None, QT_TRANSLATE_NOOP("Shortcuts", "New line in the message")),
    Shortcut("Esc", "stop", QT_TRANSLATE_NOOP("Shortcuts", "Stop the reply")),
    Shortcut("Ctrl+N", "new_conversation", QT_TRANSLATE_NOOP("Shortcuts", "New conversation")),
    Shortcut("Ctrl+F", "search", QT_TRANSLATE_NOOP("Shortcuts", "Search conversations")),
    Shortcut("Ctrl+Up", "previous_conversation",
             QT_TRANSLATE_NOOP("Shortcuts", "Previous conversation")),
    Shortcut("Ctrl+Down", "next_conversation",
             QT_TRANSLATE_NOOP("Shortcuts", "Next conversation")),
    Shortcut("F2", None, QT_TRANSLATE_NOOP(
        "Shortcuts", "Rename the selected conversation (in the list)")),
    Shortcut("Delete", None, QT_TRANSLATE_NOOP(
        "Shortcuts", "Delete the selected conversation (in the list)")),
    Shortcut("Ctrl+V", None, QT_TRANSLATE_NOOP("Shortcuts", "Paste text or an image")),
    Shortcut("Ctrl+O", "attach_files", QT_TRANSLATE_NOOP("Shortcuts", "Attach images or PDFs")),
    Shortcut("Ctrl+Enter", None, QT_TRANSLATE_NOOP("Shortcuts", "Send an edited message")),
    Shortcut("Ctrl+B", "toggle_sidebar",
             QT_TRANSLATE_NOOP("Shortcuts", "Show or hide the sidebar")),
    Shortcut("Ctrl+,", "settings", QT_TRANSLATE_NOOP("Shortcuts", "Settings")),
    Shortcut("Ctrl+/", "shortcuts", QT_TRANSLATE_NOOP("Shortcuts", "This list of shortcuts")),
    Shortcut("F1", "about", QT_TRANSLATE_NOOP("Shortcuts", "About Cairn")),
    Shortcut("Ctrl+Q", "quit", QT_TRANSLATE_NOOP("Shortcuts", "Quit")),
)


def install_shortcuts(
    window: QWidget, actions: Mapping[str, Callable[[], object]]
) -> list[QShortcut]:
    """Give ``window`` a window-wide shortcut for every row of the table that has an action.

    Raises:
        ValueError: ``actions`` lacks an action the table names, or has one it does not.
    """
    named = {s.action for s in SHORTCUTS if s.action is not None}
    if named != set(actions):
        raise ValueError(f"shortcut actions out of step with the table: {named ^ set(actions)}")
    installed = []
    for row in SHORTCUTS:
        if row.action is None:
            continue
        shortcut = QShortcut(QKeySequence(row.keys), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(actions[row.action])
        installed.append(shortcut)
    return installed
