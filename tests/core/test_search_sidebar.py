"""Search over titles and message text, and the sidebar's pinned/date groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from desktop_app.core.conversation import Conversation, ReplyState
from desktop_app.core.search import SearchIndex, snippet
from desktop_app.core.sidebar_rows import Group, build_rows, group_of


def chat(title: str, *texts: str, updated: str = "2026-11-25T10:00:00.000Z") -> Conversation:
    conversation = Conversation(title=title)
    for n, text in enumerate(texts):
        if n % 2 == 0:
            conversation.add_user_message(text)
        else:
            reply = conversation.start_reply("claude-x")
            reply.content = [{"type": "text", "text": text}]
            reply.state = ReplyState.COMPLETE
    conversation.title = title
    conversation.updated_at = updated
    return conversation


def test_search_finds_titles_and_message_text_case_insensitively() -> None:
    a = chat("Trip to Kyoto", "Where should I stay?", "Try a ryokan in Higashiyama.")
    b = chat("Python help", "How do I read JSON?", "Use json.load on an open FILE.")
    index = SearchIndex()
    assert set(index.search("kyoto", [a, b])) == {a.id}
    hit = index.search("RYOKAN", [a, b], lambda id_: {a.id: a, b.id: b}[id_].all_messages())[a.id]
    assert hit.message_id == a.messages[1].id and "ryokan" in hit.snippet
    assert set(index.search("file json", [a, b])) == {b.id}  # every word, anywhere
    assert index.search("file kyoto", [a, b]) == {}
    assert index.search("   ", [a, b]) == {}


def test_search_sees_changes_and_branches() -> None:
    a = chat("Notes", "first words")
    index = SearchIndex()
    assert index.search("banana", [a]) == {}
    a.edit_user_message(a.messages[0].id, "banana bread")
    assert set(index.search("banana", [a])) == {a.id}  # edit touched the conversation
    assert set(index.search("first", [a])) == {a.id}  # the old branch is still searchable


def test_terms_do_not_match_across_messages() -> None:
    a = chat("x", "ends with foo", "bar starts this")
    assert SearchIndex().search("foobar", [a]) == {}


def test_snippet_is_one_line_around_the_term() -> None:
    text = "word " * 50 + "needle in\nthe haystack " + "tail " * 50
    piece = snippet(text, "needle")
    assert "needle" in piece and "\n" not in piece and piece.startswith("…") and piece.endswith("…")
    assert snippet("short text", "short") == "short text"


def test_date_groups_follow_the_local_calendar() -> None:
    tz = timezone(timedelta(hours=9))
    now = datetime(2026, 11, 25, 8, 0, tzinfo=tz)
    assert group_of("2026-11-24T23:30:00.000Z", now) == Group.TODAY  # 08:30 local, same day
    assert group_of("2026-11-24T14:00:00.000Z", now) == Group.YESTERDAY  # 23:00 local
    assert group_of("2026-11-20T10:00:00.000Z", now) == Group.WEEK
    assert group_of("2026-10-01T10:00:00.000Z", now) == Group.OLDER
    assert group_of("garbage", now) == Group.OLDER


def test_rows_put_pinned_first_then_date_groups_with_headers() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    today = chat("today", "a", updated="2026-11-25T09:00:00.000Z")
    old = chat("old", "b", updated="2026-01-01T09:00:00.000Z")
    pinned = chat("pinned", "c", updated="2026-02-01T09:00:00.000Z")
    pinned.pinned = True
    rows = build_rows([today, pinned, old], now)
    assert [(r.group, r.title) for r in rows] == [
        (Group.PINNED, ""), (Group.PINNED, "pinned"),
        (Group.TODAY, ""), (Group.TODAY, "today"),
        (Group.OLDER, ""), (Group.OLDER, "old"),
    ]
    hits = SearchIndex().search("b", [today, pinned, old])
    assert [r.title for r in build_rows([today, pinned, old], now, hits) if not r.is_header] == ["old"]


def test_typing_on_narrows_the_last_results_and_still_sees_changes() -> None:
    a = chat("Harbour walk", "saffron buns by the harbour")
    b = chat("Bakery", "saffron and cardamom")
    c = chat("Other", "nothing relevant")
    index = SearchIndex()
    assert set(index.search("saf", [a, b, c])) == {a.id, b.id}
    assert set(index.search("saffron", [a, b, c])) == {a.id, b.id}
    assert set(index.search("saffron harb", [a, b, c])) == {a.id}
    # c changes while the user types: it is checked again although it did not match before.
    c.add_user_message("saffron harbour festival")
    assert set(index.search("saffron harbo", [a, b, c])) == {a.id, c.id}
    # A query that does not extend the last one searches everything again.
    assert set(index.search("cardamom", [a, b, c])) == {b.id}


def test_snippet_of_a_very_long_message_is_cut_from_around_the_match() -> None:
    text = ("filler " * 20_000) + "the NEEDLE is here " + ("tail " * 20_000)
    piece = snippet(text, "needle")
    assert "NEEDLE" in piece and len(piece) <= 92 and piece.startswith("…") and piece.endswith("…")


def test_rows_can_be_limited_for_a_very_broad_search() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    many = [chat(f"chat {n}", "common words", updated=f"2026-11-25T{n % 10:02d}:00:00.000Z")
            for n in range(30)]
    hits = SearchIndex().search("common", many)
    rows = build_rows(many, now, hits, limit=7)
    assert len([r for r in rows if not r.is_header]) == 7 and len(hits) == 30


def test_a_closed_conversation_is_found_through_its_summary_exactly_as_when_open() -> None:
    from desktop_app.core.conversation_summary import ConversationSummary

    texts = ["Die Straße nach München — “quoted” 🙂", "CAFÉ au lait\tand  crème brûlée",
             "日本語のテキスト search", "ends with foo", "bar starts this"]
    conversation = chat("Grüße", *texts)
    summary = ConversationSummary.of(conversation)
    queries = ["strasse", "STRASSE MÜNCHEN", "café", "crème brû", "テキスト", "🙂", "grüsse",
               "foobar", "foo bar", "“quoted”", "lait\tand", "nothing here", "ends bar"]
    for query in queries:
        naive = all(
            any(term in t.casefold() for t in [conversation.title, *texts])
            for term in query.casefold().split()
        )
        assert bool(SearchIndex().search(query, [conversation])) == naive, query
        assert bool(SearchIndex().search(query, [summary])) == naive, query
    # Each distinct word is kept once, so a repetitive text is summarised much smaller.
    repetitive = "the cat and the hat and the bat " * 50
    assert ConversationSummary.of(chat("t", repetitive)).folded_body == b"the cat and hat bat"


def test_a_hit_in_a_closed_conversation_finds_its_message_when_drawn() -> None:
    from desktop_app.core.conversation_summary import ConversationSummary

    conversation = chat("Trip", "Where to stay?", "A ryokan in Higashiyama.")
    summary = ConversationSummary.of(conversation)
    asked: list[str] = []

    def resolve(conversation_id: str):
        asked.append(conversation_id)
        return conversation.all_messages()

    hits = SearchIndex().search("RYOKAN", [summary], resolve)
    assert asked == []  # nothing is read until a row is drawn
    assert hits[summary.id].message_id == conversation.messages[1].id
    assert "ryokan" in hits[summary.id].snippet and asked == [summary.id]
