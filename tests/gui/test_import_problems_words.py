"""Why an import was refused or what it left out is said in the user's language: a zip bomb,
an entry whose name climbs out of the folder, a damaged claude.ai export. In English the
sentences are the ones Cairn always wrote."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from desktop_app.core.conversation import Conversation
from desktop_app.storage.archive import MANIFEST_NAME
from desktop_app.storage.history_store import SCHEMA_VERSION
from tests.helpers.zip_forge import entry, forge_zip, stored

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")


def overlapping_bomb(path: Path) -> Path:
    """A Cairn archive whose entries share their compressed data (refused as a zip bomb)."""
    body = json.dumps(_conversation("conv_a").to_json(SCHEMA_VERSION)).encode()
    entries = [stored(MANIFEST_NAME, b"{}"), entry("conversations/conv_a.json", [body])]
    for number in range(3):
        twin = entry(f"conversations/conv_t{number}.json", [body])
        twin.same_data_as = 1
        entries.append(twin)
    return forge_zip(path, entries)


def archive_with_traversal(path: Path) -> Path:
    """A Cairn archive with one good conversation and an entry named ``../../evil.json``."""
    good = json.dumps(_conversation("conv_good").to_json(SCHEMA_VERSION)).encode()
    return forge_zip(path, [stored(MANIFEST_NAME, b"{}"),
                            stored("conversations/conv_good.json", good),
                            stored("../../evil.json", b"{}")])


def damaged_export(path: Path) -> Path:
    """A claude.ai conversations.json that breaks off after its first conversation."""
    first = {"uuid": str(uuid.UUID(int=1)), "name": "Q", "created_at": "2024-02-01T00:00:00Z",
             "updated_at": "2024-02-01T00:00:00Z",
             "chat_messages": [{"uuid": str(uuid.UUID(int=2)), "sender": "human", "text": "q"}]}
    path.write_text("[" + json.dumps(first) + ', {"uuid": "x", "chat_messa')
    return path


def not_an_export(path: Path) -> Path:
    path.write_text("[ this is not JSON at all ]")
    return path


def _conversation(conversation_id: str) -> Conversation:
    conversation = Conversation(id=conversation_id, title="Z",
                                created_at="2024-01-01T00:00:00.000Z",
                                updated_at="2024-01-01T00:00:00.000Z")
    conversation.add_user_message("z").id = "msg_" + conversation_id
    return conversation


def english_left(shown: str, old_sentence: str, *names: str) -> set[str]:
    """The words of the old English sentence still in what is shown (file names aside)."""
    for name in names:
        shown = shown.replace(name, "")
        old_sentence = old_sentence.replace(name, "")
    return set(WORD.findall(old_sentence)) & set(WORD.findall(shown)) - {"Cairn", "claude", "JSON"}


CASES = {
    "zip bomb": (overlapping_bomb, "bomb.zip",
                 "bomb.zip has entries that share their data (a zip bomb); it was refused."),
    "traversal": (archive_with_traversal, "up.zip",
                  "../../evil.json has an unsafe name and was ignored."),
    "damaged export": (damaged_export, "conversations.json",
                       "The file could not be read past entry 1 (it is not valid JSON there); "
                       "the conversations before that were imported."),
    "not an export": (not_an_export, "conversations.json",
                      "This file is not a claude.ai export: it is not JSON."),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(CASES))
async def test_import_problems_are_chinese(chinese, app_factory, tmp_path, case):
    make, name, old_sentence = CASES[case]
    window = await app_factory()
    shown = await window.transfer.import_file(make(tmp_path / name))
    assert HAN.search(shown), shown
    assert not english_left(shown, old_sentence, name, "../../evil.json"), shown


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(CASES))
async def test_import_problems_in_english_are_the_old_sentences(app_factory, tmp_path, case):
    make, name, old_sentence = CASES[case]
    window = await app_factory()
    shown = await window.transfer.import_file(make(tmp_path / name))
    assert old_sentence in shown, shown
    assert not HAN.search(shown)


def test_every_kind_in_english_is_its_old_sentence(qapp):
    """The window's English for each kind (from the translatable words) is the sentence
    storage keeps as the problem's text, facts and nested reasons filled in."""
    from desktop_app.ui.transfer.import_problem_text import problem_text
    from tests.core.test_import_problems import OLD_SENTENCES

    for problem, sentence in OLD_SENTENCES:
        assert problem_text(problem) == sentence, problem.kind
