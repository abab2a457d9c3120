"""The quiet line under the composer: tokens in · what sending would cost · how full the
context window would be, counted by the API once typing pauses (never on every key).

With nothing to send (an empty composer, no attachments) it shows only how full the context
window is: "285 tokens in · ≈ $0.0014 to send" there read as the price of sending nothing,
when it was the conversation so far.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.core.cost import format_dollars
from desktop_app.ui.lib.elided_label import ElidedLabel
from desktop_app.ui.lib.numbers import grouped, short_count
from desktop_app.ui.lib.owned_tasks import OwnedTasks
from desktop_app.ui.session.chat_controller import ChatController

ESTIMATE_DELAY_MS = 600


class CostEstimate(ElidedLabel):
    """See the module docstring. In a narrow window its end gives way ("…", the whole
    line as tooltip): it never makes the window wider.

    Args:
        controller: counts the tokens and knows the model and its price.
        draft: what is typed in the composer now.
        tasks: the window's tasks; each count is one of them (cancelled on close).
    """

    def __init__(
        self, controller: ChatController, draft: Callable[[], str], tasks: OwnedTasks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.setObjectName("EstimateLabel")
        self.setAccessibleName(self.tr("Token and cost estimate"))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._controller = controller
        self._draft = draft
        self._tasks = tasks
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ESTIMATE_DELAY_MS)
        self._timer.timeout.connect(self.estimate_now)

    def schedule(self) -> None:
        """Count again once things have been still for a moment (typing, a new model...)."""
        self._timer.start()

    def stop(self) -> None:
        """No more counting: the window is closing."""
        self._stopped = True
        self._timer.stop()

    def estimate_now(self) -> None:
        """Count now; a count still under way is cancelled (its figure would be stale)."""
        if self._stopped:
            return
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = self._tasks.spawn(self.update_estimate())

    async def update_estimate(self) -> None:
        """Input size, what sending would cost (at the long-context rate when the prompt is
        above the model's threshold), and how full the context window is."""
        from desktop_app.core.cost import estimate_send_cost

        controller = self._controller
        conversation = controller.current
        model = controller.model_for(conversation) if conversation else None
        draft = self._draft()
        something_to_send = bool(draft.strip()) or bool(controller.attachments.items)
        if conversation is None or not (something_to_send or conversation.messages):
            self.setText("")  # a new conversation, nothing typed: nothing to say
            return
        tokens = await controller.count_input(draft)
        if tokens is None or model is None or conversation is not controller.current:
            self.setText("")
            return
        if not something_to_send:
            self._show_context_only(tokens, model.max_input_tokens)
            return
        price = controller.services.prices.price(model.id)
        parts = [self.tr("{tokens} tokens in").format(tokens=grouped(tokens))]
        if price is not None:
            cost = format_dollars(estimate_send_cost(tokens, price))
            if price.is_long_context(tokens):
                parts.append(self.tr("≈ {cost} to send (long-context rate)").format(cost=cost))
            else:
                parts.append(self.tr("≈ {cost} to send").format(cost=cost))
        else:
            parts.append(self.tr("price unknown"))
        if model.max_input_tokens:
            parts.append(self.tr("{tokens} / {window} context").format(
                tokens=short_count(tokens), window=short_count(model.max_input_tokens)))
        self.setText(" · ".join(parts))
        self.setToolTip(self.tr(
            "Counted by the API for this conversation plus what you typed, before caching "
            "discounts. The context figure is how full the model's context window would be."
        ))

    def _show_context_only(self, tokens: int, window: int | None) -> None:
        """An empty composer: how full the context window is, and nothing about sending."""
        self.setText(self.tr("{tokens} / {window} context").format(
            tokens=short_count(tokens), window=short_count(window)) if window else "")
        self.setToolTip(self.tr(
            "How full the model's context window is with this conversation so far, counted by "
            "the API. Type a message to see what sending it would cost."))
