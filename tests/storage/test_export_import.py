"""Exports and imports: Markdown with its pictures, one conversation as JSON, the whole data
folder as a .zip archive, and claude.ai's data export."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from desktop_app.core.claude_import import (
    ImportFormatError,
    claude_export_from_json,
    conversation_id_for,
    parse_claude_export,
)
from desktop_app.core.conversation import Conversation, ErrorInfo, ReplyState
from desktop_app.core.export_markdown import conversation_to_markdown
from desktop_app.storage import archive as archive_module
from desktop_app.storage.archive import (
    IMPORTED_SUFFIX,
    MANIFEST_NAME,
    export_archive,
    import_archive,
    merge_conversations,
)
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.claude_import_file import import_claude_export, read_claude_export
from desktop_app.storage.conversation_export import (
    export_conversation_json,
    export_markdown,
    import_conversation_file,
    import_conversation_json,
)
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore
from desktop_app.storage.key_store import KeyStore
from desktop_app.storage.paths import AppPaths
from tests.helpers.memory_keyring import MemoryKeyring

CLAUDE_EXPORT = Path(__file__).parents[1] / "data" / "claude_export" / "conversations.json"
KEY = "sk-ant-api03-ArchiveMustNeverHoldThisKey-0123456789"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\ntrailer << >>\n%%EOF\n"


# -- helpers --------------------------------------------------------------------------------


class Data:
    """A Cairn data folder: its paths and stores."""

    def __init__(self, root: Path) -> None:
        self.paths = AppPaths.portable(root)
        self.paths.ensure()
        self.history = HistoryStore(self.paths.conversations_dir)
        self.attachments = AttachmentStore(self.paths.attachments_dir)

    def files(self) -> dict[str, bytes]:
        """Every conversation and attachment file, by path relative to the data folder."""
        found: dict[str, bytes] = {}
        for folder in (self.paths.conversations_dir, self.paths.attachments_dir):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found[path.relative_to(self.paths.data_dir).as_posix()] = path.read_bytes()
        return found


def png(colour: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(data: Data, raw: bytes, media_type: str, suffix: str) -> str:
    digest = sha(raw)
    data.attachments.put(raw, digest, suffix)
    return digest


def image_block(digest: str, name: str = "photo.png") -> dict[str, Any]:
    return {
        "type": "image",
        "source": {"type": "cairn_attachment", "sha256": digest, "media_type": "image/png"},
        "cairn": {"name": name, "width": 8, "height": 6, "bytes": 100},
    }


def pdf_block(digest: str) -> dict[str, Any]:
    return {
        "type": "document",
        "source": {"type": "cairn_attachment", "sha256": digest, "media_type": "application/pdf"},
        "cairn": {"name": "report (final).pdf", "pages": 1, "bytes": len(PDF)},
    }


def sample_conversation(data: Data) -> Conversation:
    """A conversation with a picture, a PDF, a link, thinking, and a kept branch."""
    picture = stored(data, png(), "image/png", ".png")
    second = stored(data, png((10, 200, 10)), "image/png", ".png")
    document = stored(data, PDF, "application/pdf", ".pdf")
    conversation = Conversation(title="Garden plans", system_prompt="Answer briefly.",
                                extra={"x_future": {"kept": True}})
    conversation.add_user_message("What is wrong with this leaf?", [image_block(picture)])
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content = [
        {"type": "thinking", "thinking": "Looks like rust fungus.", "signature": "EqQB"},
        {"type": "text", "text": "It has **leaf rust**.\n\n- remove the leaf\n- water less"},
    ]
    reply.state = ReplyState.COMPLETE
    conversation.add_user_message(
        "Here is the report and a link.",
        [pdf_block(document),
         {"type": "image", "source": {"type": "url", "url": "https://example.com/a (1).png"}}],
    )
    # A second try at the first question, with another picture: the first path is a branch.
    first = conversation.messages[0]
    conversation.fork_at(first.id)
    conversation.add_user_message("And this one?", [image_block(second, "other.png")])
    failed = conversation.start_reply("claude-opus-4-7")
    failed.content = [{"type": "text", "text": "Partial"}]
    failed.state = ReplyState.FAILED
    failed.error = ErrorInfo(kind="overloaded", message="The API is overloaded.")
    return conversation


def conversation_file(data: Data, conversation_id: str) -> bytes:
    return data.history.path_for(conversation_id).read_bytes()


@pytest.fixture
def source(tmp_path: Path) -> Data:
    return Data(tmp_path / "source")


@pytest.fixture
def target(tmp_path: Path) -> Data:
    return Data(tmp_path / "target")


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_has_the_words_headings_and_pictures_beside_it(
    source: Data, tmp_path: Path
) -> None:
    conversation = sample_conversation(source)
    conversation.switch_branch(conversation.messages[0].id, -1)  # show the first path
    out = tmp_path / "out" / "My garden.md"
    out.parent.mkdir()
    result = export_markdown(conversation, out, source.attachments)

    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Garden plans\n")
    assert "## **You**" in text and "## **Claude** (claude-opus-4-7)" in text
    assert "It has **leaf rust**.\n\n- remove the leaf\n- water less" in text
    assert "Looks like rust fungus" not in text  # thinking only when asked
    assert "> **System prompt**" in text and "> Answer briefly." in text
    picture = conversation.messages[0].content[0]["source"]["sha256"]
    assert f"![photo.png](My%20garden_files/{picture[:16]}.png)" in text
    document = sha(PDF)
    assert f"[report (final).pdf](My%20garden_files/{document[:16]}.pdf)" in text
    # A web picture is a link (opening the document fetches nothing), never embedded.
    assert "![" not in text.split("report (final).pdf")[1]
    assert "(https://example.com/a%20%281%29.png)" in text
    assert (out.parent / "My garden_files" / f"{picture[:16]}.png").read_bytes() == png()
    assert (out.parent / "My garden_files" / f"{document[:16]}.pdf").read_bytes() == PDF
    assert result.files_written == 2 and result.problems == []
    assert sorted(os.listdir(out.parent)) == ["My garden.md", "My garden_files"]


def test_markdown_thinking_is_quoted_when_asked_and_partial_replies_say_so(
    source: Data,
) -> None:
    conversation = sample_conversation(source)
    shown = conversation_to_markdown(conversation, "x_files", include_thinking=True).text
    assert "*(The reply failed: The API is overloaded.)*" in shown
    conversation.switch_branch(conversation.messages[0].id, -1)
    text = conversation_to_markdown(conversation, "x_files", include_thinking=True).text
    assert "> **Thinking**\n>\n> Looks like rust fungus." in text
    assert text.index("Looks like rust fungus") < text.index("leaf rust**")


def test_markdown_timestamps_are_readable_utc() -> None:
    conversation = Conversation(title="T", created_at="2026-11-25T04:31:54.950Z")
    message = conversation.add_user_message("hi")
    message.created_at = "2026-11-25T06:31:54+02:00"
    text = conversation_to_markdown(conversation, "T_files").text
    assert "Started 2026-11-25 04:31 UTC" in text
    assert "*2026-11-25 04:31 UTC*" in text


def test_markdown_lists_each_attachment_once_and_notes_a_missing_one(
    source: Data, tmp_path: Path
) -> None:
    picture = stored(source, png(), "image/png", ".png")
    missing = sha(b"gone")
    conversation = Conversation(title="Twice")
    conversation.add_user_message("a", [image_block(picture), image_block(missing, "gone.png")])
    conversation.add_user_message("b", [image_block(picture)])
    export = conversation_to_markdown(conversation, "Twice_files")
    assert [f.sha256 for f in export.files] == [picture, missing]
    result = export_markdown(conversation, tmp_path / "Twice.md", source.attachments)
    assert result.files_written == 1
    assert len(result.problems) == 1 and "missing" in result.problems[0]
    assert (tmp_path / "Twice.md").exists()


def test_markdown_escapes_link_text_from_file_names(source: Data) -> None:
    picture = stored(source, png(), "image/png", ".png")
    conversation = Conversation(title="Names")
    conversation.add_user_message("", [image_block(picture, "a](javascript:alert(1)).png")])
    text = conversation_to_markdown(conversation, "N_files").text
    assert "![a\\](javascript:alert(1)).png](N_files/" in text


# -- one conversation as JSON ---------------------------------------------------------------


def test_json_export_is_self_contained_and_imports_back_identically(
    source: Data, target: Data, tmp_path: Path
) -> None:
    conversation = sample_conversation(source)
    out = tmp_path / "garden.json"
    result = export_conversation_json(conversation, out, source.attachments)
    assert result.problems == [] and result.files_written == 3  # one of them in the branch

    text = out.read_text(encoding="utf-8")
    assert "cairn_attachment" not in text
    document = json.loads(text)
    assert document["schema"] == SCHEMA_VERSION and document["branches"]
    inlined = document["branches"][0]["messages"][0]["content"][0]
    assert base64.b64decode(inlined["source"]["data"]) == png()

    imported = import_conversation_json(out, target.attachments)
    assert imported.to_json(SCHEMA_VERSION) == conversation.to_json(SCHEMA_VERSION)
    for digest, raw in ((sha(png()), png()), (sha(PDF), PDF),
                        (sha(png((10, 200, 10))), png((10, 200, 10)))):
        assert target.attachments.load(digest) == raw


def test_json_export_keeps_a_missing_attachment_as_a_reference(
    source: Data, tmp_path: Path
) -> None:
    conversation = Conversation(title="Lost")
    conversation.add_user_message("see", [image_block(sha(b"nothing"), "lost.png")])
    result = export_conversation_json(conversation, tmp_path / "lost.json", source.attachments)
    assert len(result.problems) == 1 and "lost.png" in result.problems[0]
    assert "cairn_attachment" in (tmp_path / "lost.json").read_text()


def test_importing_a_conversation_file_never_overwrites(
    source: Data, target: Data, tmp_path: Path
) -> None:
    conversation = sample_conversation(source)
    out = tmp_path / "c.json"
    export_conversation_json(conversation, out, source.attachments)

    first = import_conversation_file(out, target.history, target.attachments)
    assert (first.added, first.skipped, first.renamed) == (1, 0, 0)
    assert first.written_ids == [conversation.id]
    again = import_conversation_file(out, target.history, target.attachments)
    assert (again.added, again.skipped, again.renamed) == (0, 1, 0)

    # The local copy goes on; importing the old export adds it beside it, once.
    local = target.history.load(conversation.id)
    local.add_user_message("a local follow-up")
    target.history.save(local)
    before = conversation_file(target, conversation.id)
    renamed = import_conversation_file(out, target.history, target.attachments)
    assert (renamed.added, renamed.skipped, renamed.renamed) == (0, 0, 1)
    assert conversation_file(target, conversation.id) == before
    copy = target.history.load(renamed.written_ids[0])
    assert copy.title == "Garden plans" + IMPORTED_SUFFIX
    assert [m.to_json() for m in copy.all_messages()] == [
        m.to_json() for m in conversation.all_messages()
    ]
    repeat = import_conversation_file(out, target.history, target.attachments)
    assert (repeat.added, repeat.skipped, repeat.renamed) == (0, 1, 0)
    assert len(list(target.paths.conversations_dir.glob("*.json"))) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe not text", "not JSON"),
        (b"[1, 2, 3]", "not a Cairn conversation"),
        (b'{"schema": 99, "id": "conv_x", "messages": []}', "newer version"),
        (b'{"schema": 1, "id": "../../etc/passwd", "messages": []}', "invalid conversation id"),
        (b'{"schema": 1, "id": "conv_x", "messages": [{"role": "robot"}]}', "not a Cairn"),
    ],
)
def test_a_file_that_is_not_a_conversation_is_refused_in_one_sentence(
    target: Data, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match=words):
        import_conversation_json(path, target.attachments)
    assert target.files() == {}


def test_a_damaged_inlined_attachment_refuses_the_file_and_stores_nothing(
    target: Data, tmp_path: Path
) -> None:
    good = base64.b64encode(png()).decode()
    document = Conversation(id="conv_a", title="x").to_json(SCHEMA_VERSION)
    document["messages"] = [{"id": "msg_1", "role": "user", "created_at": "2026-01-01T00:00:00Z",
                             "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": good}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "!!"}},
    ]}]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ImportFormatError, match="damaged"):
        import_conversation_json(path, target.attachments)
    assert target.files() == {}


def test_a_missing_file_is_an_import_error(target: Data, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="could not be read"):
        import_conversation_json(tmp_path / "nope.json", target.attachments)


# -- the whole data folder as an archive ----------------------------------------------------


def make_source_data(data: Data, count: int = 3) -> list[Conversation]:
    conversations = [sample_conversation(data)]
    for index in range(count - 1):
        conversation = Conversation(title=f"Plain {index}")
        conversation.add_user_message(f"question {index}")
        conversations.append(conversation)
    for conversation in conversations:
        data.history.save(conversation)
    data.paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    data.paths.settings_file.write_text('{"schema": 1, "theme": "dark"}')
    return conversations


def test_archive_round_trip_into_an_empty_folder_gives_identical_files(
    source: Data, target: Data, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    KeyStore(environ={}).save(KEY)
    conversations = make_source_data(source)
    zip_path = tmp_path / "backup.zip"
    exported = export_archive(zip_path, source.history, source.attachments,
                              source.paths.settings_file)
    assert (exported.conversations, exported.attachments, exported.problems) == (3, 3, [])

    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        assert {MANIFEST_NAME, "settings.json"} <= names
        assert all(KEY.encode() not in archive.read(name) for name in names)
        manifest = json.loads(archive.read(MANIFEST_NAME))
    assert manifest["format"] == "cairn-archive" and manifest["conversations"] == 3

    result = import_archive(zip_path, target.history, target.attachments)
    assert (result.added, result.skipped, result.renamed) == (3, 0, 0)
    assert result.attachments_added == 3 and result.problems == []
    assert sorted(result.written_ids) == sorted(c.id for c in conversations)
    assert target.files() == source.files()
    assert not target.paths.settings_file.exists()  # settings are never imported
    assert "3 conversations added" in result.summary()


def test_archive_import_merges_without_overwriting(
    source: Data, target: Data, tmp_path: Path
) -> None:
    conversations = make_source_data(source)
    zip_path = tmp_path / "backup.zip"
    export_archive(zip_path, source.history, source.attachments)

    same = Conversation.from_json(conversations[1].to_json(SCHEMA_VERSION))
    target.history.save(same)
    changed = Conversation.from_json(conversations[2].to_json(SCHEMA_VERSION))
    changed.add_user_message("changed here")
    target.history.save(changed)
    local_only = Conversation(title="Only here")
    local_only.add_user_message("mine")
    target.history.save(local_only)
    before = target.files()

    result = import_archive(zip_path, target.history, target.attachments)
    assert (result.added, result.skipped, result.renamed) == (1, 1, 1)
    after = target.files()
    assert all(after[name] == content for name, content in before.items())
    titles = sorted(c.title for c in target.history.load_all().conversations)
    assert titles == sorted(["Garden plans", "Plain 0", "Plain 1", "Plain 1" + IMPORTED_SUFFIX,
                             "Only here"])

    again = import_archive(zip_path, target.history, target.attachments)
    assert (again.added, again.skipped, again.renamed, again.attachments_added) == (0, 3, 0, 0)
    assert target.files() == after


def test_an_unreadable_local_file_is_never_overwritten(target: Data) -> None:
    conversation = Conversation(title="Mine")
    conversation.add_user_message("hello")
    path = target.history.path_for(conversation.id)
    path.write_bytes(b"{ broken")
    result = merge_conversations([conversation], target.history)
    assert result.renamed == 1 and path.read_bytes() == b"{ broken"


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def conversation_entry(title: str = "Fine") -> tuple[str, bytes]:
    conversation = Conversation(title=title)
    conversation.add_user_message("ok")
    return (f"conversations/{conversation.id}.json",
            json.dumps(conversation.to_json(SCHEMA_VERSION)).encode())


def outside_snapshot(root: Path, inside: Path) -> set[str]:
    root, inside = root.resolve(), inside.resolve()
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if inside not in p.parents and p != inside}


def test_hostile_archive_entries_are_refused_one_by_one(target: Data, tmp_path: Path) -> None:
    name, good = conversation_entry()
    evil = json.dumps({"schema": 1, "id": "conv_evil", "messages": []}).encode()
    picture = png()
    digest = sha(picture)
    zip_path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(MANIFEST_NAME, "{}")
        archive.writestr(name, good)
        archive.writestr("../evil.json", evil)
        archive.writestr("/abs/evil.json", evil)
        archive.writestr("conversations/../../evil.json", evil)
        archive.writestr("attachments/ab/../../../evil.png", picture)
        archive.writestr("C:/evil.json", evil)
        link = zipfile.ZipInfo(f"attachments/{digest[:2]}/{digest}.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("conversations/bad.json", b"{ not json")
        archive.writestr("conversations/list.json", b"[]")
        archive.writestr(f"attachments/00/{'0' * 64}.png", picture)  # wrong checksum
        archive.writestr("attachments/00/readme.txt", b"hello")
        archive.writestr("notes.txt", b"?")
    before = outside_snapshot(tmp_path, target.paths.data_dir)

    result = import_archive(zip_path, target.history, target.attachments)
    assert (result.added, result.attachments_added) == (1, 0)
    assert outside_snapshot(tmp_path, target.paths.data_dir) == before
    assert list(target.files()) == [name]
    joined = " ".join(result.problems)
    assert joined.count("unsafe name") == 5
    assert "is a link" in joined and "not valid JSON" in joined
    assert "not a Cairn conversation" in joined and "checksum" in joined
    assert result.problem_count == len(result.problems) == 11


def test_a_zip_bomb_is_refused_by_its_declared_size(target: Data, tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "bomb.zip", {
        MANIFEST_NAME: b"{}", "conversations/conv_big.json": b"0" * 5_000_000,
    })
    assert zip_path.stat().st_size < 50_000
    with pytest.raises(ImportFormatError, match="refused as a zip bomb"):
        import_archive(zip_path, target.history, target.attachments)
    assert target.files() == {}


def test_an_archive_larger_than_the_limit_is_refused(
    target: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, good = conversation_entry()
    zip_path = write_zip(tmp_path / "big.zip", {MANIFEST_NAME: b"{}", name: good})
    monkeypatch.setattr(archive_module, "MAX_ARCHIVE_BYTES", 100)
    with pytest.raises(ImportFormatError, match="would unpack to more than"):
        import_archive(zip_path, target.history, target.attachments)
    assert target.files() == {}


def test_an_entry_larger_than_it_may_be_is_skipped(
    target: Data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, good = conversation_entry()
    zip_path = write_zip(tmp_path / "big.zip", {
        MANIFEST_NAME: b"{}", name: good, "conversations/conv_big.json": b" " * 100_000,
    })
    monkeypatch.setattr(archive_module, "MAX_CONVERSATION_BYTES", 50_000)
    result = import_archive(zip_path, target.history, target.attachments)
    assert result.added == 1 and "too large" in result.problems[0]
    assert "Cairn imports conversations of up to 49 KB" in result.problems[0]


def test_a_corrupt_entry_is_reported_and_the_rest_imported(target: Data, tmp_path: Path) -> None:
    name, good = conversation_entry()
    other_name, other = conversation_entry("Second")
    zip_path = write_zip(tmp_path / "c.zip", {MANIFEST_NAME: b"{}", name: good, other_name: other})
    raw = bytearray(zip_path.read_bytes())
    with zipfile.ZipFile(zip_path) as archive:
        info = archive.getinfo(name)
    offset = info.header_offset + 30 + len(info.filename.encode()) + 5  # into its deflated data
    raw[offset:offset + 20] = b"\xff" * 20
    zip_path.write_bytes(bytes(raw))
    result = import_archive(zip_path, target.history, target.attachments)
    assert result.added == 1 and "damaged" in result.problems[0]


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage"])
def test_a_file_that_is_not_a_zip_is_refused(
    target: Data, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match="not a readable .zip"):
        import_archive(path, target.history, target.attachments)


def test_a_claude_export_given_as_an_archive_says_what_it_is(
    target: Data, tmp_path: Path
) -> None:
    zip_path = write_zip(tmp_path / "claude.zip",
                         {"data-2025/conversations.json": CLAUDE_EXPORT.read_bytes()})
    with pytest.raises(ImportFormatError, match="claude.ai export"):
        import_archive(zip_path, target.history, target.attachments)


def test_export_skips_links_and_stray_files(source: Data, tmp_path: Path) -> None:
    make_source_data(source, count=1)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (source.paths.conversations_dir / "conv_link.json").symlink_to(secret)
    (source.paths.conversations_dir / "conv_old.json.unreadable-20260101T000000").write_text("x")
    zip_path = tmp_path / "out.zip"
    result = export_archive(zip_path, source.history, source.attachments)
    with zipfile.ZipFile(zip_path) as archive:
        assert all(b"private" not in archive.read(n) for n in archive.namelist())
        assert not any("unreadable" in n or "conv_link" in n for n in archive.namelist())
    assert result.conversations == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.zip")] == []


# -- claude.ai ------------------------------------------------------------------------------


def test_claude_export_sample_becomes_cairn_conversations() -> None:
    parsed = parse_claude_export(CLAUDE_EXPORT.read_bytes())
    assert len(parsed.conversations) == 3
    assert parsed.problems == ["“Empty chat” has no messages and was skipped."]
    starter, rust, untitled = parsed.conversations

    assert starter.id == "conv_0f8e4c7a1b2d4e3f9a8b7c6d5e4f3a21"
    assert starter.title == "Sourdough starter troubleshooting"
    assert (starter.created_at, starter.updated_at) == (
        "2024-11-02T09:14:03.512Z", "2024-11-02T09:20:41.006Z")
    assert starter.extra["imported_from"] == {
        "app": "claude.ai", "uuid": "0f8e4c7a-1b2d-4e3f-9a8b-7c6d5e4f3a21"}
    question, answer = starter.messages
    assert question.role == "user" and answer.role == "assistant"
    assert question.id == "msg_a1b2c3d4000140008000000000000001"
    assert question.content[0]["text"].startswith("[Attached file: feeding-log.txt]\n\nMon: 50g")
    assert question.content[1]["text"] == "[File not included in the claude.ai export: jar.jpg]"
    assert question.content[2] == {
        "type": "text", "text": "My starter smells like nail polish remover. Is it dead?"}
    assert answer.text.startswith("Not dead, just hungry.")
    assert answer.state is ReplyState.COMPLETE

    reply = rust.messages[1]
    kinds = [block["type"] for block in reply.content]
    assert kinds == ["thinking", "text", "text", "text"]
    assert reply.content[0] == {
        "type": "thinking", "thinking": "The user wants recent release notes; I should search."}
    assert reply.content[1]["text"].startswith("[Tool call on claude.ai: web_search {\"query\"")
    assert "Announcing" not in reply.content[2]["text"]
    assert reply.content[2]["text"].startswith(
        "[Tool result on claude.ai from web_search: The Rust")
    assert reply.content[3] == {
        "type": "text", "text": "Rust 1.85 stabilised the **2024 edition**."}
    api = rust.api_messages()
    assert [m["role"] for m in api] == ["user", "assistant"]
    assert all(b["type"] == "text" for b in api[1]["content"])  # unsigned thinking is not sent

    assert untitled.title == "Translate 'good morning' into Finnish."
    assert untitled.created_at == "2023-07-21T05:45:10.123Z"
    assert untitled.messages[0].created_at == "2023-07-21T05:45:10.200Z"
    assert untitled.messages[1].text == "Hyvää huomenta."


def test_claude_conversations_round_trip_through_history(target: Data) -> None:
    parsed = parse_claude_export(CLAUDE_EXPORT.read_bytes())
    for conversation in parsed.conversations:
        target.history.save(conversation)
        loaded = target.history.load(conversation.id)
        assert loaded.to_json(SCHEMA_VERSION) == conversation.to_json(SCHEMA_VERSION)
        text = conversation_to_markdown(loaded, "x_files").text
        assert loaded.title in text


def test_claude_export_zip_imports_and_a_second_import_adds_nothing(
    target: Data, tmp_path: Path
) -> None:
    zip_path = write_zip(tmp_path / "data-2025-03-11-10-00-00-batch-0000.zip", {
        "users.json": b"[]",
        "projects.json": b"[]",
        "__MACOSX/conversations.json": b"junk",
        "data-2025-03-11/conversations.json": CLAUDE_EXPORT.read_bytes(),
    })
    first = import_claude_export(zip_path, target.history)
    assert (first.added, first.skipped, first.renamed) == (3, 0, 0)
    assert first.problems == ["“Empty chat” has no messages and was skipped."]
    files = target.files()
    second = import_claude_export(zip_path, target.history)
    assert (second.added, second.skipped, second.renamed) == (0, 3, 0)
    assert target.files() == files
    # The JSON file on its own works as well.
    assert len(read_claude_export(CLAUDE_EXPORT).conversations) == 3


def test_claude_branches_follow_the_current_leaf() -> None:
    def message(uuid: str, parent: str, sender: str, text: str) -> dict[str, Any]:
        return {"uuid": uuid, "parent_message_uuid": parent, "sender": sender, "text": text}

    root = "00000000-0000-4000-8000-000000000000"
    ids = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)]
    export = [{
        "uuid": "11111111-1111-4111-8111-111111111111", "name": "Edited",
        "current_leaf_message_uuid": ids[4],
        "chat_messages": [
            message(ids[0], root, "human", "first try"),
            message(ids[1], ids[0], "assistant", "answer to first"),
            message(ids[2], root, "human", "second try"),
            message(ids[3], ids[2], "assistant", "answer to second"),
            message(ids[4], ids[3], "human", "follow-up"),
        ],
    }]
    (conversation,) = claude_export_from_json(export).conversations
    assert [m.text for m in conversation.messages] == [
        "second try", "answer to second", "follow-up"]
    assert conversation.created_at == conversation.updated_at == "1970-01-01T00:00:00.000Z"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x89PNG\r\n",
        b'{"schema": 1, "id": "conv_x", "messages": []}',
        b'[{"messages": []}, 3]',
        b'"a string"',
        b"[" * 100_000,
    ],
)
def test_something_that_is_not_a_claude_export_is_refused(content: bytes) -> None:
    with pytest.raises(ImportFormatError, match="not a claude.ai export"):
        parse_claude_export(content)


def test_claude_zip_without_conversations_is_refused(tmp_path: Path) -> None:
    zip_path = write_zip(tmp_path / "other.zip", {"users.json": b"[]"})
    with pytest.raises(ImportFormatError, match="no conversations.json"):
        read_claude_export(zip_path)


def test_claude_ids_are_stable_and_tolerate_odd_uuids() -> None:
    assert conversation_id_for("0F8E4C7A-1B2D-4E3F-9A8B-7C6D5E4F3A21") == (
        "conv_0f8e4c7a1b2d4e3f9a8b7c6d5e4f3a21")
    odd = [{"uuid": "not-a-uuid", "name": "x", "chat_messages": [
        {"sender": "human", "text": "hi", "uuid": 5},
        {"sender": "human", "text": "hi again", "uuid": 5},
        {"sender": "system", "text": "ignored"},
        {"sender": "assistant", "text": "   "},
    ]}]
    first = claude_export_from_json(odd).conversations[0]
    second = claude_export_from_json(json.loads(json.dumps(odd))).conversations[0]
    assert first.to_json(SCHEMA_VERSION) == second.to_json(SCHEMA_VERSION)
    assert first.id.startswith("conv_") and len(first.id) == 37
    assert [m.text for m in first.messages] == ["hi", "hi again"]
    assert len({m.id for m in first.messages}) == 2
