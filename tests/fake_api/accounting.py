"""Usage accounting: the fake's deterministic tokenizer, the prompt split into cacheable units
(the tool-use system prompt and each tool, the system blocks, the message blocks, in that
order), and the simulated prompt cache that turns a request into ``input_tokens`` /
``cache_creation_input_tokens`` / ``cache_read_input_tokens``."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

from .canonical import _canon, _without_cc
from .media import _image_tokens
from .tools import TOOL_USE_SYSTEM_TOKENS


CHARS_PER_TOKEN = 4
MIN_CACHEABLE_TOKENS = 1024
TTL_SECONDS = {"5m": 300.0, "1h": 3600.0}


def tokens_for_chars(n_chars: int) -> int:
    """The fake tokenizer: ``n_chars // 4`` (see the package docstring)."""
    return n_chars // CHARS_PER_TOKEN


@dataclass
class _Prompt:
    """The prompt split into cacheable units (tools, system blocks, message blocks)."""

    cum_chars: list[int]            # prefix length in chars after unit i
    hashes: list[str]               # hash of the prefix through unit i
    breakpoints: list[tuple[int, str]]  # (unit index, ttl) in prompt order

    @property
    def total_tokens(self) -> int:
        return tokens_for_chars(self.cum_chars[-1]) if self.cum_chars else 0


class Accounting:
    """``FakeAnthropicServer``'s token counting and prompt cache."""

    _lock: threading.RLock
    _cache: dict[str, dict[str, tuple[float, str]]]

    # -- cache -------------------------------------------------------------------------------
    def reset_cache(self) -> None:
        """Forget every cached prefix (as if all entries had expired)."""
        with self._lock:
            self._cache.clear()

    # -- prompt units, token counting and the cache -----------------------------------------
    def _prompt(self, body: dict[str, Any]) -> _Prompt:
        units: list[tuple[str, Any, int | None]] = []  # (canonical text, cache_control, chars)
        if body.get("tools"):
            # the API's own tool-use system prompt comes first; its size depends on tool_choice
            choice = body.get("tool_choice") or {}
            overhead = TOOL_USE_SYSTEM_TOKENS.get(choice.get("type", "auto"), 346)
            units.append((_canon({"tool_use_system_prompt": True}), None,
                          CHARS_PER_TOKEN * overhead - 1))
        for tool in body.get("tools") or []:
            units.append((_canon({"tool": _without_cc(tool)}),
                          tool.get("cache_control") if isinstance(tool, dict) else None, None))
        system = body.get("system")
        if isinstance(system, str) and system:
            system = [{"type": "text", "text": system}]
        for block in system or []:
            units.append((_canon({"system": _without_cc(block)}), block.get("cache_control"),
                          None))
        for msg in body["messages"]:
            content = msg["content"]
            if isinstance(content, str):
                content = [{"type": "text", "text": content}] if content else []
            for block in content:
                chars = None
                if isinstance(block, dict) and block.get("type") == "image":
                    chars = CHARS_PER_TOKEN * _image_tokens(block.get("source"))
                units.append((_canon({"role": msg["role"], "block": _without_cc(block)}),
                              block.get("cache_control") if isinstance(block, dict) else None,
                              chars))
        cum, hashes, bps = [], [], []
        h = hashlib.sha256()
        total = 0
        for i, (text, cc, chars) in enumerate(units):
            piece = (text + "\n").encode()
            h.update(piece)
            total += (len(text) if chars is None else chars) + 1
            cum.append(total)
            hashes.append(h.hexdigest())
            if cc:
                bps.append((i, cc.get("ttl", "5m")))
        top = body.get("cache_control")
        if top and units:
            bps.append((len(units) - 1, top.get("ttl", "5m")))
        return _Prompt(cum_chars=cum, hashes=hashes, breakpoints=bps)

    def _usage(self, body: dict[str, Any]) -> dict[str, Any]:
        """Input-side usage for a request; reads and writes the simulated cache."""
        prompt = self._prompt(body)
        total = prompt.total_tokens
        read = 0
        created = {"5m": 0, "1h": 0}
        if prompt.breakpoints:
            last_bp = max(i for i, _ in prompt.breakpoints)
            now = time.monotonic()
            with self._lock:
                store = self._cache.setdefault(body["model"], {})
                for key in [k for k, (exp, _) in store.items() if exp <= now]:
                    del store[key]
                best = -1
                for i in range(last_bp, -1, -1):
                    if prompt.hashes[i] in store:
                        best = i
                        break
                if best >= 0:
                    read = tokens_for_chars(prompt.cum_chars[best])
                    _, ttl = store[prompt.hashes[best]]
                    store[prompt.hashes[best]] = (now + TTL_SECONDS[ttl], ttl)
                covered = read
                for i, ttl in sorted(prompt.breakpoints):
                    tokens = tokens_for_chars(prompt.cum_chars[i])
                    if tokens < MIN_CACHEABLE_TOKENS:
                        continue
                    if tokens > covered:
                        created[ttl] += tokens - covered
                        covered = tokens
                    store[prompt.hashes[i]] = (now + TTL_SECONDS[ttl], ttl)
        creation = created["5m"] + created["1h"]
        return {
            "input_tokens": max(0, total - read - creation),
            "cache_creation_input_tokens": creation,
            "cache_read_input_tokens": read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": created["5m"],
                "ephemeral_1h_input_tokens": created["1h"],
            },
        }
