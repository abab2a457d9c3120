"""Cairn's icon in the system tray, when the setting asks for it and the desktop has a tray:
while it is there, closing the window only hides it; the icon's menu shows Cairn or quits.

Signals:
    show_requested: the icon was clicked, or "Show Cairn" chosen in its menu.
    quit_requested: "Quit" was chosen in its menu.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktop_app.ui.lib.icons import app_icon


class TrayIcon(QObject):
    """See the module docstring. ``window``: the widget its menu belongs to."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._icon: QSystemTrayIcon | None = None

    @property
    def shown(self) -> bool:
        """Whether the icon is in the tray (closing the window then only hides it)."""
        return self._icon is not None

    def set_wanted(self, wanted: bool) -> None:
        """Put the icon in the tray, or take it out; never where the desktop has no tray."""
        wanted = wanted and QSystemTrayIcon.isSystemTrayAvailable()
        if wanted and self._icon is None:
            self._icon = QSystemTrayIcon(app_icon(), self._window)
            self._icon.setToolTip("Cairn")
            menu = QMenu(self._window)
            menu.addAction(self.tr("Show Cairn"), self.show_requested.emit)
            menu.addAction(self.tr("Quit"), self.quit_requested.emit)
            self._icon.setContextMenu(menu)
            self._icon.activated.connect(lambda _reason: self.show_requested.emit())
            self._icon.show()
        elif not wanted and self._icon is not None:
            self._icon.hide()
            self._icon.deleteLater()
            self._icon = None
