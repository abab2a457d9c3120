"""Asking for the API key: one key dialog at a time, its key handed to the controller (which
keeps it in the keyring when there is one) and any problem with that said in a notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from desktop_app.ui.lib.async_dialogs import run_and_discard
from desktop_app.ui.operations.context import OperationContext

if TYPE_CHECKING:
    from desktop_app.ui.dialogs.key_dialog import KeyDialog


class KeyOps(QObject):
    """See the module docstring."""

    def __init__(self, context: OperationContext) -> None:
        super().__init__(context.parent)
        self._context = context
        self._dialog: KeyDialog | None = None  # the dialog module is imported when first used

    def on_key_requested(self, reason: str = "") -> None:
        """Show the key dialog (once at a time, and not while the window is closing)."""
        if self._dialog is None and not self._context.closing():
            self._context.spawn(self.ask_for_key(reason))

    async def ask_for_key(self, reason: str) -> None:
        from desktop_app.ui.dialogs.key_dialog import KeyDialog

        context, controller = self._context, self._context.controller
        from_environment = controller.key_source == "environment"
        dialog = KeyDialog(reason, context.parent, from_environment=from_environment)
        self._dialog = dialog
        dialog.finished.connect(self._forget_dialog)  # at once, so it can be asked again
        try:
            accepted = await run_and_discard(dialog) == QDialog.DialogCode.Accepted
            key = dialog.key
        finally:
            self._forget_dialog()
        if not accepted or not key:
            if not controller.api_key:
                context.show_status(self.tr("No API key: click the key icon to add one"))
            return
        result = await controller.set_api_key(key)  # the sidebar follows key_changed
        if result.problem:
            context.show_notice(result.problem)
        context.focus_composer()

    def _forget_dialog(self) -> None:
        self._dialog = None
