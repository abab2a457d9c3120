"""Refusals persist, as on the real API: the server remembers each refused exchange and refuses
every later request whose history still holds it, without using a script."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .accounting import CHARS_PER_TOKEN
from .canonical import _block_key, _contains, _turns
from .scripts import Reply, ServedRefusal

if TYPE_CHECKING:
    from .wire import _Exchange


@dataclass
class _RefusedExchange:
    user: list[str]    # the refused user turn: digest of each block
    reply: list[str]   # the refused reply's text blocks: digest of each
    category: str | None
    explanation: str | None


class Refusals:
    """``FakeAnthropicServer``'s memory of refused exchanges."""

    _lock: threading.RLock
    _refused: list[_RefusedExchange]
    refusals_served: list[ServedRefusal]
    persisted_refusal_text: str

    # -- refusals ----------------------------------------------------------------------------
    def forget_refusals(self) -> None:
        """Forget every refused exchange: later requests are no longer refused for them."""
        with self._lock:
            self._refused.clear()

    def _remember_refusal(self, ex: _Exchange, body: dict[str, Any],
                          blocks: list[dict[str, Any]], script: Reply) -> None:
        users = [keys for role, keys in _turns(body["messages"]) if role == "user"]
        texts = [_block_key(b) for b in blocks if b.get("type") == "text" and b.get("text")]
        with self._lock:
            self._refused.append(_RefusedExchange(
                user=users[-1] if users else [], reply=texts,
                category=script.refusal_category, explanation=script.refusal_explanation))
            self.refusals_served.append(ServedRefusal(
                ex.request, False, script.refusal_category, script.refusal_explanation))

    def _still_refused(self, body: dict[str, Any]) -> _RefusedExchange | None:
        """The refused exchange this request's history still holds (its user turn, or the
        refused reply), if any."""
        with self._lock:
            refused = list(self._refused)
        if not refused:
            return None
        turns = _turns(body["messages"])
        for entry in refused:
            for role, keys in turns:
                pattern = entry.user if role == "user" else entry.reply
                if _contains(keys, pattern):
                    return entry
        return None

    def _serve_refusal_again(self, ex: _Exchange, body: dict[str, Any],
                             entry: _RefusedExchange) -> None:
        with self._lock:
            text = self.persisted_refusal_text
            self.refusals_served.append(ServedRefusal(
                ex.request, True, entry.category, entry.explanation))
        usage = self._usage(body)
        message = self._message_shell(body, usage)
        blocks = [{"type": "text", "text": text}] if text else []
        details = {"type": "refusal", "category": entry.category,
                   "explanation": entry.explanation}
        out_tokens = max(1, len(text) // CHARS_PER_TOKEN)
        if not body.get("stream"):
            message.update(content=blocks, stop_reason="refusal", stop_details=details)
            message["usage"]["output_tokens"] = out_tokens
            ex.json(200, message)
            return
        ex.start_sse()
        ex.event("message_start", {"type": "message_start", "message": message})
        ex.event("ping", {"type": "ping"})
        if text:
            ex.event("content_block_start", {"type": "content_block_start", "index": 0,
                                             "content_block": {"type": "text", "text": ""}})
            ex.event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                             "delta": {"type": "text_delta", "text": text}})
            ex.event("content_block_stop", {"type": "content_block_stop", "index": 0})
        ex.event("message_delta", {
            "type": "message_delta",
            "delta": {"stop_reason": "refusal", "stop_sequence": None, "stop_details": details},
            "usage": {"input_tokens": usage["input_tokens"],
                      "cache_creation_input_tokens": usage["cache_creation_input_tokens"],
                      "cache_read_input_tokens": usage["cache_read_input_tokens"],
                      "output_tokens": out_tokens},
        })
        ex.event("message_stop", {"type": "message_stop"})
        ex.end_sse()
