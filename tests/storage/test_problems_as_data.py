"""Storage says what went wrong as data the window words in the user's language: a history
file that could not be loaded (storage/load_problems.py), what an export left out
(storage/export_problems.py), an OS error inside either (core/os_error_reason.py). The English
sentences stay the ones Cairn always wrote."""

from __future__ import annotations

import copy
import errno
import json
import os
import pickle
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.conversation import Conversation
from desktop_app.core.history_format_problems import FormatProblem, FormatProblemKind
from desktop_app.core.import_problems import ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage import archive as archive_module
from desktop_app.storage.archive import export_archive
from desktop_app.storage.attachment_store import AttachmentStore
from desktop_app.storage.conversation_export import (
    export_conversation_json,
    export_markdown,
    import_conversation_json,
)
from desktop_app.storage.export_problems import ExportProblem, ExportProblemKind
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore
from desktop_app.storage.load_problems import LoadProblemKind
from desktop_app.storage.paths import AppPaths

L = LoadProblemKind


def conversation(conversation_id: str = "conv_ok") -> Conversation:
    result = Conversation(id=conversation_id, title="T")
    result.add_user_message("hello")
    return result


def document(conversation_id: str = "conv_ok") -> dict:
    return conversation(conversation_id).to_json(SCHEMA_VERSION)


def store_with(tmp_path: Path, files: dict[str, bytes]) -> HistoryStore:
    store = HistoryStore(tmp_path / "conversations")
    store.directory.mkdir(parents=True)
    for name, content in files.items():
        (store.directory / name).write_bytes(content)
    return store


def one_problem(store: HistoryStore):
    (problem,) = store.scan().problems
    return problem


# -- a history file that could not be loaded ---------------------------------------------------

def test_a_file_that_is_not_json_says_where_as_numbers(tmp_path: Path) -> None:
    problem = one_problem(store_with(tmp_path, {"conv_a.json": b'{\n  "id": nope}'}))
    assert (problem.kind, dict(problem.facts)) == (L.NOT_JSON, {"line": 2, "column": 9})
    assert problem.reason == "not valid JSON (line 2, column 9)"
    assert problem.moved_to is not None
    assert problem.describe() == (f"conv_a.json: not valid JSON (line 2, column 9). "
                                  f"It was moved to {problem.moved_to.name}.")


def test_a_file_off_the_format_carries_what_the_check_found(tmp_path: Path) -> None:
    bad = document("conv_b")
    bad["messages"][0]["role"] = "robot"
    problem = one_problem(store_with(tmp_path, {"conv_b.json": json.dumps(bad).encode()}))
    assert problem.kind is L.NOT_HISTORY_FORMAT
    found = problem.format_problem
    assert isinstance(found, FormatProblem) and found.kind is FormatProblemKind.NOT_ALLOWED
    assert found.path == "messages[0].role"
    assert problem.reason == ("not in Cairn's history format: messages[0].role must be "
                              '"user" or "assistant", not "robot"')


@pytest.mark.parametrize(("content", "kind", "facts", "reason"), [
    (b"\xff\xfe{}", L.NOT_UTF8, {}, "not UTF-8 text"),
    (b"[1, 2]", L.NOT_AN_OBJECT, {}, "not a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, L.TOO_DEEP, {}, "nested too deeply to read"),
    (json.dumps(document("conv_other")).encode(), L.NAME_MISMATCH, {"id": "conv_other"},
     "file name does not match id 'conv_other'"),
], ids=["not-utf8", "not-object", "too-deep", "name"])
def test_each_reason_is_a_kind(tmp_path: Path, content, kind, facts, reason) -> None:
    problem = one_problem(store_with(tmp_path, {"conv_c.json": content}))
    assert (problem.kind, dict(problem.facts), problem.reason) == (kind, facts, reason)


def test_an_unknown_schema_number_is_said_as_the_format_check_says_it(tmp_path: Path) -> None:
    """Before: "unknown schema 0", words of its own that no translation could follow."""
    old = document("conv_z")
    old["schema"] = 0
    problem = one_problem(store_with(tmp_path, {"conv_z.json": json.dumps(old).encode()}))
    assert problem.kind is L.NOT_HISTORY_FORMAT
    assert problem.reason == "not in Cairn's history format: schema must be at least 1, not 0"


def test_a_file_from_a_newer_cairn_it_cannot_read_carries_its_schema(tmp_path: Path) -> None:
    newer = {"schema": SCHEMA_VERSION + 1, "id": "conv_n", "messages": "?"}
    store = store_with(tmp_path, {"conv_n.json": json.dumps(newer).encode()})
    problem = one_problem(store)
    assert (problem.kind, dict(problem.facts)) == (L.NEWER_CAIRN, {"schema": SCHEMA_VERSION + 1})
    assert problem.reason == f"written by a newer version of Cairn (schema {SCHEMA_VERSION + 1})"
    assert problem.moved_to is None and (store.directory / "conv_n.json").exists()


def test_an_os_error_keeps_its_errno(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_with(tmp_path, {"conv_io.json": json.dumps(document("conv_io")).encode()})
    real_open = Path.open

    def failing_open(self: Path, *args, **kwargs):
        if self.name == "conv_io.json":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    problem = one_problem(store)
    assert problem.kind is L.UNREADABLE
    reason = problem.facts["reason"]
    assert isinstance(reason, OsErrorReason) and reason.errno == errno.EIO
    assert problem.reason == os.strerror(errno.EIO)


def test_a_backup_that_could_not_be_written_keeps_its_errno(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.storage import history_store

    store = HistoryStore(tmp_path / "conversations")
    store.save(conversation("conv_old"))
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    monkeypatch.setattr(history_store, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(history_store.MIGRATIONS, 1, dict)
    problem = one_problem(store)
    assert problem.kind is L.BACKUP_FAILED
    assert problem.facts["reason"].errno in (errno.ENOTDIR, errno.EEXIST)
    assert problem.reason.startswith("it needs updating to this version of Cairn, but a backup "
                                     "could not be written first (")


# -- an OS error as data -----------------------------------------------------------------------

def test_an_os_error_reason_is_the_systems_text_with_its_errno() -> None:
    reason = OsErrorReason.of(OSError(errno.ENOSPC, "No space left on device", "/secret/path"))
    assert (str(reason), reason.errno) == ("No space left on device", errno.ENOSPC)
    assert OsErrorReason.of(OSError("odd")) == "odd" and OsErrorReason.of(OSError()) == "OSError"
    for again in (copy.deepcopy(reason), pickle.loads(pickle.dumps(reason))):
        assert again == reason and again.errno == errno.ENOSPC


def test_an_import_that_cannot_read_its_file_keeps_the_errno(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as info:
        import_conversation_json(tmp_path / "gone.json", AttachmentStore(tmp_path / "a"))
    problem = info.value.problem
    assert problem.kind is ProblemKind.FILE_UNREADABLE
    assert problem.facts["reason"].errno == errno.ENOENT
    assert problem == "gone.json could not be read (No such file or directory)."


def test_an_import_off_the_format_carries_what_the_check_found(tmp_path: Path) -> None:
    bad = document("conv_i")
    bad["messages"][0]["content"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ImportFormatError) as info:
        import_conversation_json(path, AttachmentStore(tmp_path / "a"))
    problem = info.value.problem
    assert problem.kind is ProblemKind.INVALID_CONVERSATION
    assert problem.facts["reason"].kind is FormatProblemKind.WRONG_TYPE
    assert problem == ("bad.json is not a Cairn conversation: messages[0].content must be an "
                       "array or a string, not an integer.")


# -- what an export left out -------------------------------------------------------------------

def with_missing_attachments() -> Conversation:
    result = Conversation(title="Lost")
    missing = {"type": "cairn_attachment", "sha256": "a" * 64, "media_type": "image/png"}
    result.add_user_message("see", [
        {"type": "image", "source": dict(missing), "cairn": {"name": "lost.png"}},
        {"type": "image", "source": {**missing, "sha256": "b" * 64}},
        {"type": "document", "source": {"type": "cairn_attachment", "sha256": "c" * 64,
                                        "media_type": "application/pdf"}},
    ])
    return result


def test_a_markdown_export_names_the_missing_file(tmp_path: Path) -> None:
    result = export_markdown(with_missing_attachments(), tmp_path / "Lost.md",
                             AttachmentStore(tmp_path / "attachments"))
    assert [p.kind for p in result.problems] == [ExportProblemKind.ATTACHMENT_NOT_COPIED] * 3
    first = result.problems[0]
    assert isinstance(first, ExportProblem) and set(first.facts) == {"file"}
    assert first == (f"An attachment ({first.facts['file']}) is missing from Cairn's "
                     "attachments folder and was not copied.")


def test_a_json_export_names_the_missing_attachment_or_its_kind(tmp_path: Path) -> None:
    result = export_conversation_json(with_missing_attachments(), tmp_path / "lost.json",
                                      AttachmentStore(tmp_path / "attachments"))
    assert [(p.kind, dict(p.facts)) for p in result.problems] == [
        (ExportProblemKind.ATTACHMENT_NOT_INCLUDED, {"name": "lost.png"}),
        (ExportProblemKind.IMAGE_NOT_INCLUDED, {}),
        (ExportProblemKind.DOCUMENT_NOT_INCLUDED, {})]
    assert result.problems[1] == ("An image is missing from Cairn's attachments folder, so the "
                                  "export refers to it without including it.")
    again = pickle.loads(pickle.dumps(result.problems[0]))
    assert again == result.problems[0] and again.kind is ExportProblemKind.ATTACHMENT_NOT_INCLUDED


def test_a_backup_notes_a_file_it_could_not_read_with_its_errno(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = AppPaths.portable(tmp_path / "data")
    paths.ensure()
    history = HistoryStore(paths.conversations_dir)
    history.save(conversation("conv_a"))
    history.save(conversation("conv_b"))
    real_write = zipfile.ZipFile.write

    def write(self, filename, arcname=None, *args, **kwargs):
        if Path(filename).name == "conv_b.json":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_write(self, filename, arcname, *args, **kwargs)

    monkeypatch.setattr(archive_module.zipfile.ZipFile, "write", write)
    result = export_archive(tmp_path / "backup.zip", history,
                            AttachmentStore(paths.attachments_dir), None)
    (problem,) = result.problems
    assert problem.kind is ExportProblemKind.FILE_NOT_READ
    assert problem.facts["reason"].errno == errno.EACCES
    assert problem == "conv_b.json could not be read (Permission denied)."


def test_the_errors_that_carry_a_problem_survive_copy_and_pickle() -> None:
    from desktop_app.storage.load_problems import (
        BackupFailedError,
        HistoryFileError,
        NewerSchemaError,
    )

    full = OsErrorReason("No space left on device", errno.ENOSPC)
    for error in (HistoryFileError(L.NAME_MISMATCH, id="c"), NewerSchemaError(3),
                  BackupFailedError(full)):
        for again in (copy.copy(error), pickle.loads(pickle.dumps(error))):
            assert type(again) is type(error) and str(again) == str(error)
    assert pickle.loads(pickle.dumps(BackupFailedError(full))).reason.errno == errno.ENOSPC
    assert pickle.loads(pickle.dumps(NewerSchemaError(3))).facts == {"schema": 3}
