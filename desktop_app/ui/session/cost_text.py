"""Tokens and dollars in words: a reply's usage line and the conversation's cost tooltip, from
the figures ``core.conversation_bill`` works out with the price table."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.core import conversation_bill
from desktop_app.core.conversation import Conversation, Message
from desktop_app.core.cost import TokenCounts, format_dollars
from desktop_app.core.server_tool_activity import RESULT_TYPES, ActivityKind
from desktop_app.ui.lib.numbers import grouped, short_count
from desktop_app.ui.session.services import Services


class CostText(QObject):
    """Costs of replies and conversations, as numbers and as the text the window shows.

    Signals:
        None.
    """

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services  # its price table may be replaced (tests do)

    def cost_of_message(self, message: Message) -> float | None:
        """What the message's requests were billed (compaction and long-context tiers
        included); None if its model has no known price."""
        return conversation_bill.message_usage(message, self.services.prices).cost

    def conversation_cost(self, conversation: Conversation) -> float | None:
        """The sum over replies, those on set-aside branches included (they were paid for);
        None if any reply's model has no known price."""
        return conversation_bill.conversation_cost(conversation, self.services.prices)

    def caching_savings(self, conversation: Conversation) -> float | None:
        """Dollars caching saved versus sending every input token at the plain input price of
        the same tier (negative while cache writes have cost more than reads saved); None if
        unpriced."""
        return conversation_bill.caching_savings(conversation, self.services.prices)

    def conversation_tokens(self, conversation: Conversation) -> TokenCounts:
        return conversation_bill.conversation_tokens(conversation)

    def describe_usage(self, message: Message) -> str:
        """A reply's usage line: tokens in and out, cache use, compaction, tier and cost."""
        usage = conversation_bill.message_usage(message, self.services.prices)
        tokens = usage.tokens
        parts = [
            self.tr("{tokens} in").format(tokens=short_count(tokens.total_input)),
            self.tr("{tokens} out").format(tokens=short_count(tokens.output)),
        ]
        if usage.cache_written:
            parts.append(self.tr("{tokens} cache write").format(
                tokens=short_count(usage.cache_written)))
        if tokens.cache_read:
            parts.append(self.tr("{tokens} cache read").format(
                tokens=short_count(tokens.cache_read)))
        if tokens.compaction_input or tokens.compaction_output:
            parts.append(self.tr("incl. compaction {tokens_in} in / {tokens_out} out").format(
                tokens_in=short_count(tokens.compaction_input),
                tokens_out=short_count(tokens.compaction_output)))
        if usage.long_context:
            parts.append(self.tr("long-context rate"))
        parts.extend(self._server_tool_parts(tokens))
        parts.append(format_dollars(usage.cost) if usage.cost is not None
                     else self.tr("price unknown"))
        return " · ".join(parts)

    def describe_conversation_cost(self, conversation: Conversation) -> str:
        """The header's tooltip: tokens by kind (compaction's share), requests charged at a
        long-context rate, the cache hit rate and what caching saved."""
        bill = conversation_bill.conversation_bill(conversation, self.services.prices)
        tokens = bill.tokens
        lines = [
            self.tr("Input: {count} tokens").format(count=grouped(tokens.input)),
            self.tr("Output: {count} tokens").format(count=grouped(tokens.output)),
            self.tr("Cache writes: {count} tokens").format(count=grouped(bill.cache_written)),
            self.tr("Cache reads: {count} tokens").format(count=grouped(tokens.cache_read)),
        ]
        if tokens.compaction_input or tokens.compaction_output:
            lines.append(self.tr(
                "Compaction (included above): {count_in} tokens in, {count_out} out"
            ).format(count_in=grouped(tokens.compaction_input),
                     count_out=grouped(tokens.compaction_output)))
        if tokens.web_searches:
            lines.append(self.tr("Web searches: {count} ({amount})").format(
                count=grouped(tokens.web_searches),
                amount=format_dollars(tokens.web_searches * self.services.prices.web_search)))
        if tokens.web_fetches:
            lines.append(self.tr("Web fetches: {count} (tokens only)").format(
                count=grouped(tokens.web_fetches)))
        if _ran_code(conversation):
            lines.append(self.tr(
                "Code execution: its sandbox time is billed by Anthropic apart from tokens and "
                "is not in these figures"))
        if bill.long_context_requests:
            lines.append(self.tr("Requests at the long-context rate: {count}").format(
                count=grouped(bill.long_context_requests)))
        rate = tokens.cache_hit_rate
        if rate is not None:
            lines.append(self.tr("Cache hit rate: {rate:.0%}").format(rate=rate))
        saved = bill.caching_saved
        if saved is not None and bill.shows_caching:
            amount = format_dollars(abs(saved))
            lines.append(self.tr("Caching saved {amount}").format(amount=amount) if saved >= 0
                         else self.tr("Caching cost an extra {amount}").format(amount=amount))
        return "\n".join(lines)

    def _server_tool_parts(self, tokens: TokenCounts) -> list[str]:
        """The usage line's words for Claude's own tools: searches are billed per use."""
        parts = []
        searches, fetches = tokens.web_searches, tokens.web_fetches
        if searches:
            parts.append(self.tr("1 web search") if searches == 1 else self.tr(
                "{count} web searches").format(count=grouped(searches)))
        if fetches:
            parts.append(self.tr("1 web fetch") if fetches == 1 else self.tr(
                "{count} web fetches").format(count=grouped(fetches)))
        return parts


def _ran_code(conversation: Conversation) -> bool:
    """Whether a reply of the conversation ran code (its container time is billed by the hour,
    per organisation, with free hours: no usage field tells a reply's share)."""
    return any(isinstance(block, dict) and block.get("type") in _CODE_RESULTS
               for message in conversation.messages for block in message.content)


_CODE_RESULTS = frozenset(kind for kind, activity in RESULT_TYPES.items() if activity in (
    ActivityKind.CODE, ActivityKind.BASH, ActivityKind.EDITOR))
