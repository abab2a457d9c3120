"""Folding a streamed reply into an assistant message, event by event.

The API layer turns the SDK's stream into these plain events; the assembler applies them, so
whatever has arrived when a stream stops, fails or is cancelled is already in the message.

A tool call's input arrives as pieces of JSON text. Until its block ends the text is kept in
Cairn's notes on the block (``block["cairn"]["input_json"]``, never sent to the API) and
``input`` stays as the block started (``{}``); at the end the text is parsed into ``input`` and
the notes go, so a finished call is exactly the API's ``tool_use`` block. Text that is not a
JSON object (a reply cut by its length limit mid-call) stays in the notes, with ``input``
``{}``, so the window can show what the model wrote and the call can be answered with an error
instead of being run with arguments it never gave (see ``unparsed_tool_input``).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.conversation import Message, ReplyState, now_iso
from desktop_app.core.cost import PER_REQUEST


@dataclass(frozen=True)
class ReplyStarted:
    """``message_start``: the reply exists; the usage so far counts the input."""

    model: str
    usage: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BlockStarted:
    index: int
    block: dict[str, Any]


@dataclass(frozen=True)
class BlockDelta:
    """A piece of a block: ``kind`` is "text", "thinking", "signature" or "input_json" (a
    piece of a tool call's input, as JSON text)."""

    index: int
    kind: str
    text: str


@dataclass(frozen=True)
class BlockFieldsSet:
    """A delta that sets fields of a block outright (a compaction summary arrives whole)."""

    index: int
    fields: dict[str, Any]


@dataclass(frozen=True)
class BlockItemAdded:
    """A delta that adds one item to a list field of a block (a citation of a text block)."""

    index: int
    key: str
    item: Any


@dataclass(frozen=True)
class BlockFinished:
    """A block is complete. With ``block``, that finished block replaces the streamed copy;
    without, what the deltas built is the block."""

    index: int
    block: dict[str, Any] | None = None


@dataclass(frozen=True)
class ReplyDelta:
    """``message_delta``: the stop reason and the cumulative usage; ``container``: the code
    execution container the reply used (``{"id", "expires_at", ...}``), when it used one."""

    stop_reason: str | None
    stop_sequence: str | None
    usage: dict[str, Any] = field(default_factory=dict)
    stop_details: dict[str, Any] | None = None
    container: dict[str, Any] | None = None


@dataclass(frozen=True)
class ReplyCompleted:
    """``message_stop``: the reply is whole."""


ReplyEvent = (ReplyStarted | BlockStarted | BlockDelta | BlockFieldsSet | BlockItemAdded
              | BlockFinished | ReplyDelta | ReplyCompleted)

_DELTA_FIELDS = {"text": "text", "thinking": "thinking", "signature": "signature"}
NOTES_KEY = "cairn"
"""Cairn's notes on a content block: kept in the history, removed before the block is sent."""
_INPUT_JSON = "input_json"  # the notes' key for a call's JSON text
_INPUT_DELTA = "input_json"  # the BlockDelta kind of a piece of it


def unparsed_tool_input(block: dict[str, Any]) -> str | None:
    """The JSON text of a tool call whose input Cairn could not read: not a JSON object, or
    the stream stopped before the call's block ended. ``None`` when ``input`` is the input the
    model gave (the call can run)."""
    notes = block.get(NOTES_KEY)
    if isinstance(notes, dict):
        text = notes.get(_INPUT_JSON)
        if isinstance(text, str):
            return text
    return None


def without_notes(block: dict[str, Any]) -> dict[str, Any]:
    """The block as the API takes it: a copy without Cairn's notes (the API refuses keys it
    does not know)."""
    return {key: copy.deepcopy(value) for key, value in block.items() if key != NOTES_KEY}


def _takes_input(block: dict[str, Any]) -> bool:
    """Whether the block is a call whose input streams as JSON text (a client tool, a server
    tool, an MCP connector call)."""
    kind = block.get("type")
    return isinstance(kind, str) and kind.endswith("tool_use") and "input" in block


def _finish_input(block: dict[str, Any]) -> None:
    """Parse the streamed JSON text of a call into ``input``; keep the text when it is not a
    JSON object."""
    text = unparsed_tool_input(block)
    if text is None:
        return
    if text.strip():
        try:
            parsed = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, dict):
            block["input"] = {}
            return
        block["input"] = parsed
    elif not isinstance(block.get("input"), dict):
        block["input"] = {}
    notes = block[NOTES_KEY]
    del notes[_INPUT_JSON]
    if not notes:
        del block[NOTES_KEY]


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON: such input is not the model's (the API never sends it)."""
    raise ValueError(f"not JSON: {name}")


class ReplyAssembler:
    """Applies reply events to one assistant message.

    Block indexes in a stream count from 0; a continued reply appends after the blocks the
    message already had, and its usage is added to what the message had already cost.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        self._offset = len(message.content)
        self._base_usage = copy.deepcopy(message.usage) if message.content else None
        self._usage: dict[str, Any] = {}
        self.completed = False

    def apply(self, event: ReplyEvent) -> None:
        msg = self.message
        if isinstance(event, ReplyStarted):
            msg.model = event.model or msg.model
            self._set_usage(event.usage)
        elif isinstance(event, BlockStarted):
            self._start_block(event)
        elif isinstance(event, BlockDelta):
            self._add_delta(event)
        elif isinstance(event, BlockFieldsSet):
            block = self._block(event.index)
            if block is not None:
                block.update(copy.deepcopy(event.fields))
        elif isinstance(event, BlockItemAdded):
            block = self._block(event.index)
            if block is not None:
                items = block.get(event.key)
                block[event.key] = [*(items or []), copy.deepcopy(event.item)]
        elif isinstance(event, BlockFinished):
            if event.block is not None:
                self._put(event.index, copy.deepcopy(event.block))
            else:
                finished = self._block(event.index)
                if finished is not None:
                    _finish_input(finished)
        elif isinstance(event, ReplyDelta):
            msg.stop_reason = event.stop_reason
            msg.stop_sequence = event.stop_sequence
            msg.stop_details = event.stop_details
            self._set_usage(event.usage)
        elif isinstance(event, ReplyCompleted):
            self.completed = True
            msg.state = ReplyState.COMPLETE
            msg.error = None
            msg.finished_at = now_iso()

    def _start_block(self, event: BlockStarted) -> None:
        block = copy.deepcopy(event.block)
        if _takes_input(block):
            notes = block.get(NOTES_KEY)
            block[NOTES_KEY] = {**(notes if isinstance(notes, dict) else {}), _INPUT_JSON: ""}
        self._put(event.index, block)

    def _add_delta(self, event: BlockDelta) -> None:
        block = self._block(event.index)
        if block is None:
            return
        if event.kind == _INPUT_DELTA:
            text = unparsed_tool_input(block)  # None: not a call still streaming its input
            if text is not None:
                block[NOTES_KEY][_INPUT_JSON] = text + event.text
            return
        key = _DELTA_FIELDS.get(event.kind)
        if key is not None:
            block[key] = block.get(key, "") + event.text

    def _set_usage(self, new: dict[str, Any]) -> None:
        self._usage = _merge_usage(self._usage, new)
        self.message.usage = add_usage(self._base_usage, self._usage)

    def _block(self, index: int) -> dict[str, Any] | None:
        position = self._offset + index
        if 0 <= position < len(self.message.content):
            return self.message.content[position]
        return None

    def _put(self, index: int, block: dict[str, Any]) -> None:
        position = self._offset + index
        content = self.message.content
        while len(content) < position:
            content.append({"type": "text", "text": ""})
        if position < len(content):
            content[position] = block
        else:
            content.append(block)


def _merge_usage(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Later usage figures are cumulative: they replace earlier ones, None keeps the old."""
    merged = dict(old or {})
    for key, value in new.items():
        if value is not None:
            merged[key] = value
    return merged


def add_usage(a: dict[str, Any] | None, b: dict[str, Any]) -> dict[str, Any]:
    """Two requests' usage added up: numbers summed, nested objects summed key by key, lists
    (``iterations``) joined, so that every billed step stays listed.

    Each request's own usage is also kept, in order, under ``PER_REQUEST``: a price can depend
    on the size of one request's prompt (long context), which a sum no longer tells."""
    if not a:
        return copy.deepcopy(b)
    total = _sum(a, b)
    total[PER_REQUEST] = _requests(a) + _requests(b)
    return total


def _sum(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    total = copy.deepcopy(a)
    for key, value in b.items():
        old = total.get(key)
        if key == PER_REQUEST:
            continue
        if isinstance(value, bool) or value is None:
            total[key] = value if old is None else old
        elif isinstance(value, int | float) and isinstance(old, int | float):
            total[key] = old + value
        elif isinstance(value, dict) and isinstance(old, dict):
            total[key] = _sum(old, value)
        elif isinstance(value, list) and isinstance(old, list):
            total[key] = old + copy.deepcopy(value)
        elif old is None:
            total[key] = copy.deepcopy(value)
    return total


def _requests(usage: dict[str, Any]) -> list[dict[str, Any]]:
    """The usage of each request that ``usage`` stands for."""
    parts = usage.get(PER_REQUEST)
    if isinstance(parts, list) and parts:
        return copy.deepcopy(parts)
    return [copy.deepcopy(usage)]
