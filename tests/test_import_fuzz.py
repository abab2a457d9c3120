"""Importers given anything at all: they return a result or raise ImportFormatError, and they
never write outside the data folder. Valid conversations survive every export exactly."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.claude_import import (
    ClaudeImport,
    ImportFormatError,
    claude_export_from_json,
    parse_claude_export,
)
from desktop_app.core.conversation import Conversation, ReplyState
from desktop_app.storage.archive import MANIFEST_NAME, export_archive, import_archive
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.conversation_export import (
    export_conversation_json,
    import_conversation_json,
)
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(
    max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
# Values shaped roughly like claude.ai's export, so the fuzzing reaches past the first check.
loose = json_values | st.sampled_from(["human", "assistant", "text", "thinking", "tool_use",
                                       "tool_result", "2024-01-01T00:00:00Z", "not a date"])
claude_block = st.fixed_dictionaries(
    {}, optional={"type": st.sampled_from(["text", "thinking", "tool_use", "tool_result",
                                           "image", "x"]) | loose,
                  "text": loose, "thinking": loose, "name": loose, "input": loose,
                  "content": st.lists(st.dictionaries(st.sampled_from(["text", "type"]), loose,
                                                      max_size=2), max_size=2) | loose,
                  "summaries": st.lists(st.dictionaries(st.just("summary"), loose), max_size=2),
                  "is_error": loose})
claude_message = st.fixed_dictionaries(
    {}, optional={"uuid": st.uuids().map(str) | loose,
                  "sender": st.sampled_from(["human", "assistant", "user", "system"]) | loose,
                  "text": loose, "content": st.lists(claude_block, max_size=4) | loose,
                  "created_at": loose,
                  "attachments": st.lists(st.dictionaries(
                      st.sampled_from(["file_name", "extracted_content"]), loose), max_size=2),
                  "files": st.lists(st.dictionaries(st.just("file_name"), loose), max_size=2),
                  "parent_message_uuid": loose})
claude_conversation = st.fixed_dictionaries(
    {"chat_messages": st.lists(claude_message, max_size=5)},
    optional={"uuid": st.uuids().map(str) | loose, "name": loose, "created_at": loose,
              "updated_at": loose, "current_leaf_message_uuid": loose})


def check_claude_result(result: ClaudeImport) -> None:
    for conversation in result.conversations:
        document = conversation.to_json(SCHEMA_VERSION)
        json.dumps(document)  # it can be saved
        assert Conversation.from_json(json.loads(json.dumps(document))).to_json(
            SCHEMA_VERSION) == json.loads(json.dumps(document))
        conversation.api_messages()
    assert all(isinstance(p, str) and p for p in result.problems)


@FUZZ
@given(st.binary(max_size=300))
def test_claude_importer_survives_arbitrary_bytes(data: bytes) -> None:
    try:
        check_claude_result(parse_claude_export(data))
    except ImportFormatError as exc:
        assert str(exc).endswith(".")


@FUZZ
@given(json_values | st.lists(claude_conversation | json_values, max_size=3))
def test_claude_importer_survives_arbitrary_json(data: Any) -> None:
    try:
        check_claude_result(claude_export_from_json(data))
    except ImportFormatError:
        pass


@FUZZ
@given(st.lists(claude_conversation, min_size=1, max_size=3))
def test_claude_shaped_exports_always_import(data: list[Any]) -> None:
    result = claude_export_from_json(data)
    check_claude_result(result)
    assert len(result.conversations) + len(result.problems) >= len(data)
    again = claude_export_from_json(json.loads(json.dumps(data)))
    assert [c.to_json(SCHEMA_VERSION) for c in again.conversations] == [
        c.to_json(SCHEMA_VERSION) for c in result.conversations]  # ids are stable


class Sandbox:
    """A temporary folder with a data folder inside it, and a check that nothing else in the
    folder changed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.data = self.root / "data"
        self.history = HistoryStore(self.data / "conversations")
        self.attachments = AttachmentStore(self.data / "attachments")
        self.input = self.root / "input"
        self.input.mkdir()

    def outside(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.root).as_posix(): (p.read_bytes() if p.is_file() else b"")
            for p in self.root.rglob("*") if self.data not in p.parents and p != self.data
        }


@FUZZ
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_conversation_importer_survives_anything(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        box = Sandbox(Path(folder))
        path = box.input / "in.json"
        path.write_bytes(data)
        before = box.outside()
        try:
            import_conversation_json(path, box.attachments)
        except ImportFormatError:
            pass
        assert box.outside() == before


safe_names = st.sampled_from([
    MANIFEST_NAME, "settings.json", "conversations/conv_a.json", "attachments/ab/x.png",
    "../x", "/etc/x", "conversations/../../x.json", "attachments/../../../x",
    f"attachments/{'a' * 2}/{'a' * 64}.png", "a\\..\\b", "C:/x",
])
entry_names = safe_names | st.text(max_size=30).filter(lambda n: n and "\x00" not in n)
entry_bodies = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode())


@FUZZ
@given(st.binary(max_size=300)
       | st.lists(st.tuples(entry_names, entry_bodies, st.booleans()), max_size=6))
def test_archive_importer_survives_anything(content: bytes | list[tuple[str, bytes, bool]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        box = Sandbox(Path(folder))
        path = box.input / "in.zip"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for name, body, as_link in content:
                    info = zipfile.ZipInfo(name)
                    if as_link:
                        info.external_attr = 0o120777 << 16
                    if name not in archive.namelist():
                        archive.writestr(info, body)
            path.write_bytes(buffer.getvalue())
        before = box.outside()
        try:
            result = import_archive(path, box.history, box.attachments)
        except ImportFormatError:
            pass
        else:
            assert result.problem_count >= len(result.problems)
            for sha_path in box.attachments.directory.rglob("*.*"):
                assert hashlib.sha256(sha_path.read_bytes()).hexdigest() == sha_path.name[:64]
        assert box.outside() == before


# -- valid conversations round trip ---------------------------------------------------------

texts = st.text(max_size=30)
pictures = st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=3)


@st.composite
def conversations(draw: Any) -> tuple[Conversation, list[bytes]]:
    conversation = Conversation(title=draw(texts) or "t", system_prompt=draw(texts),
                                extra=draw(st.dictionaries(
                                    st.text(min_size=1, max_size=6).map(lambda k: "x_" + k),
                                    json_scalars, max_size=2)))
    images = draw(pictures)
    for turn in range(draw(st.integers(min_value=1, max_value=4))):
        picture = draw(st.sampled_from(images))
        blocks = [{
            "type": "image",
            "source": {"type": "cairn_attachment",
                       "sha256": hashlib.sha256(picture).hexdigest(), "media_type": "image/png"},
            "cairn": {"name": draw(texts), "width": 1, "height": 1, "bytes": len(picture)},
        }] if draw(st.booleans()) else []
        conversation.add_user_message(draw(texts.filter(str.strip)) if not blocks else draw(texts),
                                      blocks)
        reply = conversation.start_reply(draw(st.sampled_from(["claude-opus-4-7", "m"])))
        reply.content = [{"type": "text", "text": draw(texts)}]
        reply.state = draw(st.sampled_from(list(ReplyState)))
        if turn == 1 and draw(st.booleans()):
            conversation.fork_at(conversation.messages[0].id)
            conversation.add_user_message("again")
    return conversation, images


@settings(max_examples=40, deadline=None)
@given(conversations())
def test_valid_conversations_round_trip_through_json_and_archive(
    generated: tuple[Conversation, list[bytes]],
) -> None:
    conversation, images = generated
    expected = json.loads(json.dumps(conversation.to_json(SCHEMA_VERSION)))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "a").mkdir()
        (root / "b").mkdir()
        (root / "c").mkdir()
        origin = Sandbox(root / "a")
        for picture in images:
            origin.attachments.put(picture, hashlib.sha256(picture).hexdigest(), ".png")
        origin.history.save(conversation)

        export_conversation_json(conversation, root / "one.json", origin.attachments)
        second = Sandbox(root / "b")
        imported = import_conversation_json(root / "one.json", second.attachments)
        assert imported.to_json(SCHEMA_VERSION) == expected

        export_archive(root / "all.zip", origin.history, origin.attachments)
        third = Sandbox(root / "c")
        result = import_archive(root / "all.zip", third.history, third.attachments)
        assert (result.added, result.problems) == (1, [])
        assert third.history.load(conversation.id).to_json(SCHEMA_VERSION) == expected
        for picture in images:
            assert third.attachments.load(hashlib.sha256(picture).hexdigest()) == picture
