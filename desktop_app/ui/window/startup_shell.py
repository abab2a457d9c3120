"""The window's first frame: Cairn's outline and a composer you can type into, shown before
the rest of Cairn is imported.

Importing Cairn's widgets, the controller and asyncio takes two to three times as long as
starting Qt itself, and the first use of Qt's ``Qt`` namespace alone builds about 95 Python
enum types. So ``app.build_window`` shows an ``AppFrame`` holding a ``StartupShell`` straight after
``QApplication`` exists, then builds the real ``MainWindow`` into the same top-level window
(``AppFrame.adopt``): the window never changes, only its contents fill in. What is typed into
the shell's composer moves to the real one, and keys pressed while Cairn is still loading are
delivered to the real composer, which has the focus by then.

This module must stay cheap to import: PySide6's widget classes and the standard library only,
and nothing that touches ``PySide6.QtCore.Qt`` (see ``tests/gui/test_startup_shell.py``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEventLoop, QSettings, QSize, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # QCloseEvent's first use builds QEvent.Type, an enum of ~180 members
    from PySide6.QtGui import QCloseEvent

WINDOW_TITLE = "Cairn"
EXPOSE_WAIT_S = 0.25  # at most this long for the window system to show the window
DEFAULT_SIZE = QSize(1100, 760)
MINIMUM_SIZE = QSize(640, 420)
SIDEBAR_WIDTH = 260
COMPOSER_MAX_WIDTH = 820
# Where the real window's header and one-line composer are, so nothing jumps when it arrives.
HEADER_HEIGHT = 45
COMPOSER_HEIGHT = 46
COMPOSER_BOTTOM_GAP = 29

# The few colour roles the outline needs; ui/theme.py's LIGHT and DARK hold the same values
# (a test compares them) but importing it here would build the Qt namespace's enums.
SHELL_COLOURS = {
    "light": {"window": "#faf8f5", "sidebar": "#f1ede7", "surface": "#ffffff",
              "border": "#e3ddd4", "text": "#2b2926"},
    "dark": {"window": "#1f1e1c", "sidebar": "#181716", "surface": "#262523",
             "border": "#37342f", "text": "#e9e5df"},
}


_THEME_ENTRY = re.compile(r'"theme"\s*:\s*"(light|dark)"')


def saved_theme_name(settings_file: Path) -> str:
    """"light" or "dark": the saved choice, or the system's when it is "system" or unreadable.

    The one entry is found with a regular expression rather than the json module, whose import
    alone would delay the first frame by 5 ms; ``SettingsStore`` reads the file properly a
    moment later, and a wrong guess here would only tint the outline for that moment. The
    system's scheme is read from the palette: ``styleHints().colorScheme()`` returns a ``Qt``
    enum, whose first use costs what this module exists to avoid.
    """
    try:
        found = _THEME_ENTRY.search(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = None
    if found:
        return found.group(1)
    lightness = QApplication.palette().window().color().lightness()
    return "dark" if lightness < 128 else "light"


def restore_place(window: QWidget, state: QSettings) -> None:
    """Put a top-level window where it was: the keys ``MainWindow`` saves on closing."""
    geometry = state.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    size = state.value("size")
    if isinstance(size, QSize) and not window.isMaximized():
        window.resize(size)  # some platforms restore the frame, not the content size


def save_place(window: QWidget, state: QSettings, splitter: QByteArray) -> None:
    """Keep where a top-level window is, and its splitter's state, for the next start."""
    state.setValue("geometry", window.saveGeometry())
    state.setValue("size", window.size())
    state.setValue("splitter", splitter)
    state.sync()


class StartupShell(QWidget):
    """The outline of the main window (sidebar, conversation pane, composer) in the theme's
    colours, with a plain text box standing in for the composer."""

    def __init__(self, theme_name: str) -> None:
        super().__init__()
        colours = SHELL_COLOURS.get(theme_name, SHELL_COLOURS["light"])
        self.setObjectName("StartupShell")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        sidebar = QFrame()
        sidebar.setObjectName("ShellSidebar")
        sidebar.setFixedWidth(SIDEBAR_WIDTH)
        pane = QWidget()
        pane.setObjectName("ShellPane")
        pane_layout = QVBoxLayout(pane)
        pane_layout.setContentsMargins(0, 0, 0, 0)
        pane_layout.setSpacing(0)
        pane_layout.addSpacing(HEADER_HEIGHT - 1)
        rule = QFrame()  # the header's bottom border
        rule.setObjectName("ShellRule")
        rule.setFixedHeight(1)
        pane_layout.addWidget(rule)
        pane_layout.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 24, COMPOSER_BOTTOM_GAP)
        row.addStretch(1)
        box = QFrame()
        box.setObjectName("ShellComposer")
        box.setMaximumWidth(COMPOSER_MAX_WIDTH)
        box.setFixedHeight(COMPOSER_HEIGHT)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(48, 4, 12, 4)  # the text starts right of the clip icon
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("ShellEdit")
        box_layout.addWidget(self.edit)
        row.addWidget(box, 100)
        row.addStretch(1)
        pane_layout.addLayout(row)
        layout.addWidget(sidebar)
        layout.addWidget(pane, 1)
        self.setStyleSheet(
            f"#StartupShell, #ShellPane {{ background: {colours['window']}; }}"
            f"#ShellSidebar {{ background: {colours['sidebar']};"
            f" border-right: 1px solid {colours['border']}; }}"
            f"#ShellRule {{ background: {colours['border']}; }}"
            f"#ShellComposer {{ background: {colours['surface']};"
            f" border: 1px solid {colours['border']}; border-radius: 14px; }}"
            f"#ShellEdit {{ background: transparent; border: none; color: {colours['text']}; }}"
        )

    def typed(self) -> tuple[str, int]:
        """What was typed so far, and where the cursor is."""
        return self.edit.toPlainText(), self.edit.textCursor().position()


class AppFrame(QMainWindow):
    """Cairn's top-level window. It shows a ``StartupShell`` until ``adopt`` gives it the real
    ``MainWindow``, which then owns everything a top-level window does (closing, geometry,
    bringing forward) through ``window()``."""

    def __init__(self, window_state_file: Path, theme_name: str) -> None:
        super().__init__()
        self.content: Any = None
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(DEFAULT_SIZE)
        self.shell = StartupShell(theme_name)
        self.setCentralWidget(self.shell)
        self._restore_geometry(window_state_file)

    def _restore_geometry(self, window_state_file: Path) -> None:
        """Where the window was last time, so it does not jump when Cairn has loaded."""
        restore_place(self, QSettings(str(window_state_file), QSettings.Format.IniFormat))

    def show_and_focus(self) -> None:
        """Show the outline and paint it now: the event loop will not run until the rest of
        Cairn has been imported, so without this the window would stay blank until then."""
        self.show()
        self.shell.edit.setFocus()
        QApplication.processEvents()
        handle = self.windowHandle()
        deadline = time.monotonic() + EXPOSE_WAIT_S
        while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
            QTimer.singleShot(10, lambda: None)  # so the wait below always ends
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        QApplication.processEvents()  # paint what the expose asked for

    def adopt(self, content: Any) -> None:
        """Put the real main window in the shell's place; what was typed moves into its
        composer, which takes the focus."""
        text, position = self.shell.typed()
        self.content = content
        self.setCentralWidget(content)  # deletes the shell
        self.shell = None  # type: ignore[assignment]
        if text:
            content.composer.set_text(text)
            cursor = content.composer.edit.textCursor()
            cursor.setPosition(min(position, len(text)))
            content.composer.edit.setTextCursor(cursor)
        content.composer.focus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.content is not None:
            self.content.handle_close(event)
        else:
            event.accept()

