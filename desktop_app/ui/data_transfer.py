"""Export and import for the window: one conversation to Markdown or JSON, everything to a
backup archive, and importing any of those (or a claude.ai export). The file work runs on the
disk thread; the result is one sentence for the user."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation
from desktop_app.storage.history_store import SCHEMA_VERSION
from desktop_app.ui.chat_controller import ChatController

log = logging.getLogger(__name__)


class DataTransfer(QObject):
    """Export/import operations over the controller's conversations and services."""

    def __init__(self, controller: ChatController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller

    async def export_conversation(self, conversation_id: str, kind: str, path: Path) -> str:
        """Write one conversation as Markdown (images beside it) or self-contained JSON."""
        from desktop_app.storage.conversation_export import (
            export_conversation_json,
            export_markdown,
        )

        conversation = self.controller.conversation(conversation_id)
        if conversation is None:
            return self.tr("That conversation is no longer here.")
        snapshot = Conversation.from_json(conversation.to_json(SCHEMA_VERSION))  # for the worker
        store = self.controller.services.attachments
        writer = export_markdown if kind == "markdown" else export_conversation_json
        try:
            result = await self.controller.services.on_disk(writer, snapshot, path, store)
        except OSError as exc:
            return self.tr("The export could not be written: {error}.").format(
                error=exc.strerror or exc)
        return " ".join([self.tr("Exported to {path}.").format(path=path), *result.problems])

    async def export_all(self, path: Path) -> str:
        """Every conversation, attachment and the settings in one .zip (never the key)."""
        from desktop_app.storage.archive import export_archive

        controller, services = self.controller, self.controller.services
        for conversation in list(controller.conversations.values()):
            if conversation.messages:
                await controller.save(conversation)  # the archive holds what is on screen
        settings_file = services.paths.config_dir / "settings.json"
        try:
            result = await services.on_disk(
                export_archive, path, services.history, services.attachments,
                settings_file if settings_file.is_file() else None,
            )
        except OSError as exc:
            return self.tr("The backup could not be written: {error}.").format(
                error=exc.strerror or exc)
        conversations = (
            self.tr("1 conversation") if result.conversations == 1
            else self.tr("{count} conversations").format(count=result.conversations)
        )
        attachments = (
            self.tr("1 attachment") if result.attachments == 1
            else self.tr("{count} attachments").format(count=result.attachments)
        )
        summary = self.tr("Backed up {conversations} and {attachments} to {path}.").format(
            conversations=conversations, attachments=attachments, path=path
        )
        return " ".join([summary, *result.problems])

    async def import_file(self, path: Path) -> str:
        """Merge a backup, an exported conversation or a claude.ai export; nothing here is
        overwritten. The new conversations appear in the sidebar."""
        from desktop_app.storage.import_file import import_any

        services = self.controller.services
        try:
            result = await services.on_disk(import_any, path, services.history, services.attachments)
        except ImportFormatError as exc:
            return str(exc)
        except OSError as exc:
            return self.tr("{name} could not be read: {error}.").format(
                name=path.name, error=exc.strerror or exc)
        await self.controller.load_conversations(result.written_ids)
        heading = self.tr("Import from {name}: {summary}").format(
            name=path.name, summary=result.summary())
        return " ".join([heading, *result.problems[:3]])
