"""What the sidebar lists: pinned conversations first, then the rest grouped by when they
last changed (Today, Yesterday, Previous 7 days, Older), each group under a header row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from functools import lru_cache

from desktop_app.core.search import Listed, SearchHit


class Group(StrEnum):
    PINNED = "pinned"
    TODAY = "today"
    YESTERDAY = "yesterday"
    WEEK = "week"
    OLDER = "older"


@dataclass(slots=True)
class SidebarRow:
    """A header (``conversation_id`` None) or a conversation."""

    group: Group
    conversation_id: str | None = None
    title: str = ""
    pinned: bool = False
    hit: SearchHit | None = None

    @property
    def is_header(self) -> bool:
        return self.conversation_id is None


def group_of(updated_at: str, now: datetime) -> Group:
    """The date group of a timestamp, by the calendar of ``now``'s time zone."""
    return _group_on(updated_at, now.date(), now.tzinfo)


@lru_cache(maxsize=65_536)  # the sidebar asks again for every row on every change
def _group_on(updated_at: str, today: date, zone: tzinfo | None) -> Group:
    now = datetime.combine(today, time(12), zone)
    try:
        moment = datetime.fromisoformat(updated_at.replace("Z", "+00:00"))
    except ValueError:
        return Group.OLDER
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    days = (now.date() - moment.date()).days
    if days <= 0:
        return Group.TODAY
    if days == 1:
        return Group.YESTERDAY
    if days < 7:
        return Group.WEEK
    return Group.OLDER


def build_rows(
    conversations: Sequence[Listed],
    now: datetime,
    hits: dict[str, SearchHit] | None = None,
    limit: int | None = None,
) -> list[SidebarRow]:
    """Rows for ``conversations`` (given newest first); with ``hits``, only those that
    matched a search, each carrying its hit; with ``limit``, at most that many
    conversations (the first ones in sidebar order)."""
    rows: list[SidebarRow] = []
    current: Group | None = None
    listed = 0
    ordered = [c for c in conversations if c.pinned] + [c for c in conversations if not c.pinned]
    for conversation in ordered:
        if hits is not None and conversation.id not in hits:
            continue
        if limit is not None and listed >= limit:
            break
        listed += 1
        group = Group.PINNED if conversation.pinned else group_of(conversation.updated_at, now)
        if group != current:
            rows.append(SidebarRow(group))
            current = group
        rows.append(SidebarRow(
            group, conversation.id, conversation.title, conversation.pinned,
            hits.get(conversation.id) if hits is not None else None,
        ))
    return rows
