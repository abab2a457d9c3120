"""Zip bombs, archives that lie, and giant files given to the importers: refused by limits a
real user never reaches, with a sentence naming the limit, before much is unpacked, held in
memory or written. Every bomb here is generated small (kilobytes on disk) and would unpack to
hundreds of megabytes or gigabytes; none of it is ever unpacked in full."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core import import_limits
from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation
from desktop_app.storage.archive import MANIFEST_NAME, import_archive
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.claude_import_file import import_claude_export
from desktop_app.storage.conversation_export import import_conversation_file
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore
from desktop_app.storage.import_file import import_any
from tests.helpers.zip_forge import ForgedEntry, bomb, entry, forge_zip, stored

MB = 1024**2


class Data:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.history = HistoryStore(root / "conversations")
        self.attachments = AttachmentStore(root / "attachments")

    def bytes_written(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.history.directory.glob("*.json"))


@pytest.fixture
def data(tmp_path: Path) -> Data:
    return Data(tmp_path / "data")


def conversation_json(title: str = "Fine", text: str = "ok") -> tuple[str, bytes]:
    conversation = Conversation(title=title)
    conversation.add_user_message(text)
    return (f"conversations/{conversation.id}.json",
            json.dumps(conversation.to_json(SCHEMA_VERSION)).encode())


def padded_bomb(megabytes: int, **lies: int) -> tuple[str, ForgedEntry]:
    """A valid conversation file padded with ``megabytes`` MB of spaces (JSON allows them):
    it would parse to a tiny conversation, so only the unpacking limits can refuse it."""
    name, body = conversation_json("Padded")
    return name, bomb(name, body[:-1], b" " * MB, megabytes, b"}", **lies)


# -- zip bombs ------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(data: Data, tmp_path: Path) -> None:
    """An entry that honestly declares 2 GB from 2 MB (a ratio of 1,000) is refused from the
    directory alone: nothing is inflated, nothing written."""
    _, entry_2gb = padded_bomb(2048)
    path = forge_zip(tmp_path / "bomb.zip", [stored(MANIFEST_NAME, b"{}"), entry_2gb])
    assert path.stat().st_size < 3 * MB
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(ImportFormatError, match="refused as a zip bomb"):
            import_archive(path, data.history, data.attachments)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1 and peak < 5 * MB
    assert data.ids() == []


def test_many_small_bombs_are_refused_together(data: Data, tmp_path: Path) -> None:
    """Forty entries of 3 MB from a few kilobytes each (the 2.4 MB archive that wrote 2.5 GB,
    in small): each alone passes for a small file, together they are a bomb."""
    entries = [stored(MANIFEST_NAME, b"{}")]
    for number in range(40):
        conversation = Conversation(id=f"conv_{number:04d}", title="x")
        conversation.add_user_message("a" * (3 * MB))
        entries.append(entry(f"conversations/{conversation.id}.json",
                             [json.dumps(conversation.to_json(SCHEMA_VERSION)).encode()]))
    path = forge_zip(tmp_path / "bombs.zip", entries)
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(ImportFormatError, match="zip bomb"):
        import_archive(path, data.history, data.attachments)
    assert data.ids() == [] and data.bytes_written() == 0


def test_an_entry_that_lies_about_its_size_refuses_the_archive(
    data: Data, tmp_path: Path
) -> None:
    """It declares 1,000 bytes and unpacks to 1 GB: refused as soon as it passes 1,000, with
    no more than a piece of it ever in memory; the entries before it stay imported."""
    good_name, good = conversation_json()
    _, liar = padded_bomb(1024, file_size=1000)
    path = forge_zip(tmp_path / "liar.zip", [
        stored(MANIFEST_NAME, b"{}"), stored(good_name, good), liar])
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(ImportFormatError, match="more than the 1,000 bytes it declares"):
            import_archive(path, data.history, data.attachments)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1 and peak < 5 * MB
    assert data.ids() == [good_name.split("/")[1][:-5]]


def test_an_entry_whose_compressed_size_lies_is_stopped_by_the_ratio(
    data: Data, tmp_path: Path
) -> None:
    """Declared sizes that pass (50 MB from 1.05 MB) while the data is a 50 KB bomb behind
    1 MB of padding: the ratio is counted on the bytes actually used, so it stops early."""
    _, padded = padded_bomb(50)
    assert len(padded.data) < 100 * 1024
    path = forge_zip(tmp_path / "padded.zip", [stored(MANIFEST_NAME, b"{}"), padded],
                     padding=b"\0" * MB)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFormatError, match="zip bomb: an entry .* unpacks to more than "
                           "100 times its compressed size"):
            import_archive(path, data.history, data.attachments)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB  # stopped at about 1 MB + 100 x 50 KB, not 50 MB
    assert data.ids() == []


def test_entries_that_share_their_data_are_refused(data: Data, tmp_path: Path) -> None:
    """The overlapping bomb: many directory entries pointing at the same compressed bytes."""
    name, body = conversation_json()
    entries = [stored(MANIFEST_NAME, b"{}"), entry(name, [body])]
    for number in range(5):
        twin = entry(f"conversations/conv_twin{number}.json", [body])
        twin.same_data_as = 1
        entries.append(twin)
    path = forge_zip(tmp_path / "overlap.zip", entries)
    with pytest.raises(ImportFormatError, match="share their data"):
        import_archive(path, data.history, data.attachments)
    assert data.ids() == []


def test_a_claude_export_zip_bomb_is_refused(data: Data, tmp_path: Path) -> None:
    path = forge_zip(tmp_path / "claude.zip", [
        bomb("conversations.json", b"[", b" " * MB, 4000, b"]")])  # 4 GB
    with pytest.raises(ImportFormatError, match="zip bomb"):
        import_any(path, data.history, data.attachments)
    lying = forge_zip(tmp_path / "claude-liar.zip", [
        bomb("conversations.json", b"[", b" " * MB, 4000, b"]", file_size=10)])
    with pytest.raises(ImportFormatError, match="more than the 10 bytes it declares"):
        import_any(lying, data.history, data.attachments)
    assert data.ids() == []


# -- message and conversation limits ---------------------------------------------------------


def claude_conversation(number: int, *texts: str) -> dict[str, Any]:
    return {
        "uuid": str(uuid.UUID(int=number + 1)), "name": f"Chat {number}",
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "chat_messages": [
            {"uuid": str(uuid.UUID(int=10**6 + number * 1000 + index)),
             "sender": "human" if index % 2 == 0 else "assistant", "text": text}
            for index, text in enumerate(texts)
        ],
    }


def test_a_message_over_the_limit_is_refused_naming_the_limit(
    data: Data, tmp_path: Path
) -> None:
    assert import_limits.MAX_MESSAGE_BYTES == 8 * MB
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([
        claude_conversation(1, "fine", "also fine"),
        claude_conversation(2, "x" * (9 * MB)),
    ]))
    result = import_claude_export(path, data.history)
    assert result.added == 1
    assert result.problems == [
        "“Chat 2” was not imported: one of its messages is 9.0 MB, and Cairn imports messages "
        "of up to 8 MB."]


def test_a_conversation_over_the_limit_is_refused_by_every_importer(
    data: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """64 MB for real; 1 MB here, so the test stays small."""
    monkeypatch.setattr(import_limits, "MAX_CONVERSATION_BYTES", MB)
    texts = ["y" * (300 * 1024)] * 5  # 1.5 MB in all, each message far below 8 MB
    claude = tmp_path / "conversations.json"
    claude.write_text(json.dumps([claude_conversation(1, *texts), claude_conversation(2, "ok")]))
    result = import_claude_export(claude, data.history)
    assert result.added == 1
    assert result.problems == [
        "Entry 1 was skipped: it is larger than 1 MB, the most Cairn imports in one "
        "conversation."]

    conversation = Conversation(title="Long")
    for text in texts:
        conversation.add_user_message(text)
    exported = tmp_path / "one.json"
    exported.write_text(json.dumps(conversation.to_json(SCHEMA_VERSION)))
    with pytest.raises(ImportFormatError, match="“Long” was not imported: it is larger than "
                       "1 MB, the most Cairn imports in one conversation"):
        import_conversation_file(exported, data.history, data.attachments)
    assert conversation.id not in data.ids()


# -- claude.ai exports are read a piece at a time -------------------------------------------


def large_export(path: Path, conversations: int, text_bytes: int) -> None:
    """An export of ``conversations`` conversations with ``text_bytes`` of text each
    (random hex: it compresses about as well as prose), written a conversation at a time."""
    with path.open("w") as handle:
        handle.write("[")
        for number in range(conversations):
            if number:
                handle.write(",\n")
            reply = os.urandom(text_bytes // 4).hex()
            json.dump(claude_conversation(number, "question", reply, reply), handle)
        handle.write("]")


@pytest.mark.parametrize("zipped", [False, True], ids=["json", "zip"])
def test_a_large_claude_export_is_imported_in_bounded_memory(
    data: Data, tmp_path: Path, zipped: bool
) -> None:
    export = tmp_path / "conversations.json"
    large_export(export, conversations=300, text_bytes=80 * 1024)  # 24 MB
    size = export.stat().st_size
    assert size > 20 * MB
    path = export
    if zipped:
        path = tmp_path / "data-2025.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(export, "data-2025/conversations.json")
    tracemalloc.start()
    try:
        result = import_claude_export(path, data.history)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.added == 300 and result.problems == []
    # Reading it whole would peak above its size (the text, then the parsed objects); what is
    # held instead is one conversation being parsed plus one batch of files being written
    # (32 of these ~250 KB conversations: about 8 MB), whatever the export's size.
    assert peak < size / 2, f"peak {peak / MB:.1f} MB for a {size / MB:.1f} MB export"
