"""What the reader asks of a message (Retry, Continue, an edited copy, another version, a
link to confirm, an example prompt), from the view's one ``MessageRequests`` object.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from desktop_app.ui.composer.composer_widget import Composer
from desktop_app.ui.messages.message_requests import MessageRequests
from desktop_app.ui.operations.context import OperationContext


class MessageOps(QObject):
    """See the module docstring. Connects itself to ``requests`` (once, for every message).

    Args:
        requests: the message view's requests.
        composer: takes an example prompt, and the focus after an edit.
    """

    def __init__(
        self, context: OperationContext, requests: MessageRequests, composer: Composer
    ) -> None:
        super().__init__(context.parent)
        self._context = context
        self._controller = context.controller
        self._composer = composer
        requests.retry_requested.connect(self.on_retry_requested)
        requests.continue_requested.connect(self.on_continue_requested)
        requests.edit_requested.connect(self.on_edit_requested)
        requests.branch_requested.connect(self.on_branch_requested)
        requests.example_chosen.connect(self.on_example_chosen)
        requests.link_confirmation_requested.connect(self.on_link_confirmation_requested)
        requests.status_message.connect(context.show_status)
        requests.tool_approval_chosen.connect(self.on_tool_approval_chosen)
        requests.file_save_requested.connect(self.on_file_save_requested)
        self._save_folder = Path.home()  # the next Save as… starts where the last one ended

    def on_retry_requested(self, message_id: str) -> None:
        self._controller.retry(message_id)

    def on_continue_requested(self, message_id: str) -> None:
        self._controller.continue_reply(message_id)

    def on_edit_requested(self, message_id: str, text: str) -> None:
        if self._controller.is_busy():
            self._context.show_status(
                self.tr("Wait for the reply to finish (or stop it) before editing."))
            return
        self._controller.edit_message(message_id, text)
        self._composer.focus()

    def on_branch_requested(self, message_id: str, step: int) -> None:
        self._context.spawn(self._controller.switch_branch(message_id, step))

    def on_tool_approval_chosen(self, tool_use_id: str, choice: str) -> None:
        """The user's choice on an approval card goes to the round waiting for it."""
        from desktop_app.core.tool_approvals import ApprovalChoice

        self._controller.tool_activity.answer(tool_use_id, ApprovalChoice(choice))

    def on_file_save_requested(self, file_id: str, name: str) -> None:
        self._context.spawn(self.save_file(file_id, name))

    async def save_file(self, file_id: str, name: str) -> None:
        """Save as… for a file code execution made: ask where, then write its bytes (fetched
        from the Files API if they are not here yet)."""
        from PySide6.QtWidgets import QDialog, QFileDialog

        from desktop_app.ui.lib.async_dialogs import run_and_discard

        suggested = Path(name).name or file_id  # never a path the file's name makes up
        dialog = QFileDialog(self._context.parent, self.tr("Save file"),
                             str(self._save_folder / suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if await run_and_discard(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        target = Path(dialog.selectedFiles()[0])
        self._save_folder = target.parent
        problem = await self._controller.files.save_as(file_id, target)
        if problem:
            self._context.show_notice(problem)
        else:
            self._context.show_notice(self.tr("Saved {name}.").format(name=target.name),
                                      folder=target.parent)

    def on_example_chosen(self, text: str) -> None:
        self._composer.set_text(text)
        self._composer.focus()

    def on_link_confirmation_requested(self, text: str, url: str) -> None:
        """A link that may not go where it seems was clicked: ask before opening it."""
        from desktop_app.ui.dialogs.link_dialog import confirm_and_open

        self._context.spawn(confirm_and_open(self._context.parent, text, url))
