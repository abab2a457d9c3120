"""The opaque values only the API can issue (thinking signatures, redacted-thinking data,
compaction blocks) and the prefix each thinking block is bound to, so that a block is accepted
back only if this server minted it, after exactly what came before it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from typing import Any

from .canonical import _canon, _message_blocks, _norm, _system_blocks
from .scripts import Before


class _BindingPrefix:
    """A running digest of what comes before a thinking block: tools, system blocks, then the
    message blocks (role + block), each as canonical JSON without ``cache_control`` / ``None``
    values. A ``compaction`` block restarts the message part: the API reads nothing before the
    last compaction block (only tools and system stay)."""

    def __init__(self, tools: Any, system: Any) -> None:
        self._head = hashlib.sha256()
        for tool in tools if isinstance(tools, list) else []:
            self._head.update(_canon({"tool": _norm(tool, top=True)}).encode() + b"\n")
        for block in _system_blocks(system):
            self._head.update(_canon({"system": _norm(block, top=True)}).encode() + b"\n")
        self._hash = self._head.copy()

    def add(self, role: str, block: Any) -> None:
        if isinstance(block, dict) and block.get("type") == "compaction":
            self._hash = self._head.copy()
        self._hash.update(_canon({"role": role, "block": _norm(block, top=True)}).encode()
                          + b"\n")

    def digest(self) -> str:
        return self._hash.hexdigest()


class IssuedValues:
    """``FakeAnthropicServer``'s minting and checking of issued values."""

    _lock: threading.RLock
    _secret: bytes
    _signatures: dict[str, str | None]
    _redacted: dict[str, str | None]
    _compactions: dict[str, str]

    # -- issued opaque values (for tests that need pre-existing history) ----------------------
    def issue_thinking_signature(self, thinking: str, *, before: Before | None = None) -> str:
        """Sign ``thinking`` as if this server had produced the block (the signature is
        ``base64(nonce + HMAC-SHA256(secret, nonce + thinking))``).

        ``before`` is what came before the block when it was produced, in request shape:
        ``{"system": ..., "tools": [...], "messages": [...]}`` (each key optional) or just the
        list of messages. The messages are every earlier message and, if the block is not the
        first of its assistant turn, a last ``{"role": "assistant", "content": [...]}`` with the
        blocks before it. The block is then accepted back only after exactly that prefix (see
        the package docstring). Without ``before`` the block is bound to the prefix of the first
        accepted ``/v1/messages`` request that sends it back.
        """
        return self._mint_signature(thinking, self._digest_before(before))

    def _mint_signature(self, thinking: str, binding: str | None) -> str:
        nonce = secrets.token_bytes(16)
        mac = hmac.new(self._secret, nonce + thinking.encode(), hashlib.sha256).digest()
        sig = base64.b64encode(nonce + mac).decode()
        with self._lock:
            self._signatures[sig] = binding
        return sig

    @staticmethod
    def _digest_before(before: Before | None) -> str | None:
        if before is None:
            return None
        if isinstance(before, list):
            before = {"messages": before}
        if not isinstance(before, dict) or set(before) - {"system", "tools", "messages"}:
            raise TypeError("before= takes a list of messages or a dict with 'system', "
                            f"'tools' and 'messages': {before!r}")
        prefix = _BindingPrefix(before.get("tools"), before.get("system"))
        for _i, _j, role, block in _message_blocks(before.get("messages") or []):
            prefix.add(role, block)
        return prefix.digest()

    def _signature_ok(self, thinking: str, sig: str) -> bool:
        with self._lock:
            if sig not in self._signatures:
                return False
        raw = base64.b64decode(sig)
        nonce, mac = raw[:16], raw[16:]
        expected = hmac.new(self._secret, nonce + thinking.encode(), hashlib.sha256).digest()
        return hmac.compare_digest(mac, expected)

    def issue_redacted_thinking(self, *, before: Before | None = None) -> str:
        """A new opaque ``redacted_thinking.data`` value this server will accept back, bound to
        ``before`` like ``issue_thinking_signature``."""
        return self._mint_redacted(self._digest_before(before))

    def _mint_redacted(self, binding: str | None) -> str:
        data = base64.b64encode(b"\x12\x0c" + secrets.token_bytes(62)).decode()
        with self._lock:
            self._redacted[data] = binding
        return data

    def issue_compaction(self, content: str) -> dict[str, Any]:
        """A signed ``compaction`` block for ``content`` that this server will accept back."""
        sig = base64.b64encode(
            hmac.new(self._secret, b"compaction:" + content.encode(), hashlib.sha256).digest()
            + secrets.token_bytes(8)
        ).decode()
        with self._lock:
            self._compactions[sig] = content
        return {"type": "compaction", "content": content, "signature": sig}
