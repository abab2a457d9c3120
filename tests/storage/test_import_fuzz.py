"""Importers given anything at all: they return a result or raise ImportFormatError, and they
never write outside the data folder. Valid conversations survive every export exactly. Zip
bombs and archives that lie are never unpacked far; structurally valid JSON of the wrong shape
never leaves a file that start-up cannot read."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.claude_import import (
    ClaudeImport,
    ImportFormatError,
    claude_export_from_json,
    iter_claude_export,
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
from desktop_app.storage.import_file import import_any
from desktop_app.storage.safe_zip import SafeZip
from tests.helpers.zip_forge import ForgedEntry, bomb, entry, forge_zip, stored

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


# -- hostile archives: bombs and entries that lie about their size ---------------------------

MB = 1024**2
CONVERSATION_DOCUMENT = json.dumps(Conversation(
    id="conv_fuzz", title="t", created_at="2024-01-01T00:00:00.000Z",
    updated_at="2024-01-01T00:00:00.000Z").to_json(SCHEMA_VERSION)).encode()


@st.composite
def forged_entries(draw: Any) -> list[ForgedEntry]:
    """Entries of a .zip with headers that may lie: bombs of up to 4 GB built from a few
    kilobytes, sizes and checksums that do not match, entries that share their data."""
    entries: list[ForgedEntry] = []
    for index in range(draw(st.integers(min_value=1, max_value=5))):
        name = draw(st.sampled_from([
            MANIFEST_NAME, "conversations/conv_fuzz.json", "conversations/conv_b.json",
            f"attachments/ab/{'ab' * 32}.png", "conversations.json", "data/conversations.json",
        ]))
        kind = draw(st.sampled_from(["bomb", "conversation", "bytes", "stored"]))
        if kind == "bomb":
            forged = bomb(name, CONVERSATION_DOCUMENT[:-1], b" " * MB,
                          draw(st.integers(min_value=1, max_value=3)
                               | st.integers(min_value=1, max_value=4000)), b"}")
        elif kind == "conversation":
            forged = entry(name, [CONVERSATION_DOCUMENT])
        elif kind == "bytes":
            forged = entry(name, [draw(st.binary(max_size=200))])
        else:
            forged = stored(name, draw(st.binary(max_size=200)))
        lie = draw(st.sampled_from(["none", "none", "file_size", "compress_size", "crc",
                                    "shared"]))
        if lie == "file_size":
            forged.file_size = draw(st.sampled_from([0, 1, 1000, forged.true_size // 2,
                                                     forged.true_size + 1, 2**32 - 1]))
        elif lie == "compress_size":
            forged.compress_size = draw(st.integers(min_value=0, max_value=len(forged.data) * 2))
        elif lie == "crc":
            forged.crc = draw(st.integers(min_value=0, max_value=2**32 - 1))
        elif lie == "shared" and index:
            forged.same_data_as = draw(st.integers(min_value=0, max_value=index - 1))
        entries.append(forged)
    return entries


@settings(max_examples=150, deadline=5000,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(forged_entries(), st.sampled_from([b"", b"\0" * 4096]))
def test_zip_bombs_and_lying_entries_are_never_unpacked_far(
    entries: list[ForgedEntry], padding: bytes
) -> None:
    """Whatever the headers claim, an importer inflates no more than the archive may hold
    (declared sizes, at most 100 times the file) plus one piece, writes nothing outside the
    data folder and next to nothing inside it, and ends in a result or one sentence."""
    inflated: list[tuple[int, int]] = []
    real_close = SafeZip.close

    def recording_close(self: SafeZip) -> None:
        inflated.append((self.inflated, min(self.total_limit, sum(
            max(0, info.file_size) for info in self.entries))))
        real_close(self)

    with tempfile.TemporaryDirectory() as folder, \
            mock.patch.object(SafeZip, "close", recording_close):
        box = Sandbox(Path(folder))
        path = forge_zip(box.input / "in.zip", entries, padding)
        before = box.outside()
        try:
            result = import_any(path, box.history, box.attachments)
        except ImportFormatError as exc:
            assert str(exc).endswith(".")
        else:
            assert result.problem_count >= len(result.problems)
        assert box.outside() == before
        written = sum(p.stat().st_size for p in box.data.rglob("*") if p.is_file())
        assert written < MB
    for count, allowed in inflated:
        assert count <= allowed + 256 * 1024


# -- structurally valid JSON with wrong types and missing keys, for every importer -----------


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every object and list in a JSON document (the root is ())."""
    found = [path] if isinstance(value, dict | list) else []
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else [])
    for key, child in items:
        found.extend(_containers(child, (*path, key)))
    return found


@st.composite
def mutated(draw: Any, document: Any) -> Any:
    """``document`` with one to four changes anywhere inside it: a value of another type,
    a key or item taken out, an odd key or item added."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _containers(document)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        node = document
        for key in path:
            node = node[key]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "add" or not keys:
            if isinstance(node, dict):
                node[draw(st.sampled_from(["id", "type", "text", "source", "role", "x"]))] = (
                    draw(json_values))
            else:
                node.append(draw(json_values))
            continue
        key = draw(st.sampled_from(keys))
        if action == "remove":
            del node[key]
        else:
            node[key] = draw(json_values | st.sampled_from(["", "text", "image", "user", []]))
    return document


def _sample_cairn_document() -> dict[str, Any]:
    picture = b"\x89PNG fuzz"
    conversation = Conversation(id="conv_sample", title="Sample", system_prompt="Be brief.",
                                extra={"x_future": [1]})
    conversation.add_user_message("Look", [{
        "type": "image",
        "source": {"type": "cairn_attachment", "sha256": hashlib.sha256(picture).hexdigest(),
                   "media_type": "image/png"},
        "cairn": {"name": "a.png", "width": 1, "height": 1, "bytes": len(picture)},
    }])
    reply = conversation.start_reply("claude-opus-4-7")
    reply.content = [{"type": "thinking", "thinking": "hm", "signature": "s"},
                     {"type": "text", "text": "A picture."}]
    reply.usage = {"input_tokens": 3, "output_tokens": 4}
    conversation.fork_at(conversation.messages[0].id)
    conversation.add_user_message("again")
    return json.loads(json.dumps(conversation.to_json(SCHEMA_VERSION)))


CAIRN_DOCUMENT = _sample_cairn_document()
CLAUDE_DOCUMENT = json.loads(
    (Path(__file__).parents[1] / "data" / "claude_export" / "conversations.json").read_text())


def _check_history_starts(box: Sandbox) -> None:
    """What start-up does with the folder: every file written loads and is summarised, and
    nothing is set aside."""
    scan = box.history.scan()
    assert scan.problems == []
    for summary in scan.summaries:
        box.history.load(summary.id)


def _import_refused_in_words_or_done(box: Sandbox, path: Path) -> None:
    """Importing ``path`` is either refused with a sentence or done (with each problem said),
    and the history it leaves still starts cleanly."""
    try:
        result = import_any(path, box.history, box.attachments)
    except ImportFormatError as exc:
        assert str(exc).endswith(".")
    else:
        assert all(isinstance(p, str) and p for p in result.problems)
    _check_history_starts(box)


STRUCTURE_FUZZ = settings(max_examples=150, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])


@STRUCTURE_FUZZ
@given(mutated(CAIRN_DOCUMENT), st.sampled_from(["json", "archive"]))
def test_cairn_importers_refuse_or_import_wrong_structures(document: Any, kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        box = Sandbox(Path(folder))
        body = json.dumps(document).encode()
        if kind == "json":
            path = box.input / "in.json"
            path.write_bytes(body)
        else:
            path = box.input / "in.zip"
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr(MANIFEST_NAME, "{}")
                archive.writestr("conversations/conv_sample.json", body)
        _import_refused_in_words_or_done(box, path)


@STRUCTURE_FUZZ
@given(mutated(CLAUDE_DOCUMENT), st.booleans())
def test_the_claude_importer_refuses_or_imports_wrong_structures(
    document: Any, zipped: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        box = Sandbox(Path(folder))
        body = json.dumps(document).encode()
        path = box.input / ("export.zip" if zipped else "conversations.json")
        if zipped:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("data-1/conversations.json", body)
        else:
            path.write_bytes(body)
        _import_refused_in_words_or_done(box, path)


@FUZZ
@given(st.lists(st.binary(min_size=1, max_size=7), max_size=40),
       st.lists(claude_conversation, max_size=3))
def test_the_claude_export_parses_the_same_in_any_pieces(
    cuts: list[bytes], conversations: list[Any]
) -> None:
    """Read a piece at a time, cut anywhere (inside a string, an escape, a number, a UTF-8
    character), the export gives what it gives read whole."""
    text = json.dumps(conversations, ensure_ascii=False).encode()
    sizes = [len(c) for c in cuts] or [len(text) or 1]
    pieces, at = [], 0
    while at < len(text):
        size = sizes[len(pieces) % len(sizes)]
        pieces.append(text[at:at + size])
        at += size

    def parse(chunks: list[bytes]) -> Any:
        try:
            return [c.to_json(SCHEMA_VERSION) if isinstance(c, Conversation) else c
                    for c in iter_claude_export(chunks)]
        except ImportFormatError as exc:
            return str(exc)

    assert parse(pieces) == parse([text])
