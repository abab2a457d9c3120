"""An MCP tool result's content as the Messages API takes it in a ``tool_result`` block.

What a tool returns is untrusted: any server can send any shape, any size, any bytes. Whatever
this module lets into a ``tool_result`` is stored in the conversation and sent again with
every later request, so a block the API refuses (an image in a format it does not take, bytes
that are not what their label says, a picture over its size limits, a request over 32 MB)
would fail not one request but the rest of the conversation. So every item is checked here,
and what cannot be sent becomes a short text saying what was left out, which both Claude and
the user see.

Input is MCP content as plain dicts (``model_dump(by_alias=True, mode="json")``): ``text``,
``image`` {data, mimeType}, ``audio``, ``resource`` {resource: {uri, mimeType, text | blob}},
``resource_link``. Nothing here raises on a wrong type inside valid JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from desktop_app.core.image_headers import read_image_header
from desktop_app.core.images import API_MAX_EDGE, MAX_IMAGE_BYTES, MAX_REQUEST_BYTES

API_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
PDF_TYPE = "application/pdf"
NO_OUTPUT = "(no output)"

MAX_RESULT_TEXT_CHARS = 1_000_000
"""Text beyond this in one result is cut, with a note. About 250,000 tokens: more than a
model's context holds, so only a runaway tool reaches it, and sending it all would leave the
conversation unable to continue."""
MAX_RESULT_BINARY_BYTES = MAX_REQUEST_BYTES // 2
"""The base64 of images and PDFs one result may carry: half of what a whole request may be,
so one result can never make every later request too large on its own."""

MAX_RESULT_IMAGES = 20
"""Images (and PDFs) one result may carry. A request may hold at most 100 images, and over
20 each must be small, so a tool that returns dozens would soon make the conversation
unsendable; beyond this they are left out with a note."""
MAX_RESULT_BLOCKS = 500
"""Blocks one result may hold; further parts are counted in one closing note."""

_WHITESPACE = re.compile(rb"\s+")
_PDF_SIGNATURE_WITHIN = 1024


def _size(count: int) -> str:
    """A byte count for a person: "12 kB", "3.4 MB"."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:.0f} kB"
    return f"{count / 1_000_000:.1f} MB"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _valid_unicode(text: str) -> str:
    """``text`` with lone surrogates (which JSON escapes can carry, and UTF-8 cannot) made
    into replacement characters, so the request can be encoded."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _base64_size(text: str) -> int:
    """About how many bytes base64 text holds (for a note; not checked)."""
    return max(0, len(text) * 3 // 4 - text[-2:].count("="))


def _decode_base64(data: str) -> tuple[bytes, str] | None:
    """The bytes of base64 text and the text as the API should get it (whitespace, which
    some servers wrap lines with, removed), or None when it is not base64 at all."""
    try:
        raw_text = data.encode("ascii")
    except UnicodeEncodeError:
        return None
    clean = _WHITESPACE.sub(b"", raw_text)
    try:
        decoded = base64.b64decode(clean, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded, clean.decode("ascii")


class _Builder:
    """Collects the API blocks and notes of one result, within its size budgets."""

    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.text_left = MAX_RESULT_TEXT_CHARS
        self.binary_left = MAX_RESULT_BINARY_BYTES
        self.binaries_left = MAX_RESULT_IMAGES
        self.parts_dropped = 0

    def _full(self) -> bool:
        if len(self.blocks) < MAX_RESULT_BLOCKS:
            return False
        self.parts_dropped += 1
        return True

    def left_out(self, sentence: str) -> None:
        """Tell both Claude (a text block in the result) and the user (a note)."""
        if self._full():
            return
        sentence = _valid_unicode(sentence)
        self.blocks.append({"type": "text", "text": f"[{sentence}]"})
        self.notes.append(sentence)

    def finish(self) -> None:
        """Close with one note for the parts beyond ``MAX_RESULT_BLOCKS``."""
        if self.parts_dropped:
            sentence = f"Cairn left out {self.parts_dropped:,} more parts of the result"
            self.blocks.append({"type": "text", "text": f"[{sentence}]"})
            self.notes.append(sentence)

    def text(self, text: str) -> None:
        if not text.strip():
            return  # the API refuses empty and whitespace-only text blocks
        if self._full():
            return
        text = _valid_unicode(text)
        if self.text_left <= 0:
            self.left_out(f"Cairn left out {len(text):,} more characters of output")
            return
        if len(text) > self.text_left:
            cut = len(text) - self.text_left
            self.blocks.append({"type": "text", "text": text[:self.text_left]})
            self.text_left = 0
            self.left_out(f"Cairn cut the output here: {cut:,} more characters were not sent")
            return
        self.text_left -= len(text)
        self.blocks.append({"type": "text", "text": text})

    def binary(self, block: dict[str, Any], size: int, what: str) -> None:
        if self.binaries_left <= 0:
            self.left_out(f"{what} not shown to the model: the result holds more than "
                          f"{MAX_RESULT_IMAGES} images and documents")
            return
        if size > self.binary_left:
            self.left_out(f"{what} not shown to the model: the result is too large to send")
            return
        if self._full():
            return
        self.binaries_left -= 1
        self.binary_left -= size
        self.blocks.append(block)

    def image(self, data: Any, media_type: str, what: str = "An image") -> None:
        label = media_type or "no type"
        if not isinstance(data, str):
            self.left_out(f"{what} ({label}) came without its data")
            return
        if len(data) > MAX_IMAGE_BYTES:
            self.left_out(f"{what} ({label}, {_size(len(data))}) not shown to the model: "
                          f"larger than the {_size(MAX_IMAGE_BYTES)} an image may be")
            return
        decoded = _decode_base64(data)
        if decoded is None:
            self.left_out(f"{what} ({label}) not shown to the model: its data is damaged")
            return
        raw, clean = decoded
        header = read_image_header(raw)
        if header is None:
            self.left_out(f"{what} ({label}, {_size(len(raw))}) not shown to the model: "
                          "only JPEG, PNG, GIF and WebP images can be")
            return
        if max(header.width, header.height) > API_MAX_EDGE:
            self.left_out(f"{what} ({header.width} × {header.height} px) not shown to the "
                          f"model: larger than {API_MAX_EDGE} px on a side")
            return
        source = {"type": "base64", "media_type": header.media_type, "data": clean}
        self.binary({"type": "image", "source": source}, len(clean), f"{what} ({label})")

    def pdf(self, data: str, what: str) -> None:
        decoded = _decode_base64(data)
        if decoded is None or b"%PDF-" not in decoded[0][:_PDF_SIGNATURE_WITHIN]:
            self.left_out(f"{what} (PDF) not shown to the model: it is not a readable PDF")
            return
        source = {"type": "base64", "media_type": PDF_TYPE, "data": decoded[1]}
        self.binary({"type": "document", "source": source}, len(decoded[1]), f"{what} (PDF)")

    def resource(self, resource: Any) -> None:
        if not isinstance(resource, Mapping):
            self.left_out("A resource came without its contents")
            return
        uri = _text(resource.get("uri"))
        media_type = _text(resource.get("mimeType"))
        what = f"The resource {uri}" if uri else "A resource"
        text = resource.get("text")
        blob = resource.get("blob")
        if isinstance(text, str):
            self.text(f"{uri}\n{text}" if uri and text.strip() else text)
        elif not isinstance(blob, str):
            self.left_out(f"{what} came without its contents")
        elif media_type == PDF_TYPE:
            self.pdf(blob, what)
        elif media_type.startswith("image/"):
            self.image(blob, media_type, what)
        else:
            self.left_out(f"{what} ({media_type or 'no type'}, {_size(_base64_size(blob))}) "
                          "not shown to the model")

    def resource_link(self, item: Mapping[str, Any]) -> None:
        uri = _text(item.get("uri"))
        name = _text(item.get("title")) or _text(item.get("name"))
        media_type = _text(item.get("mimeType"))
        description = _text(item.get("description"))
        line = "Resource link: " + " ".join(p for p in (name, f"<{uri}>" if uri else "") if p)
        if media_type:
            line += f" ({media_type})"
        self.text(f"{line}\n{description}" if description.strip() else line)

    def item(self, item: Any) -> None:
        if not isinstance(item, Mapping):
            self.left_out("Part of the result that Cairn cannot read was left out")
            return
        kind = item.get("type")
        if kind == "text":
            self.text(_text(item.get("text")))
        elif kind == "image":
            self.image(item.get("data"), _text(item.get("mimeType")))
        elif kind == "audio":
            data = item.get("data")
            size = _base64_size(data) if isinstance(data, str) else 0
            label = _text(item.get("mimeType")) or "audio"
            self.left_out(f"Audio ({label}, {_size(size)}) not shown to the model")
        elif kind == "resource":
            self.resource(item.get("resource"))
        elif kind == "resource_link":
            self.resource_link(item)
        else:
            shown = kind if isinstance(kind, str) and len(kind) <= 40 else "unknown"
            self.left_out(f"Content of type {shown!r} not shown to the model")


def _structured_text(structured: Any) -> str:
    try:
        return json.dumps(structured, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(structured)[:MAX_RESULT_TEXT_CHARS + 1]


def tool_result_content(mcp_content: Any, structured: Any = None) -> tuple[
        list[dict[str, Any]], list[str]]:
    """MCP result content -> the API's ``tool_result`` content, and notes on what was left
    out or changed (English sentences, also placed in the content for Claude).

    Text stays text (empty text dropped); images go as base64 when they are JPEG, PNG, GIF or
    WebP (judged by their bytes, whatever their label says) within the API's size limits;
    PDFs go as documents; text resources as text; resource links as a line of text; audio and
    other binary content as a placeholder. No content at all gives the structured content
    as JSON, or "(no output)", so the block is never empty.

    Args:
        mcp_content: the result's ``content`` list (anything: checked here).
        structured: the result's ``structuredContent`` (JSON), used only when there is no
            content.

    Returns:
        The content blocks, never empty, and the notes.
    """
    builder = _Builder()
    items = mcp_content if isinstance(mcp_content, list) else []
    for item in items:
        builder.item(item)
    builder.finish()
    if not builder.blocks and structured is not None:
        builder.text(_structured_text(structured))
    if not builder.blocks:
        builder.blocks.append({"type": "text", "text": NO_OUTPUT})
    return builder.blocks, builder.notes
