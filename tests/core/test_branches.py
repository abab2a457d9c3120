"""Edit and regenerate: new paths replace what followed, old paths are kept and can be
flipped back to, requests carry only the shown path, and JSON keeps every branch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop_app.core.conversation import Branch, Conversation, Message, ReplyState


def reply(conversation: Conversation, words: str) -> Message:
    message = conversation.start_reply("claude-x")
    message.content = [{"type": "text", "text": words}]
    message.state = ReplyState.COMPLETE
    return message


def texts(conversation: Conversation) -> list[str]:
    return [m.text for m in conversation.messages]


def api_texts(conversation: Conversation) -> list[str]:
    return [b["text"] for turn in conversation.api_messages() for b in turn["content"]]


@pytest.fixture
def chat() -> Conversation:
    conversation = Conversation()
    conversation.add_user_message("first question")
    reply(conversation, "first answer")
    conversation.add_user_message("second question")
    reply(conversation, "second answer")
    return conversation


def test_editing_a_message_replaces_what_followed_and_keeps_the_old_path(chat: Conversation) -> None:
    first = chat.messages[0]
    edited = chat.edit_user_message(first.id, "better question")
    assert texts(chat) == ["better question"]
    assert api_texts(chat) == ["better question"]  # requests send only the shown path
    assert chat.alternatives(edited.id) == (2, 2)
    assert [m.text for m in chat.all_messages()] == [
        "better question", "first question", "first answer", "second question", "second answer",
    ]


def test_flipping_back_restores_the_whole_old_path_and_keeps_the_new_one(chat: Conversation) -> None:
    first = chat.messages[0]
    edited = chat.edit_user_message(first.id, "better question")
    reply(chat, "better answer")
    assert chat.switch_branch(edited.id, -1)
    assert texts(chat) == ["first question", "first answer", "second question", "second answer"]
    assert chat.alternatives(first.id) == (1, 2)
    assert not chat.switch_branch(first.id, -1)  # nothing before the first
    assert chat.switch_branch(first.id, +1)
    assert texts(chat) == ["better question", "better answer"]
    assert not chat.switch_branch(edited.id, +1)


def test_regenerating_a_reply_keeps_the_old_reply_as_a_branch(chat: Conversation) -> None:
    old = chat.messages[-1]
    chat.fork_at(old.id)
    new = reply(chat, "second answer, again")
    assert texts(chat)[-1] == "second answer, again"
    assert chat.alternatives(new.id) == (2, 2)
    assert chat.switch_branch(new.id, -1)
    assert texts(chat)[-1] == "second answer"
    assert chat.alternatives(old.id) == (1, 2)


def test_branches_nest_and_each_remembers_its_own_choice(chat: Conversation) -> None:
    first, second_q = chat.messages[0], chat.messages[2]
    edited_second = chat.edit_user_message(second_q.id, "second question v2")
    reply(chat, "answer v2")
    assert chat.alternatives(edited_second.id) == (2, 2)
    chat.edit_user_message(first.id, "first question v2")  # sets aside the path with v2 in it
    reply(chat, "fresh")
    assert chat.switch_branch(chat.messages[0].id, -1)
    # The old path comes back as it was left: with the edited second question shown.
    assert texts(chat) == ["first question", "first answer", "second question v2", "answer v2"]
    assert chat.alternatives(chat.messages[2].id) == (2, 2)
    assert chat.switch_branch(chat.messages[2].id, -1)
    assert texts(chat) == ["first question", "first answer", "second question", "second answer"]


def test_three_alternatives_in_creation_order() -> None:
    conversation = Conversation()
    question = conversation.add_user_message("q")
    answers = []
    for n in range(3):
        answers.append(reply(conversation, f"answer {n}"))
        if n < 2:
            conversation.fork_at(answers[-1].id)
    assert conversation.alternatives(answers[2].id) == (3, 3)
    conversation.switch_branch(answers[2].id, -1)
    assert conversation.alternatives(answers[1].id) == (2, 3)
    assert texts(conversation) == ["q", "answer 1"]
    assert conversation.messages[0] is question


def test_editing_keeps_the_attachments_of_the_original() -> None:
    conversation = Conversation()
    image = {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}
    original = conversation.add_user_message("what is this?", [image])
    edited = conversation.edit_user_message(original.id, "describe this")
    assert edited.content == [image, {"type": "text", "text": "describe this"}]
    text_only = conversation.add_user_message("plain")
    with pytest.raises(ValueError):
        conversation.edit_user_message(text_only.id, "  ")
    assert conversation.messages[-1] is text_only  # a refused edit changes nothing


def test_editing_a_reply_or_unknown_message_is_refused(chat: Conversation) -> None:
    with pytest.raises(KeyError):
        chat.edit_user_message(chat.messages[1].id, "no")
    with pytest.raises(KeyError):
        chat.edit_user_message("msg_missing", "no")
    assert len(chat.messages) == 4 and not chat.branches


def test_json_round_trip_keeps_every_branch_exactly(chat: Conversation) -> None:
    chat.edit_user_message(chat.messages[2].id, "second question v2")
    reply(chat, "answer v2")
    chat.fork_at(chat.messages[-1].id)
    reply(chat, "answer v2 again")
    document = chat.to_json(1)
    text = json.dumps(document)
    loaded = Conversation.from_json(json.loads(text))
    assert loaded.to_json(1) == document
    assert [m.text for m in loaded.all_messages()] == [m.text for m in chat.all_messages()]
    assert loaded.alternatives(loaded.messages[-1].id) == (2, 2)
    assert loaded.alternatives(loaded.messages[2].id) == (2, 2)


def test_a_file_without_branches_has_no_branches_key() -> None:
    conversation = Conversation()
    conversation.add_user_message("hi")
    assert "branches" not in conversation.to_json(1)


@pytest.mark.parametrize(
    "branches",
    ["nope", [{"parent": None}], [{"parent": 3, "messages": []}], [{"parent": None, "messages": []}]],
)
def test_malformed_branches_are_rejected(branches: Any) -> None:
    with pytest.raises(ValueError):
        Conversation.from_json({"id": "conv_x", "messages": [], "branches": branches})


def test_removing_a_message_re_anchors_branches_that_continued_from_it() -> None:
    conversation = Conversation()
    question = conversation.add_user_message("q")
    failed = conversation.start_reply("claude-x")
    later = Message(role="user", content=[{"type": "text", "text": "later"}])
    conversation.branches.append(Branch(failed.id, [later]))
    conversation.remove(failed.id)
    assert conversation.branches[0].parent_id == question.id


def test_pinned_and_auxiliary_usage_round_trip() -> None:
    conversation = Conversation(pinned=True)
    conversation.add_user_message("hello there")
    conversation.auxiliary_usage.append(
        {"purpose": "title", "model": "claude-x", "usage": {"input_tokens": 9, "output_tokens": 4}}
    )
    document = conversation.to_json(1)
    assert document["pinned"] is True
    loaded = Conversation.from_json(document)
    assert loaded.pinned and loaded.auxiliary_usage == conversation.auxiliary_usage
    assert "pinned" not in Conversation().to_json(1)
    # Not the documented types: refused (docs/history-format.md, "What Cairn accepts").
    for odd in ({"id": "c", "pinned": "yes"}, {"id": "c", "auxiliary_usage": [1]},
                {"id": "c", "auxiliary_usage": [{"x": 2}]}):
        with pytest.raises(ValueError):
            Conversation.from_json(odd)


def test_title_is_automatic_until_renamed() -> None:
    conversation = Conversation()
    assert conversation.title_is_automatic
    conversation.add_user_message("What is a cairn made of?")
    assert conversation.title_is_automatic
    conversation.title = "Stones"
    assert not conversation.title_is_automatic


def test_alternative_positions_match_alternatives(chat: Conversation) -> None:
    assert chat.alternative_positions() == {}
    chat.edit_user_message(chat.messages[2].id, "v2")
    reply(chat, "answer v2")
    chat.fork_at(chat.messages[-1].id)
    reply(chat, "answer v3")
    positions = chat.alternative_positions()
    assert positions == {
        m.id: chat.alternatives(m.id) for m in chat.messages if chat.alternatives(m.id)[1] > 1
    }
    assert sorted(positions.values()) == [(2, 2), (2, 2)]
