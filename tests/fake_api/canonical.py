"""One canonical form of a prompt's parts (sorted-key JSON without ``cache_control`` or ``None``
values, a string content as one text block), shared by everything that compares prompts: the
token count and the cache, the binding of thinking blocks, and persisted refusals."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any


def _canon(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _without_cc(block: Any) -> Any:
    if isinstance(block, dict) and "cache_control" in block:
        return {k: v for k, v in block.items() if k != "cache_control"}
    return block


def _norm(obj: Any, top: bool = False) -> Any:
    """``obj`` without what does not change a prompt: ``cache_control`` and ``None`` values of
    content blocks (dicts with a ``type``; ``top`` for the outermost dict, e.g. a tool)."""
    if isinstance(obj, dict):
        strip = top or "type" in obj
        return {k: _norm(v) for k, v in obj.items()
                if not (strip and (k == "cache_control" or v is None))}
    if isinstance(obj, list):
        return [_norm(v) for v in obj]
    return obj


def _message_blocks(messages: Any) -> Iterator[tuple[int, int | None, str, Any]]:
    """``(message index, block index, role, block)`` for every content block of ``messages``;
    a string content is one text block (block index ``None``)."""
    for i, msg in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(msg, dict):
            continue
        role, content = msg.get("role"), msg.get("content")
        if isinstance(content, str):
            if content:
                yield i, None, str(role), {"type": "text", "text": content}
        elif isinstance(content, list):
            for j, block in enumerate(content):
                yield i, j, str(role), block


def _system_blocks(system: Any) -> list[Any]:
    if isinstance(system, str):
        return [{"type": "text", "text": system}] if system else []
    return list(system) if isinstance(system, list) else []


def _block_key(block: Any) -> str:
    return hashlib.sha256(_canon(_norm(block, top=True)).encode()).hexdigest()


def _turns(messages: Any) -> list[tuple[str, list[str]]]:
    """The conversation as turns (consecutive messages of one role merged, as the API does):
    ``(role, [digest of each block])``."""
    turns: list[tuple[str, list[str]]] = []
    for _i, _j, role, block in _message_blocks(messages):
        if turns and turns[-1][0] == role:
            turns[-1][1].append(_block_key(block))
        else:
            turns.append((role, [_block_key(block)]))
    return turns


def _contains(seq: list[str], part: list[str]) -> bool:
    n = len(part)
    return n > 0 and any(seq[k:k + n] == part for k in range(len(seq) - n + 1))
