"""What a request carries: a conversation's options over the defaults, the request built from
them (Claude's own tools first, then the MCP tools; the code execution container while it
lives), stored attachments inlined (read off the UI thread) and checked against the API's
limits, and the size a newly attached picture is prepared at."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject

from desktop_app.api.errors import ReplyFailed
from desktop_app.api.server_tool_versions import ServerToolVersions
from desktop_app.core.catalog import ModelInfo
from desktop_app.core.containers import live_container
from desktop_app.core.conversation import Conversation, ErrorInfo
from desktop_app.core.conversation_summary import is_stored_attachment
from desktop_app.core.image_limits import edge_for_new_image, image_limit_problem
from desktop_app.core.images import (
    MANY_IMAGES,
    MANY_IMAGES_MAX_EDGE,
    MAX_IMAGES_PER_REQUEST,
    MAX_REQUEST_BYTES,
    ImageError,
    resolve_attachment_block,
)
from desktop_app.core.options import ChatOptions
from desktop_app.core.request import RequestPlan, build_request, effective_options
from desktop_app.core.server_tools import (
    ServerToolOptions,
    effective_server_tools,
    enabled_server_tools,
    server_tools_param,
)
from desktop_app.core.tool_specs import ToolSpec, tools_param
from desktop_app.ui.lib.os_error_text import os_error_text
from desktop_app.ui.session.services import Services


class RequestPlanner(QObject):
    """Builds requests from conversations and the settings.

    Signals:
        None. A request the API would refuse for its attachments raises ``ReplyFailed`` with
        the reason in words.
    """

    def __init__(self, services: Services, parent: QObject | None = None,
                 versions: ServerToolVersions | None = None) -> None:
        super().__init__(parent)
        self.services = services
        # The server tools' version tags per model (stepped down when a model refuses one),
        # remembered for as long as Cairn runs.
        self.versions = versions or ServerToolVersions()

    def options_for(self, conversation: Conversation) -> ChatOptions:
        """The conversation's options: its own choices over the global defaults."""
        return effective_options(self.services.settings.chat_options(), conversation)

    def server_tools_for(self, conversation: Conversation) -> ServerToolOptions:
        """Claude's own tools for the conversation: its choices over the global defaults."""
        return effective_server_tools(self.services.settings.server_tools, conversation.options)

    def code_execution_on(self, conversation: Conversation, model: ModelInfo | None) -> bool:
        """Whether the conversation's next request offers code execution (with ``model``
        unknown: whether it is chosen)."""
        options = self.server_tools_for(conversation)
        if model is None:
            return options.code_execution
        return "code_execution" in enabled_server_tools(options, model)

    def plan(self, conversation: Conversation, model: ModelInfo,
             tools: Mapping[str, ToolSpec] | None = None, **how: bool) -> RequestPlan:
        """The request for the conversation's next reply (``tools``: the MCP tools offered,
        by their API names; ``how``: ``build_request``'s flags, such as ``resume_paused``).

        Claude's own tools come first in ``tools``, then the MCP tools: the same choices give
        the same bytes, so the prompt cache's prefix stays warm. The conversation's code
        execution container is sent while it lives and code execution is offered."""
        options = self.server_tools_for(conversation)
        versions = (self.versions.for_model(model.id)  # (reads the SDK's types: only if needed)
                    if enabled_server_tools(options, model) else {})
        server = server_tools_param(options, model, versions)
        offered = server + (tools_param(list(tools.values())) if tools else [])
        container = (live_container(conversation.extra, datetime.now(UTC))
                     if any(t["name"] == "code_execution" for t in server) else None)
        return build_request(
            conversation,
            self.options_for(conversation),
            model,
            stop_sequences=self.services.settings.stop_sequences,
            tools=offered or None,
            container=container,
            **how,
        )

    def image_edge_limit(self, conversation: Conversation | None, waiting: int) -> int:
        """The size a picture attached now is prepared at (``waiting``: the attachments
        already waiting to go with the next message); see ``edge_for_new_image``."""
        held = 0
        if conversation is not None:
            held = waiting + sum(1 for m in conversation.messages for b in m.content
                                 if b.get("type") == "image")
        return edge_for_new_image(
            full_resolution=self.services.settings.full_resolution_images, images_held=held)

    async def with_attachments(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored attachments inlined as base64 (read on the disk thread); Cairn's own notes
        on blocks removed, so the API sees only its own shape.

        An image is sent exactly as it was stored, every time: re-encoding one already sent
        would change what came before later replies' thinking (and miss the cache), so a
        request the API would refuse for its images is refused here, in words.
        """
        self._check_image_limits(messages)
        if not any("cairn" in b or is_stored_attachment(b) for m in messages for b in m["content"]):
            return messages
        load = self.services.attachments.load

        def resolve() -> list[dict[str, Any]]:
            return [
                {**m, "content": [resolve_attachment_block(b, load) for b in m["content"]]}
                for m in messages
            ]

        try:
            resolved = await self.services.on_disk(resolve)
        except (OSError, ValueError, ImageError) as exc:
            raise ReplyFailed(ErrorInfo(
                "attachment_missing",
                self.tr("An attachment of this conversation could not be read ({error}).").format(
                    error=os_error_text(exc) if isinstance(exc, OSError) else exc),
                retryable=False,
            )) from exc
        size = sum(
            len(b["source"].get("data", "")) for m in resolved for b in m["content"]
            if isinstance(b.get("source"), dict)
        )
        if size > MAX_REQUEST_BYTES:
            raise ReplyFailed(ErrorInfo(
                "too_large",
                self.tr(
                    "The attachments in this conversation add up to {size} MB; "
                    "a request may be at most 32 MB. Start a new conversation for more files."
                ).format(size=f"{size / 1_000_000:.0f}"),
                retryable=False,
            ))
        return resolved

    def _check_image_limits(self, messages: list[dict[str, Any]]) -> None:
        """At most 100 images in a request (links count too); with more than 20, none larger
        than 2000 px on a side."""
        problem = image_limit_problem(messages)
        if problem is None:
            return
        if problem.too_many:
            raise ReplyFailed(ErrorInfo(
                "too_many_images",
                self.tr(
                    "This conversation holds {count} images; the API takes at most "
                    "{limit} in one request. Start a new conversation."
                ).format(count=problem.count, limit=MAX_IMAGES_PER_REQUEST),
                retryable=False,
            ))
        raise ReplyFailed(ErrorInfo(
            "too_many_images",
            self.tr(
                "This conversation holds {count} images and {large} of them are larger "
                "than {edge} px; the API takes more than {many} images in one request only "
                "when each is at most {edge} px. Start a new conversation to send more."
            ).format(count=problem.count, large=problem.too_large, edge=MANY_IMAGES_MAX_EDGE,
                     many=MANY_IMAGES),
            retryable=False,
        ))
