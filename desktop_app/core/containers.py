"""The code execution container of a conversation: kept between turns while it lives.

Code execution runs in a container on Anthropic's side, where files Claude made stay until it
expires. A reply that used one names it (``message_delta.delta.container``); sending its id
with the next request lets Claude carry on with those files. Cairn keeps ``{"id",
"expires_at"}`` in ``conversation.extra["container"]`` and sends the id only while it lives;
once it has expired (or the API refuses it) it is forgotten, and the user is told, because the
files in it are gone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

EXTRA_KEY = "container"
# A container about to expire is not sent: it could expire while the request runs.
_SAFETY_MARGIN = timedelta(seconds=30)


def stored_container(extra: dict[str, Any]) -> dict[str, str] | None:
    """The container kept for the conversation, or None (also for a malformed entry)."""
    entry = extra.get(EXTRA_KEY)
    if not isinstance(entry, dict):
        return None
    container_id, expires = entry.get("id"), entry.get("expires_at")
    if not isinstance(container_id, str) or not container_id or not isinstance(expires, str):
        return None
    return {"id": container_id, "expires_at": expires}


def remember_container(extra: dict[str, Any], container: dict[str, Any] | None) -> bool:
    """Keep the container a reply used (``{"id", "expires_at", ...}`` as the API gave it).

    Returns True when what is kept changed (so the conversation needs saving)."""
    if not isinstance(container, dict):
        return False
    container_id, expires = container.get("id"), container.get("expires_at")
    if not isinstance(container_id, str) or not container_id:
        return False
    entry = {"id": container_id, "expires_at": expires if isinstance(expires, str) else ""}
    if extra.get(EXTRA_KEY) == entry:
        return False
    extra[EXTRA_KEY] = entry
    return True


def forget_container(extra: dict[str, Any]) -> bool:
    """Drop the kept container; True when there was one."""
    return extra.pop(EXTRA_KEY, None) is not None


def expires_at(entry: dict[str, str]) -> datetime | None:
    """When the container expires (aware, UTC), or None when that is not known."""
    text = entry.get("expires_at", "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_alive(entry: dict[str, str], now: datetime) -> bool:
    """Whether the container can still be sent at ``now`` (an unknown expiry counts as
    alive: the API says so if it is not, and Cairn then starts fresh)."""
    moment = expires_at(entry)
    return moment is None or moment - _SAFETY_MARGIN > now


def live_container(extra: dict[str, Any], now: datetime) -> str | None:
    """The id of the kept container while it can still be sent (nothing is changed)."""
    entry = stored_container(extra)
    return entry["id"] if entry is not None and is_alive(entry, now) else None


def container_for_request(extra: dict[str, Any], now: datetime) -> tuple[str | None, bool]:
    """(the container id to send, whether a kept container has just been found expired).

    An expired container is forgotten here, so the user is told once."""
    entry = stored_container(extra)
    if entry is None:
        if EXTRA_KEY in extra:
            del extra[EXTRA_KEY]  # malformed: nothing to send, nothing to tell
        return None, False
    alive = live_container(extra, now)
    if alive is not None:
        return alive, False
    forget_container(extra)
    return None, True


def refused_container(detail: str, container_id: str | None) -> bool:
    """Whether an API error's words are about the container that was sent."""
    return container_id is not None and container_id != "" and container_id in detail
