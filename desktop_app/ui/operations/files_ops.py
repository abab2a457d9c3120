"""A conversation's files on Anthropic's side: the list from its menu ("Files on
Anthropic…"), and deleting one there."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core.code_files import recorded_files
from desktop_app.core.conversation import Conversation
from desktop_app.ui.dialogs.stored_files_dialog import StoredFilesDialog
from desktop_app.ui.lib.async_dialogs import show_and_discard
from desktop_app.ui.operations.context import OperationContext


class FilesOps(QObject):
    """See the module docstring.

    Attributes:
        dialog: the list shown last (tests read it).
    """

    def __init__(self, context: OperationContext) -> None:
        super().__init__(context.parent)
        self._context = context
        self._controller = context.controller
        self.dialog: StoredFilesDialog | None = None

    def on_files_requested(self, conversation_id: str) -> None:
        conversation = self._controller.conversation(conversation_id)
        if conversation is None:
            return
        dialog = StoredFilesDialog(conversation.title or self.tr("New conversation"),
                                   self._context.parent)
        dialog.delete_requested.connect(
            lambda file_id: self._context.spawn(self.delete(dialog, conversation, file_id)))
        self.dialog = dialog
        show_and_discard(dialog)
        self._context.spawn(self.load(dialog, conversation))

    async def load(self, dialog: StoredFilesDialog, conversation: Conversation) -> None:
        """Ask the API which of the conversation's files are still stored, and list them."""
        from desktop_app.api.files_api import FilesError

        files = self._controller.files
        dialog.show_loading()
        try:
            stored = await files.stored(conversation)
        except FilesError as exc:
            dialog.show_problem(files.problem_text(exc))
            return
        uploads = {r.id for r in recorded_files(conversation) if r.origin == "upload"}
        dialog.show_files(stored, uploads)

    async def delete(self, dialog: StoredFilesDialog, conversation: Conversation,
                     file_id: str) -> None:
        """Delete one file there; the conversation forgets it (and is saved)."""
        from desktop_app.api.files_api import FilesError

        files = self._controller.files
        try:
            await files.delete_file(conversation, file_id)
        except FilesError as exc:
            dialog.show_problem(files.problem_text(exc))
            return
        await self._controller.save(conversation)
        self._controller.path_changed.emit(conversation.id)  # the note where it was given
        dialog.remove(file_id)
