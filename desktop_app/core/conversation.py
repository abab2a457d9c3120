"""Conversations and messages, kept in the Messages API's own content-block shape.

Content blocks are stored exactly as the API returned them (thinking signatures, compaction
blocks, ...) so they can be sent back unmodified; fields this version does not know are kept
in ``extra`` and survive a load/save round trip.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from desktop_app.core.history_schema import check_branch, check_conversation, check_message

DEFAULT_TITLE = "New chat"
_TITLE_CHARS = 60
# Cairn's own user turn asking Claude to go on with a reply cut at max_tokens. It is stored
# (``purpose: "continue"``) so that every later request repeats exactly what was sent before.
CONTINUE_PROMPT = (
    "Your previous reply was cut off by the length limit. Continue it exactly where it "
    "stopped, without repeating anything."
)
CONTINUE_PURPOSE = "continue"
# Cairn's user turn answering a reply's tool calls: the ``tool_result`` blocks (API shape), and
# in ``extra["tool_runs"]`` what the window shows of each call (server, outcome, duration).
TOOL_RESULTS_PURPOSE = "tool_results"
EXCLUDED_REFUSAL = "refusal"


_last_stamp = ""


def now_iso() -> str:
    """The current time as an RFC 3339 string in UTC, to the millisecond.

    Strictly increasing within a process (a tie moves on by a millisecond), so messages made
    in quick succession still sort in the order they were made (alternatives ``< 1/2 >``).
    """
    global _last_stamp
    moment = datetime.now(UTC)
    stamp = _format_stamp(moment)
    if stamp <= _last_stamp:
        stamp = _format_stamp(datetime.fromisoformat(_last_stamp[:-1] + "+00:00") + _ONE_MS)
    _last_stamp = stamp
    return stamp


_ONE_MS = timedelta(milliseconds=1)


def _format_stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    """A random, sortable-enough identifier such as ``conv_3f2a...``."""
    return f"{prefix}_{uuid.uuid4().hex}"


class ReplyState(StrEnum):
    """How an assistant reply ended (or that it has not ended yet)."""

    COMPLETE = "complete"  # the API sent message_stop
    STREAMING = "streaming"  # still arriving; found on disk it means the app died mid-reply
    STOPPED = "stopped"  # the user pressed Stop
    FAILED = "failed"  # an error ended it; ``Message.error`` says which


@dataclass
class ErrorInfo:
    """A failed request, described for the person using the app.

    Attributes:
        kind: a stable key such as ``rate_limit`` or ``connection`` (for icons and tests).
        message: one clear sentence, never containing the API key.
        status: the HTTP status, when there was one.
        retry_after: seconds the server asked us to wait, when it said.
        request_id: the API's request id, for support.
        retryable: whether sending the same request again can help.
        needs_key: whether the user must enter a (new) API key first.
        reason: which sentence ``message`` is (``api/errors.py`` SENTENCES), so the window
            can say it in the user's language; "" for a sentence of no known reason.
        facts: the names and numbers in that sentence (API words, host, seconds, counts).
    """

    kind: str
    message: str
    status: int | None = None
    retry_after: float | None = None
    request_id: str | None = None
    retryable: bool = True
    needs_key: bool = False
    reason: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "message": self.message}
        for name in ("status", "retry_after", "request_id"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        data["retryable"] = self.retryable
        if self.needs_key:
            data["needs_key"] = True
        if self.reason:
            data["reason"] = self.reason
            data["facts"] = dict(self.facts)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ErrorInfo:
        return cls(
            kind=str(data.get("kind", "unknown")),
            message=str(data.get("message", "")),
            status=data.get("status"),
            retry_after=data.get("retry_after"),
            request_id=data.get("request_id"),
            retryable=bool(data.get("retryable", True)),
            needs_key=bool(data.get("needs_key", False)),
            reason=str(data.get("reason") or ""),
            facts=_scalar_facts(data.get("facts")),
        )


def _scalar_facts(value: Any) -> dict[str, Any]:
    """An error's facts as read from a file: names to strings and numbers, nothing else."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str | int | float)}


_MESSAGE_FIELDS = {
    "id", "role", "content", "created_at", "finished_at", "model", "usage",
    "stop_reason", "stop_sequence", "stop_details", "state", "error", "purpose", "excluded",
    "system_sha256",
}


def system_digest(system: str) -> str:
    """A short fingerprint of a system prompt as sent (replies remember which one they were
    written under: thinking written under another prompt is no longer sent back)."""
    return hashlib.sha256(system.encode("utf-8")).hexdigest()[:16]


@dataclass
class Message:
    """One turn of the conversation.

    ``content`` is a list of API content blocks (dicts). Assistant messages also record the
    model that wrote them, the usage the API reported, the stop reason and how they ended.

    ``purpose`` marks a user turn Cairn wrote itself ("continue": go on with a cut reply; not
    shown as a message). ``excluded`` says why a message is no longer sent to Claude
    ("refusal": a refused exchange, kept visible). ``system_digest`` is the fingerprint of the
    system prompt a reply was written under.
    """

    role: str
    content: list[dict[str, Any]]
    id: str = field(default_factory=lambda: new_id("msg"))
    created_at: str = field(default_factory=now_iso)
    finished_at: str | None = None
    model: str | None = None
    usage: dict[str, Any] | None = None
    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: dict[str, Any] | None = None
    state: ReplyState = ReplyState.COMPLETE
    error: ErrorInfo | None = None
    purpose: str | None = None
    excluded: str | None = None
    system_digest: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_continue_prompt(self) -> bool:
        """Cairn's own "please continue" turn (hidden; its reply reads as the cut one's end)."""
        return self.role == "user" and self.purpose == CONTINUE_PURPOSE

    @property
    def is_tool_results(self) -> bool:
        """Cairn's turn answering the tool calls of the reply before it (shown inside that
        reply, not as a message of the user's)."""
        return self.role == "user" and self.purpose == TOOL_RESULTS_PURPOSE

    @property
    def is_cairn_turn(self) -> bool:
        """A user turn Cairn wrote itself (continue, tool results): the reply after it reads
        as the end of the reply before it."""
        return self.is_continue_prompt or self.is_tool_results

    @property
    def text(self) -> str:
        """All text blocks joined: what a reader sees as the message."""
        return "".join(
            block.get("text", "") for block in self.content if block.get("type") == "text"
        )

    @property
    def thinking(self) -> str:
        """All readable thinking joined (redacted thinking has no readable text)."""
        return "".join(
            block.get("thinking", "") for block in self.content if block.get("type") == "thinking"
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = copy.deepcopy(self.extra)
        data.update(
            id=self.id,
            role=self.role,
            content=copy.deepcopy(self.content),
            created_at=self.created_at,
        )
        if self.role == "assistant":
            data.update(
                state=self.state.value,
                model=self.model,
                usage=copy.deepcopy(self.usage),
                stop_reason=self.stop_reason,
                stop_sequence=self.stop_sequence,
                finished_at=self.finished_at,
            )
            if self.stop_details is not None:
                data["stop_details"] = copy.deepcopy(self.stop_details)
            if self.error is not None:
                data["error"] = self.error.to_json()
            if self.system_digest is not None:
                data["system_sha256"] = self.system_digest
        if self.purpose is not None:
            data["purpose"] = self.purpose
        if self.excluded is not None:
            data["excluded"] = self.excluded
        return data

    @classmethod
    def from_json(cls, data: Any, *, owned: bool = False) -> Message:
        """A message from its JSON form. ``owned``: the caller hands ``data`` over (freshly
        parsed from a file), so its parts are used as they are instead of copied (copying
        is most of the cost of opening a long conversation).

        Raises:
            HistoryFormatError: (a ValueError) ``data`` is not a message of the history
                format; it says where and why.
        """
        check_message(data)
        return cls._from_checked(data, owned=owned)

    @classmethod
    def _from_checked(cls, data: dict[str, Any], *, owned: bool) -> Message:
        """A message from JSON that matches the history schema (core/history_schema.py):
        every value read here has the type the schema gives it."""
        clone = _keep if owned else copy.deepcopy
        content = data.get("content", [])
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        error = data.get("error")
        return cls(
            role=data["role"],
            content=clone(content),
            id=data.get("id") or new_id("msg"),
            created_at=data.get("created_at") or now_iso(),
            finished_at=data.get("finished_at"),
            model=data.get("model"),
            usage=clone(data.get("usage")),
            stop_reason=data.get("stop_reason"),
            stop_sequence=data.get("stop_sequence"),
            stop_details=clone(data.get("stop_details")),
            # A state this version does not know (a newer Cairn's) reads as failed: the reply
            # is shown with what arrived, and Retry.
            state=_STATES.get(data.get("state", ReplyState.COMPLETE.value), ReplyState.FAILED),
            error=ErrorInfo.from_json(error) if error is not None else None,
            purpose=data.get("purpose") or None,
            excluded=data.get("excluded") or None,
            system_digest=data.get("system_sha256") or None,
            extra={k: clone(v) for k, v in data.items() if k not in _MESSAGE_FIELDS},
        )


def _keep(value: Any) -> Any:
    return value


_STATES: dict[Any, ReplyState] = {state.value: state for state in ReplyState}


@dataclass
class Branch:
    """A path of messages that is not shown now: kept when a message was edited or a reply
    regenerated, so the user can flip back to it.

    Attributes:
        parent_id: the id of the message this path continues from (None: the very start).
        messages: the path, oldest first; its first message is an alternative to the message
            that follows ``parent_id`` on the shown path.
    """

    parent_id: str | None
    messages: list[Message]

    def to_json(self) -> dict[str, Any]:
        return {"parent": self.parent_id, "messages": [m.to_json() for m in self.messages]}

    @classmethod
    def from_json(cls, data: Any, *, owned: bool = False) -> Branch:
        """A branch from its JSON form (raises HistoryFormatError, see Message.from_json)."""
        check_branch(data)
        return cls._from_checked(data, owned=owned)

    @classmethod
    def _from_checked(cls, data: dict[str, Any], *, owned: bool) -> Branch:
        return cls(data.get("parent"),
                   [Message._from_checked(m, owned=owned) for m in data["messages"]])


_CONVERSATION_FIELDS = {
    "schema", "id", "title", "created_at", "updated_at", "model", "system_prompt", "options",
    "messages", "branches", "pinned", "auxiliary_usage", "model_chosen",
}


@dataclass
class Conversation:
    """A conversation: its settings and its messages, oldest first.

    ``messages`` is the path shown and sent to the API. Editing a message or regenerating a
    reply starts a new path from that point; the old one is kept in ``branches`` and can be
    switched back to (see :meth:`alternatives` and :meth:`switch_branch`).
    """

    id: str = field(default_factory=lambda: new_id("conv"))
    title: str = DEFAULT_TITLE
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    model: str | None = None
    system_prompt: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # overrides of the global defaults
    messages: list[Message] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    pinned: bool = False
    # Requests made for the conversation besides its replies (its generated title), each
    # {"purpose", "model", "usage", "created_at"}: they cost money, so they are counted.
    auxiliary_usage: list[dict[str, Any]] = field(default_factory=list)
    # Whether the user picked ``model`` for this conversation (else it is the default, which
    # Cairn may replace when that model turns out not to exist).
    model_chosen: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    # -- editing ---------------------------------------------------------------------------

    def touch(self) -> None:
        """Mark the conversation as changed now (it moves to the top of the sidebar)."""
        self.updated_at = now_iso()

    def add_user_message(self, text: str, blocks: list[dict[str, Any]] | None = None) -> Message:
        """Append the user's words (and any prepared blocks such as images) as a new turn."""
        content = [copy.deepcopy(b) for b in blocks or []]
        if text.strip():
            content.append({"type": "text", "text": text})
        if not content:
            raise ValueError("a message needs text or an attachment")
        message = Message(role="user", content=content)
        self.messages.append(message)
        if self.title == DEFAULT_TITLE and text.strip():
            self.title = title_from_text(text)
        self.touch()
        return message

    def start_reply(self, model: str) -> Message:
        """Append an empty assistant message that a streaming reply will fill in."""
        message = Message(role="assistant", content=[], model=model, state=ReplyState.STREAMING)
        self.messages.append(message)
        self.touch()
        return message

    def add_continue_request(self) -> Message:
        """Ask Claude to go on with the last reply, cut at its length limit: a user turn of
        Cairn's own, kept in the history so later requests repeat exactly what was sent."""
        reply = self.last_reply
        if reply is None or not reply.content:
            raise ValueError("there is no reply to continue")
        message = Message(
            role="user", content=[{"type": "text", "text": CONTINUE_PROMPT}],
            purpose=CONTINUE_PURPOSE,
        )
        self.messages.append(message)
        self.touch()
        return message

    def add_tool_results(self, content: list[dict[str, Any]],
                         runs: dict[str, Any] | None = None) -> Message:
        """Answer the last reply's tool calls: a user turn of Cairn's own holding one
        ``tool_result`` block per call (``content``), with what the window shows of each run."""
        message = Message(role="user", content=copy.deepcopy(content),
                          purpose=TOOL_RESULTS_PURPOSE)
        if runs:
            message.extra["tool_runs"] = copy.deepcopy(runs)
        self.messages.append(message)
        self.touch()
        return message

    def tool_results_for(self, message_id: str) -> Message | None:
        """The turn answering this reply's tool calls, if there is one yet."""
        index = self.index_of(message_id)
        if 0 <= index < len(self.messages) - 1 and self.messages[index + 1].is_tool_results:
            return self.messages[index + 1]
        return None

    def is_continued(self, message_id: str) -> bool:
        """Whether this reply goes on in a later one: Cairn asked Claude to continue it, or
        answered its tool calls and Claude went on (a round stopped after its tools were
        answered is where the reply ends)."""
        index = self.index_of(message_id)
        if not 0 <= index < len(self.messages) - 1:
            return False
        following = self.messages[index + 1]
        if following.is_continue_prompt:
            return True
        return (following.is_tool_results and index + 2 < len(self.messages)
                and self.messages[index + 2].role == "assistant")

    def reply_parts(self, message_id: str) -> list[Message]:
        """A reply and the replies it goes on from (cut at the length limit, or that called
        tools), oldest first: what reads as one reply."""
        index = self.index_of(message_id)
        if index < 0:
            return []
        parts = [self.messages[index]]
        while (index >= 2 and self.messages[index - 1].is_cairn_turn
               and self.messages[index - 2].role == "assistant"):
            index -= 2
            parts.insert(0, self.messages[index])
        return parts

    def exclude_refused(self, reply: Message) -> list[Message]:
        """A refused reply and the turn it answered are no longer sent to Claude (while they
        stay in the history the API refuses every later turn too); both stay visible.
        Returns the messages excluded."""
        index = self.index_of(reply.id)
        if index < 0:
            return []
        excluded = [reply]
        if index > 0 and self.messages[index - 1].role == "user":
            excluded.insert(0, self.messages[index - 1])
        for message in excluded:
            message.excluded = EXCLUDED_REFUSAL
        self.touch()
        return excluded

    def stamp_system_prompt(self) -> None:
        """Record the current system prompt on every reply that does not say which it was
        written under (files from before Cairn recorded it), before the prompt changes."""
        digest = system_digest(self.system_prompt.strip())
        for message in self.all_messages():
            if message.role == "assistant" and message.system_digest is None:
                message.system_digest = digest

    def find(self, message_id: str) -> Message | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def remove(self, message_id: str) -> None:
        """Take a message off the shown path (a failed, empty reply); paths that continued
        from it now continue from the message before it."""
        index = self.index_of(message_id)
        if index < 0:
            return
        parent = self._parent_of(index)
        del self.messages[index]
        for branch in self.branches:
            if branch.parent_id == message_id:
                branch.parent_id = parent
        self.touch()

    def index_of(self, message_id: str) -> int:
        """Position of a message on the shown path, or -1."""
        return next((i for i, m in enumerate(self.messages) if m.id == message_id), -1)

    def all_messages(self) -> Iterator[Message]:
        """Every message of every path: the shown one first, then the kept branches."""
        yield from self.messages
        for branch in self.branches:
            yield from branch.messages

    def end_interrupted_replies(self) -> None:
        """Replies still marked as arriving in a file that is being read were cut off when
        Cairn closed or crashed: they end as failed, keeping what had arrived, so the window
        offers Retry instead of waiting for words that will never come."""
        for message in self.all_messages():
            if message.state == ReplyState.STREAMING:
                message.state = ReplyState.FAILED
                message.error = ErrorInfo(
                    kind="interrupted",
                    message="Cairn closed before this reply finished; what had arrived is kept.",
                    reason="interrupted",  # the window says it in the user's language
                )

    # -- branches -------------------------------------------------------------------------------

    def fork_at(self, message_id: str) -> Message:
        """Set aside the shown path from this message on (kept as a branch) so that a new
        message can take its place. Returns the message set aside."""
        index = self.index_of(message_id)
        if index < 0:
            raise KeyError(message_id)
        tail = self.messages[index:]
        self.branches.append(Branch(self._parent_of(index), tail))
        del self.messages[index:]
        self.touch()
        return tail[0]

    def edit_user_message(self, message_id: str, text: str) -> Message:
        """Replace a user message by an edited copy on a new path; the original and what
        followed it stay in a branch. Attachments of the original go with the copy."""
        original = self.find(message_id)
        if original is None or original.role != "user":
            raise KeyError(message_id)
        blocks = [b for b in original.content if b.get("type") != "text"]
        if not text.strip() and not blocks:
            raise ValueError("a message needs text or an attachment")
        self.fork_at(message_id)
        content = [copy.deepcopy(b) for b in blocks]
        if text.strip():
            content.append({"type": "text", "text": text})
        message = Message(role="user", content=content)
        self.messages.append(message)
        return message

    def alternatives(self, message_id: str) -> tuple[int, int]:
        """(position, count) of a shown message among the messages that could stand in its
        place, counting from 1 — shown as ``< 1/2 >``. (1, 1) when it has none."""
        siblings = self._siblings(message_id)
        ids = [first.id for first, _ in siblings]
        return (ids.index(message_id) + 1 if message_id in ids else 1), max(1, len(ids))

    def alternative_positions(self) -> dict[str, tuple[int, int]]:
        """:meth:`alternatives` of every shown message that has any, in one pass (a long
        conversation asks for all of them when it opens)."""
        forks = {b.parent_id for b in self.branches}
        if not forks:
            return {}
        found: dict[str, tuple[int, int]] = {}
        for index, message in enumerate(self.messages):
            if self._parent_of(index) in forks:
                found[message.id] = self.alternatives(message.id)
        return found

    def switch_branch(self, message_id: str, step: int) -> bool:
        """Show the previous (step -1) or next (+1) alternative to a shown message, with the
        path that followed it. The path shown until now is kept as a branch."""
        siblings = self._siblings(message_id)
        ids = [first.id for first, _ in siblings]
        if message_id not in ids:
            return False
        target = ids.index(message_id) + step
        if not 0 <= target < len(ids):
            return False
        branch = siblings[target][1]
        assert branch is not None  # only the shown message has no branch
        index = self.index_of(message_id)
        self.branches.remove(branch)
        self.branches.append(Branch(self._parent_of(index), self.messages[index:]))
        self.messages[index:] = branch.messages
        self.touch()
        return True

    def _parent_of(self, index: int) -> str | None:
        return self.messages[index - 1].id if index > 0 else None

    def _siblings(self, message_id: str) -> list[tuple[Message, Branch | None]]:
        """The shown message and the first messages of branches from the same point, oldest
        first."""
        index = self.index_of(message_id)
        if index < 0:
            return []
        parent = self._parent_of(index)
        found: list[tuple[Message, Branch | None]] = [(self.messages[index], None)]
        found += [(b.messages[0], b) for b in self.branches if b.parent_id == parent]
        found.sort(key=lambda pair: (pair[0].created_at, pair[0].id))
        return found

    @property
    def title_is_automatic(self) -> bool:
        """Whether the title is still the one made from the first message (not renamed,
        not generated yet)."""
        first = next((m for m in self.messages if m.role == "user" and m.text.strip()), None)
        return self.title == DEFAULT_TITLE or (
            first is not None and self.title == title_from_text(first.text)
        )

    @property
    def last_reply(self) -> Message | None:
        """The last message if it is the assistant's, else None."""
        if self.messages and self.messages[-1].role == "assistant":
            return self.messages[-1]
        return None

    # -- the API's view ----------------------------------------------------------------------

    def api_messages(
        self, *, thinking: bool = True, system: str | None = None
    ) -> list[dict[str, Any]]:
        """The history in Messages API shape, valid to send as it is.

        Empty or unusable blocks (empty text, unsigned thinking from a cut-off reply) are left
        out, empty turns and excluded (refused) messages are skipped, consecutive turns of one
        role are merged and the list starts with the user, so whatever happened before, the
        next request is well formed.

        The API binds each thinking block to everything before it, so thinking is sent back
        only where that is unchanged: not at all when the request does not think
        (``thinking`` False), and not from replies written under another system prompt than
        ``system`` (the prompt as it will be sent; None: do not check).
        """
        digest = system_digest(system) if system is not None else None
        result: list[dict[str, Any]] = []
        for message in self.messages:
            if message.excluded:
                continue
            keep_thinking = thinking and (
                digest is None or message.system_digest in (None, digest))
            blocks = [
                copy.deepcopy(b) for b in message.content
                if _sendable(b) and (keep_thinking or not _is_thinking(b))
            ]
            if not blocks:
                continue
            if not result and message.role != "user":
                continue
            if result and result[-1]["role"] == message.role:
                result[-1]["content"].extend(blocks)
            else:
                result.append({"role": message.role, "content": blocks})
        if result and result[-1]["role"] == "assistant":
            _strip_trailing_whitespace(result[-1]["content"])
        return result

    # -- persistence --------------------------------------------------------------------------

    def to_json(self, schema: int) -> dict[str, Any]:
        data: dict[str, Any] = dict(copy.deepcopy(self.extra))
        data.update(
            schema=schema,
            id=self.id,
            title=self.title,
            created_at=self.created_at,
            updated_at=self.updated_at,
            model=self.model,
            system_prompt=self.system_prompt,
            messages=[m.to_json() for m in self.messages],
        )
        if self.branches:
            data["branches"] = [b.to_json() for b in self.branches]
        if self.pinned:
            data["pinned"] = True
        if self.model_chosen:
            data["model_chosen"] = True
        if self.auxiliary_usage:
            data["auxiliary_usage"] = copy.deepcopy(self.auxiliary_usage)
        if self.options:
            data["options"] = copy.deepcopy(self.options)
        return data

    @classmethod
    def from_json(cls, data: Any, *, owned: bool = False) -> Conversation:
        """A conversation from its JSON form (``owned``: see :meth:`Message.from_json`).

        The whole document is checked against the history schema first (every reader of
        files comes through here: the history loader and the importers), so what is built
        below never meets a value of another type.

        Raises:
            HistoryFormatError: (a ValueError) ``data`` is not a conversation of the history
                format; it says where and why (e.g. ``messages[3].content[0].text must be a
                string, not an integer``).
        """
        check_conversation(data)
        clone = _keep if owned else copy.deepcopy
        created = data.get("created_at") or now_iso()
        return cls(
            id=data["id"],
            title=data.get("title") or DEFAULT_TITLE,
            created_at=created,
            updated_at=data.get("updated_at") or created,
            model=data.get("model"),
            system_prompt=data.get("system_prompt", ""),
            options=clone(data.get("options", {})),
            messages=[Message._from_checked(m, owned=owned) for m in data.get("messages", [])],
            branches=[Branch._from_checked(b, owned=owned) for b in data.get("branches", [])],
            pinned=data.get("pinned") is True,
            model_chosen=data.get("model_chosen") is True,
            auxiliary_usage=clone(data.get("auxiliary_usage", [])),
            extra={k: clone(v) for k, v in data.items() if k not in _CONVERSATION_FIELDS},
        )


def title_from_text(text: str) -> str:
    """A first title from the user's opening words: one line, cut at a word boundary."""
    line = " ".join(text.split())
    if len(line) <= _TITLE_CHARS:
        return line or DEFAULT_TITLE
    cut = line[:_TITLE_CHARS].rsplit(" ", 1)[0] or line[:_TITLE_CHARS]
    return cut + "…"


def _is_thinking(block: dict[str, Any]) -> bool:
    return block.get("type") in ("thinking", "redacted_thinking")


def _sendable(block: dict[str, Any]) -> bool:
    kind = block.get("type")
    if kind == "text":
        return bool(block.get("text", "").strip())
    if kind == "thinking":
        return bool(block.get("signature"))
    if kind == "redacted_thinking":
        return bool(block.get("data"))
    return kind is not None


def _strip_trailing_whitespace(blocks: list[dict[str, Any]]) -> None:
    """The API refuses a final assistant turn whose text ends in white space."""
    for block in reversed(blocks):
        if block.get("type") == "text":
            block["text"] = block["text"].rstrip()
            return
