"""What the sidebar and search need of a conversation that is not open.

Years of history must not mean years of parsed messages in memory: a conversation is read in
full only when it is opened (or renamed, pinned, exported); until then Cairn keeps this
summary. Of the message text it keeps what search needs: each distinct word once, casefolded,
UTF-8 encoded (about one byte per character, where a ``str`` holding a single curly quote
takes two). A search term never contains a space, so it occurs in a text exactly when it
occurs inside one of the text's words; repeats add nothing (in real text the distinct words
of a conversation take about 60 % of its length). A summary is never written anywhere: it
cannot stand in for a conversation's file.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.core.conversation import Conversation

_NO_HASHES: frozenset[str] = frozenset()


class ConversationSummary:
    """A saved conversation as listed: title, dates, pin, attachments, searchable text."""

    __slots__ = ("id", "title", "updated_at", "pinned", "read_only", "attachment_hashes",
                 "folded_title", "folded_body")

    def __init__(self, conversation_id: str, title: str, updated_at: str, pinned: bool, *,
                 read_only: bool = False, attachment_hashes: frozenset[str] = _NO_HASHES,
                 folded_body: bytes = b"") -> None:
        self.id = conversation_id
        self.title = title
        self.updated_at = updated_at
        self.pinned = pinned
        self.read_only = read_only
        self.attachment_hashes = attachment_hashes
        self.folded_title = fold(title)
        self.folded_body = folded_body

    @classmethod
    def of(cls, conversation: Conversation, *, read_only: bool = False) -> ConversationSummary:
        hashes = attachment_hashes(conversation)
        return cls(
            conversation.id, conversation.title, conversation.updated_at, conversation.pinned,
            read_only=read_only, attachment_hashes=frozenset(hashes) if hashes else _NO_HASHES,
            folded_body=folded_body(conversation),
        )


def fold(text: str) -> bytes:
    """Text as search compares it: casefolded, UTF-8 (a UTF-8 term found in UTF-8 text always
    starts and ends on whole characters)."""
    return text.casefold().encode("utf-8", "surrogatepass")


def folded_body(conversation: Conversation) -> bytes:
    """The distinct words of every message of every branch, folded, separated by spaces (so
    a term never matches across two words, nor across two messages)."""
    words = dict.fromkeys(
        word for message in conversation.all_messages() if not message.is_cairn_turn
        for word in message.text.casefold().split()
    )
    return " ".join(words).encode("utf-8", "surrogatepass")


def attachment_hashes(conversation: Conversation) -> set[str]:
    """The stored attachments (images, PDFs) its messages refer to, on any branch. (The
    history schema makes every image and document reference name one; a block of a type it
    does not know is kept as it is, so its ``sha256`` is taken only when it is a string.)"""
    return {
        sha256
        for message in conversation.all_messages()
        for block in message.content
        if is_stored_attachment(block)
        and isinstance(sha256 := block["source"].get("sha256"), str)
    }


def is_stored_attachment(block: dict[str, object]) -> bool:
    source = block.get("source")
    return isinstance(source, dict) and source.get("type") == "cairn_attachment"


def hashes_of(items: Iterable[Conversation | ConversationSummary]) -> set[str]:
    """Every attachment any of ``items`` refers to."""
    found: set[str] = set()
    for item in items:
        found |= (item.attachment_hashes if isinstance(item, ConversationSummary)
                  else attachment_hashes(item))
    return found
