"""Generated titles: the small request that names a conversation after its first reply, and
the clean-up of what comes back."""

from __future__ import annotations

from typing import Any

TITLE_MAX_TOKENS = 40
_EXCERPT_CHARS = 1500
_TITLE_CHARS = 80

TITLE_SYSTEM_PROMPT = (
    "You name conversations for a sidebar. Reply with a title of at most six words that says "
    "what the conversation is about, in the language the user wrote in. Reply with the title "
    "only: no quotes, no full stop, no preamble."
)


def title_request(model_id: str, question: str, answer: str) -> dict[str, Any]:
    """Keyword arguments for ``messages.create`` asking for a title (short excerpts only,
    so the request stays cheap)."""
    excerpt = (
        f"<user>\n{question[:_EXCERPT_CHARS]}\n</user>\n"
        f"<assistant>\n{answer[:_EXCERPT_CHARS]}\n</assistant>\n\nTitle for this conversation:"
    )
    return {
        "model": model_id,
        "max_tokens": TITLE_MAX_TOKENS,
        "system": TITLE_SYSTEM_PROMPT,
        "messages": [{"role": "user", "content": [{"type": "text", "text": excerpt}]}],
    }


def clean_title(text: str) -> str:
    """The first line of the reply without quotes, markup or a trailing full stop ("" if
    nothing usable came back)."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    if line.lower().startswith("title:"):
        line = line[6:].strip()
    line = line.strip("#*_`\"'“”‘’「」 ").rstrip(".。").strip()
    line = " ".join(line.split())
    if len(line) > _TITLE_CHARS:
        line = line[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return line
