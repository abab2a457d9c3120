"""Start-up with conversation files that do not match the history format (issue 17): the
window opens, the good conversations are listed, and one notice names every file set aside
with its reason and where it went."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest

from desktop_app.core.conversation import Conversation
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore
from tests.conftest import until
from tests.helpers.gui_helpers import sidebar_titles
from tests.helpers.history_documents import rich_document, spoil

pytestmark = pytest.mark.asyncio


def save_good(data_dir: Path, title: str, updated: str = "2026-11-25T04:00:00.000Z") -> str:
    conversation = Conversation(title=title)
    conversation.add_user_message(f"About {title}")
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content.append({"type": "text", "text": "An answer."})
    reply.state = reply.state.COMPLETE
    conversation.updated_at = updated
    HistoryStore(data_dir / "conversations").save(conversation)
    return conversation.id


def write_poisoned(data_dir: Path, conversation_id: str, change) -> Path:
    document = rich_document(conversation_id, title=f"Poisoned {conversation_id}")
    change(document)
    path = data_dir / "conversations" / f"{conversation_id}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def number_for_text(document):
    document["messages"][1]["content"][5]["text"] = 42


def image_without_sha256(document):
    del document["messages"][0]["content"][1]["source"]["sha256"]


async def test_start_up_with_a_poisoned_file_shows_the_window_the_notice_and_the_rest(
    app_factory, data_dir
):
    """Before: the start-up scan raised a TypeError (Message.text joining a number) and Cairn
    exited before showing a window, at every start."""
    save_good(data_dir, "Sourdough starter")
    poisoned = write_poisoned(data_dir, "conv_poisoned", number_for_text)

    window = await app_factory()

    assert window.isVisible()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    assert "conv_poisoned.json" in notice
    assert "messages[1].content[5].text must be a string, not an integer" in notice
    assert sidebar_titles(window) == ["Sourdough starter"]
    assert not poisoned.exists()
    assert len(list(poisoned.parent.glob("conv_poisoned.json.unreadable-*"))) == 1
    assert window.composer.edit.hasFocus()


async def test_several_files_set_aside_are_listed_in_one_notice(app_factory, data_dir):
    """Before: each file had its own notice and only the last one could be read."""
    save_good(data_dir, "Garden soil", "2026-11-25T04:00:00.000Z")
    save_good(data_dir, "Bike repair", "2026-11-24T04:00:00.000Z")
    write_poisoned(data_dir, "conv_a", number_for_text)
    write_poisoned(data_dir, "conv_b", image_without_sha256)
    (data_dir / "conversations" / "conv_c.json").write_text('{"id": "conv_c", "messages": [')

    window = await app_factory()

    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    folder = str(data_dir / "conversations")
    assert notice.startswith(f"3 conversation files could not be opened and were set aside "
                             f"in {folder}")
    assert "• conv_a.json: not in Cairn's history format: messages[1].content[5].text" in notice
    assert "• conv_b.json: not in Cairn's history format: messages[0].content[1].source." \
           "sha256 is missing" in notice
    assert "• conv_c.json: not valid JSON" in notice
    assert sidebar_titles(window) == ["Garden soil", "Bike repair"]
    assert sorted(p.name.split(".")[0] for p in (data_dir / "conversations").glob(
        "*.unreadable-*")) == ["conv_a", "conv_b", "conv_c"]


async def test_newer_files_and_files_set_aside_share_the_notice(app_factory, data_dir):
    save_good(data_dir, "Jazz chords")
    newer = rich_document("conv_newer", "From the future")
    newer["schema"] = SCHEMA_VERSION + 1
    (data_dir / "conversations" / "conv_newer.json").write_text(json.dumps(newer))
    for name in ("conv_a", "conv_b"):
        write_poisoned(data_dir, name, number_for_text)

    window = await app_factory()

    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    assert "“From the future” was saved by a newer version of Cairn" in notice
    assert "2 conversation files could not be opened" in notice
    assert "conv_a.json" in notice and "conv_b.json" in notice
    assert sorted(sidebar_titles(window)) == ["From the future", "Jazz chords"]


async def test_start_up_over_many_spoiled_files(app_factory, data_dir):
    """Fuzzing through the window: conversation files spoiled at random (values of other
    types, keys removed, deep nesting, long strings, lone surrogates, repeated messages).
    Start-up always shows the window; each file is either listed, and opens and renders, or
    set aside and named in the one notice."""
    good = save_good(data_dir, "Marathon training")
    rng = random.Random(1717)
    names = []
    for number in range(40):
        conversation_id = f"conv_spoiled{number:02d}"
        document = spoil(rich_document(conversation_id, f"Spoiled {number}"), rng,
                         long_text=(20_000,))
        path = data_dir / "conversations" / f"{conversation_id}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        names.append(conversation_id)

    window = await app_factory()

    assert window.isVisible()
    controller = window.controller
    listed = {item.id for item in controller.ordered_conversations()}
    assert good in listed
    left = {p.stem for p in (data_dir / "conversations").glob("*.json")}
    set_aside = [n for n in names if n not in left]
    assert set(names) - set(set_aside) <= listed  # every file still there is listed
    if set_aside:
        await until(lambda: window.notice_bar.isVisible(), message="the notice")
        notice = window.notice_bar.text()
        shown = [n for n in set_aside if f"{n}.json" in notice]
        assert len(shown) == min(len(set_aside), 10)
        if len(set_aside) > 1:
            assert f"{len(set_aside)} conversation files could not be opened" in notice
    assert 0 < len(set_aside) < len(names)  # the seed spoils some files but not all
    for conversation_id in sorted(listed):
        controller.select(conversation_id)
        assert controller.current is not None and controller.current.id == conversation_id
        window.messages.flush()
        await asyncio.sleep(0.01)  # Qt lays the column out (no qtbot.wait: it nests a loop)
    controller.select(good)
    window.messages.flush()


async def test_many_problems_are_counted_marked_and_cut_short(app_factory, data_dir):
    save_good(data_dir, "Tax return")
    unreadable_newer = {"schema": SCHEMA_VERSION + 1, "id": "conv_0_newer", "messages": "?"}
    (data_dir / "conversations" / "conv_0_newer.json").write_text(json.dumps(unreadable_newer))
    long_title = rich_document("conv_0_long", "x" * 1_000_000)
    long_title["schema"] = SCHEMA_VERSION + 1
    (data_dir / "conversations" / "conv_0_long.json").write_text(json.dumps(long_title))
    for number in range(12):
        write_poisoned(data_dir, f"conv_bad{number:02d}", image_without_sha256)

    window = await app_factory()

    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    assert len(notice) < 3000
    assert "“xxxxxxxx" in notice and "was saved by a newer version of Cairn" in notice
    assert "13 conversation files could not be opened; those marked “set aside” were renamed" \
        in notice
    assert "• conv_0_newer.json: written by a newer version of Cairn (schema 2)\n" in notice
    assert "• conv_bad00.json: not in Cairn's history format" in notice
    assert notice.count("(set aside)") == 9 and "conv_bad09.json" not in notice
    assert "…and 3 more (the log lists every one)." in notice
    assert (data_dir / "conversations" / "conv_0_newer.json").exists()  # never touched
