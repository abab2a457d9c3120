"""The two information sheets: the keyboard shortcuts (Ctrl+/) and About Cairn (F1); each is
opened, not awaited, and deleted when closed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.ui.lib.async_dialogs import show_and_discard
from desktop_app.ui.operations.context import OperationContext


class HelpOps(QObject):
    """See the module docstring."""

    def __init__(self, context: OperationContext) -> None:
        super().__init__(context.parent)
        self._context = context

    def on_shortcuts_requested(self) -> None:
        from desktop_app.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        show_and_discard(ShortcutsDialog(self._context.parent))

    def on_about_requested(self) -> None:
        from desktop_app.ui.dialogs.about_dialog import AboutDialog

        data_dir = self._context.controller.services.paths.data_dir
        show_and_discard(AboutDialog(data_dir, self._context.parent))
