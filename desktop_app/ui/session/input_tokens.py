"""How many input tokens the next request would carry (the composer's size and price hint),
counted by the API on the request exactly as it would be built and sent."""

from __future__ import annotations

import logging

from desktop_app.api.errors import ReplyFailed, sdk_error
from desktop_app.core.conversation import Conversation
from desktop_app.core.request import RequestError
from desktop_app.ui.session.account import Account
from desktop_app.ui.session.model_catalog import ModelCatalog
from desktop_app.ui.session.outgoing_attachments import OutgoingAttachments
from desktop_app.ui.session.request_planner import RequestPlanner
from desktop_app.ui.session.tool_rounds import ToolRounds

log = logging.getLogger(__name__)


class InputTokenCounter:
    """Asks the API (``count_tokens``, not billed) for the size of the next request."""

    def __init__(
        self,
        account: Account,
        models: ModelCatalog,
        planner: RequestPlanner,
        attachments: OutgoingAttachments,
        tools: ToolRounds | None = None,
    ) -> None:
        self.tools = tools
        self.account = account
        self.models = models
        self.planner = planner
        self.attachments = attachments

    async def count(self, conversation: Conversation | None, draft: str) -> int | None:
        """Input tokens ``conversation`` plus ``draft`` and the waiting attachments would send
        (None: unknown, such as with no key or a model from the built-in guesses)."""
        client = self.account.client()
        model = self.models.model_for(conversation) if conversation else None
        if conversation is None or client is None or model is None or model.builtin:
            return None
        probe = Conversation(  # counted exactly as it will be sent: its own options too
            system_prompt=conversation.system_prompt, options=dict(conversation.options),
            model=conversation.model, messages=list(conversation.messages),
        )
        # With nothing typed yet, a one-character turn stands in, so the figure is the
        # conversation's size as the next request would carry it.
        from desktop_app.api.models_api import count_input_tokens

        pending = [item.block for item in self.attachments.items]
        probe.add_user_message(draft if draft.strip() else ".", pending)
        try:
            # The tool definitions the request would offer count too (those ready now).
            tools = self.tools.offered_now(conversation) if self.tools is not None else None
            plan = self.planner.plan(probe, model, tools=tools)
            plan.kwargs["messages"] = await self.planner.with_attachments(plan.kwargs["messages"])
            return await count_input_tokens(client, plan.kwargs)
        except (RequestError, ReplyFailed, sdk_error()) as exc:
            log.info("token count unavailable: %s", type(exc).__name__)
            return None
