"""What went wrong with a file is said in Chinese in a Chinese interface (issue 18): the
start-up notice for unreadable history files (damaged, from a newer Cairn, off the format),
what an export left out, an import off the format, and an operating system error (a full
disk, a read-only file system). In English every sentence is the one Cairn always wrote."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest

from desktop_app.core.conversation import Conversation
from desktop_app.core.history_format_problems import FormatProblem, FormatProblemKind
from desktop_app.core.os_error_reason import OsErrorReason
from desktop_app.storage import atomic_file
from desktop_app.storage.export_problems import ExportProblem, ExportProblemKind
from desktop_app.storage.history_store import SCHEMA_VERSION, HistoryStore
from desktop_app.storage.load_problems import LoadProblem, LoadProblemKind
from desktop_app.ui.lib.format_problem_text import format_problem_text
from desktop_app.ui.lib.os_error_text import _BY_ERRNO, os_error_text
from desktop_app.ui.runtime.translations import remove_translators
from desktop_app.ui.session.load_problem_text import load_problem_reason
from desktop_app.ui.transfer.export_problem_text import export_problem_text
from tests.conftest import until
from tests.fake_api import Reply
from tests.helpers.gui_helpers import chat_with
from tests.helpers.history_documents import rich_document

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")
NOT_LANGUAGE = {"Cairn", "JSON", "UTF", "true", "false", "null", "NAME", "unreadable", "DATE"}


def english_words(text: str, *verbatim: str) -> list[str]:
    """English words left in ``text`` once what is no language is taken out: file names,
    paths and values quoted from a file (``verbatim``), and names such as JSON."""
    for piece in sorted(verbatim, key=len, reverse=True):
        text = text.replace(piece, " ")
    return [word for word in WORD.findall(text) if word not in NOT_LANGUAGE]


def reads_chinese(text: str, *verbatim: str) -> bool:
    return bool(HAN.search(text)) and not english_words(text, *verbatim)


def conversations_dir(data_dir: Path) -> Path:
    folder = data_dir / "conversations"
    folder.mkdir(exist_ok=True)
    return folder


def write_problem_files(data_dir: Path) -> None:
    """Two damaged files, one from a newer Cairn that this one cannot read, one off the
    format, and a good conversation."""
    folder = conversations_dir(data_dir)
    good = Conversation(title="Sourdough")
    good.add_user_message("How long does it rise?")
    HistoryStore(folder).save(good)
    (folder / "conv_broken.json").write_text('{"id": "conv_broken", "messages": [')
    (folder / "conv_latin1.json").write_bytes(b'{"title": "Caf\xe9"}')
    newer = {"schema": SCHEMA_VERSION + 1, "id": "conv_newer", "messages": "?"}
    (folder / "conv_newer.json").write_text(json.dumps(newer))
    off_format = rich_document("conv_off", title="Off the format")
    del off_format["messages"][0]["content"][1]["source"]["sha256"]
    (folder / "conv_off.json").write_text(json.dumps(off_format))


# -- the start-up notice -----------------------------------------------------------------------

@pytest.mark.asyncio
async def test_the_start_up_notice_for_several_files_is_chinese(chinese, app_factory, data_dir):
    write_problem_files(data_dir)
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    names = ["conv_broken.json", "conv_latin1.json", "conv_newer.json", "conv_off.json"]
    assert reads_chinese(notice, str(data_dir / "conversations"), *names,
                         "messages[0].content[1].source.sha256"), notice
    lines = notice.splitlines()
    assert lines[0].startswith("无法打开 4 个对话文件；")
    assert "• conv_broken.json：不是有效的 JSON（第 1 行，第 36 列）（已移到一旁）" in lines
    assert "• conv_latin1.json：不是 UTF-8 文本（已移到一旁）" in lines
    assert f"• conv_newer.json：由更新版本的 Cairn 写入（格式版本 {SCHEMA_VERSION + 1}）" in lines
    assert ("• conv_off.json：不符合 Cairn 的历史记录格式：messages[0].content[1].source.sha256 "
            "缺失（已移到一旁）") in lines


@pytest.mark.asyncio
async def test_the_start_up_notice_for_one_file_is_chinese(chinese, app_factory, data_dir):
    document = rich_document("conv_one", title="One")
    document["messages"][1]["content"][5]["text"] = 42
    (conversations_dir(data_dir) / "conv_one.json").write_text(json.dumps(document))
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    (moved,) = (data_dir / "conversations").glob("conv_one.json.unreadable-*")
    assert notice == ("无法打开一个对话文件：conv_one.json：不符合 Cairn 的历史记录格式："
                      "messages[1].content[5].text 必须是字符串，而不是整数。"
                      f"已将它移到一旁，改名为 {moved.name}。")


@pytest.mark.asyncio
async def test_the_start_up_notice_in_english_is_the_old_sentence(app_factory, data_dir):
    document = rich_document("conv_one", title="One")
    document["messages"][1]["content"][5]["text"] = 42
    (conversations_dir(data_dir) / "conv_one.json").write_text(json.dumps(document))
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    (moved,) = (data_dir / "conversations").glob("conv_one.json.unreadable-*")
    assert window.notice_bar.text() == (
        "A conversation file could not be opened: conv_one.json: not in Cairn's history "
        "format: messages[1].content[5].text must be a string, not an integer. It was moved "
        f"to {moved.name}.")


# -- exports, imports and the disk -------------------------------------------------------------

def with_missing_picture(data_dir: Path) -> str:
    conversation = Conversation(title="Holiday")
    conversation.add_user_message("Look", [{
        "type": "image", "cairn": {"name": "beach.png"},
        "source": {"type": "cairn_attachment", "sha256": "e" * 64, "media_type": "image/png"}}])
    HistoryStore(conversations_dir(data_dir)).save(conversation)
    return conversation.id


@pytest.mark.asyncio
async def test_an_export_with_a_missing_attachment_is_chinese(
        chinese, app_factory, data_dir, tmp_path):
    conversation_id = with_missing_picture(data_dir)
    window = await app_factory()
    markdown = await window.transfer.export_conversation(
        conversation_id, "markdown", tmp_path / "holiday.md")
    assert markdown.startswith("已导出到") and "Cairn 的附件文件夹中缺少一个附件（" in markdown
    assert reads_chinese(markdown, str(tmp_path / "holiday.md"), "e" * 16 + ".png"), markdown
    shown = await window.transfer.export_conversation(
        conversation_id, "json", tmp_path / "holiday.json")
    assert "Cairn 的附件文件夹中缺少 beach.png，导出文件只引用了它，没有包含它。" in shown
    assert reads_chinese(shown, str(tmp_path / "holiday.json"), "beach.png"), shown


@pytest.mark.asyncio
async def test_an_export_with_a_missing_attachment_in_english_is_the_old_sentence(
        app_factory, data_dir, tmp_path):
    conversation_id = with_missing_picture(data_dir)
    window = await app_factory()
    shown = await window.transfer.export_conversation(
        conversation_id, "json", tmp_path / "holiday.json")
    assert shown == (f"Exported to {tmp_path / 'holiday.json'}. beach.png is missing from "
                     "Cairn's attachments folder, so the export refers to it without "
                     "including it.")


@pytest.mark.asyncio
async def test_an_import_off_the_format_is_chinese(chinese, app_factory, tmp_path):
    document = rich_document("conv_in", title="In")
    document["messages"][0]["role"] = "robot"
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(document))
    window = await app_factory()
    shown = await window.transfer.import_file(path)
    assert shown == ('exported.json 不是 Cairn 对话：messages[0].role 必须是 "user"或"assistant"，'
                     '而不是 "robot"。')


@pytest.mark.asyncio
async def test_a_full_disk_is_said_in_chinese(
        chinese, app_factory, fake_api, qtbot, monkeypatch):
    window = await app_factory()
    fake_api.enqueue(Reply("First answer."), Reply("Second answer."))
    conversation = await chat_with(window, qtbot, "first question")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_file.os, "replace", full)
    await chat_with(window, qtbot, "second question")
    await until(lambda: window.notice_bar.isVisible(), message="the failure is said")
    notice = window.notice_bar.text()
    assert f"无法保存“{conversation.title}”：磁盘空间已满。" in notice
    assert reads_chinese(notice, conversation.title), notice


@pytest.mark.asyncio
async def test_a_read_only_file_system_is_said_in_chinese(
        chinese, app_factory, data_dir, tmp_path, monkeypatch):
    conversation_id = with_missing_picture(data_dir)
    window = await app_factory()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic_file.os, "replace", read_only)
    shown = await window.transfer.export_conversation(
        conversation_id, "json", tmp_path / "holiday.json")
    assert shown == "无法写入导出文件：文件系统是只读的。"


# -- every kind, in both languages -------------------------------------------------------------

def every_format_problem() -> list[FormatProblem]:
    from tests.core.test_history_format_problems import KINDS

    problems = [FormatProblem(path, kind, facts) for _, _, kind, facts, path in KINDS]
    problems += [FormatProblem("id", FormatProblemKind.NO_MATCH, {"pattern": "^x$", "value": "1"}),
                 FormatProblem("x", FormatProblemKind.TOO_FEW_ITEMS, {"minimum": 2}),
                 FormatProblem("", FormatProblemKind.WRONG_TYPE,
                               {"expected": ("object",), "actual": "array"}, "branch")]
    return problems


def every_load_problem() -> list[LoadProblem]:
    K = LoadProblemKind
    where = Path("conv_x.json")
    full = OsErrorReason(os.strerror(errno.ENOSPC), errno.ENOSPC)
    facts = {K.NEWER_CAIRN: {"schema": 2}, K.BACKUP_FAILED: {"reason": full},
             K.UNREADABLE: {"reason": OsErrorReason(os.strerror(errno.EIO), errno.EIO)},
             K.NOT_JSON: {"line": 3, "column": 7},
             K.NOT_HISTORY_FORMAT: {"problem": every_format_problem()[0]},
             K.NAME_MISMATCH: {"id": "conv_y"}, K.CAIRN_ERROR: {"error": "TypeError"},
             K.OTHER: {"text": "odd"}}
    return [LoadProblem(where, kind, facts.get(kind, {})) for kind in K]


def every_export_problem() -> list[ExportProblem]:
    K = ExportProblemKind
    denied = OsErrorReason(os.strerror(errno.EACCES), errno.EACCES)
    facts = {K.ATTACHMENT_NOT_COPIED: {"file": "a.png"}, K.ATTACHMENT_NOT_INCLUDED: {"name": "b"},
             K.FILE_NOT_READ: {"name": "c.json", "reason": denied}}
    return [ExportProblem(kind, **facts.get(kind, {})) for kind in K]


def test_every_problem_in_english_is_its_old_sentence(qapp):
    remove_translators()
    for problem in every_format_problem():
        assert format_problem_text(problem) == problem, problem
    for load in every_load_problem():
        assert load_problem_reason(load) == load.reason, load
    for export in every_export_problem():
        assert export_problem_text(export) == export, export
    for number in _BY_ERRNO:  # the C library's own words (the texts Cairn always showed)
        assert os_error_text(OSError(number, os.strerror(number))) == os.strerror(number)
    assert os_error_text(OSError(errno.ECONNRESET, "Reset by peer")) == "Reset by peer"


def test_every_problem_has_its_chinese(chinese):
    for problem in every_format_problem():
        assert HAN.search(format_problem_text(problem)), problem
    for load in every_load_problem():
        if load.kind is not LoadProblemKind.OTHER:  # an exception's own words
            assert HAN.search(load_problem_reason(load)), load
    for export in every_export_problem():
        assert reads_chinese(export_problem_text(export), "a.png", "c.json"), export
    for number in _BY_ERRNO:
        words = os_error_text(OSError(number, os.strerror(number)))
        assert reads_chinese(words), (number, words)


@pytest.mark.asyncio
async def test_a_disk_error_part_way_through_an_import_is_said_in_chinese(
        chinese, app_factory, tmp_path, monkeypatch):
    from desktop_app.storage.archive import ImportJob

    document = rich_document("conv_in", title="In")
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(document))

    def failing_step(self, *args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(ImportJob, "step", failing_step)
    window = await app_factory()
    shown = await window.transfer.import_file(path)
    assert shown == "无法导入 exported.json：输入/输出错误（磁盘或设备可能有故障）"


@pytest.mark.asyncio
async def test_a_settings_file_that_cannot_be_read_is_said_in_chinese(
        chinese, app_factory, data_dir):
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text('{"theme": "dark",', encoding="utf-8")
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    notice = window.notice_bar.text()
    assert reads_chinese(notice), notice
    assert "JSON" in notice and "18" in notice  # where in the file it broke


@pytest.mark.asyncio
async def test_a_settings_file_that_cannot_be_read_in_english(app_factory, data_dir):
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text("[1, 2]", encoding="utf-8")
    window = await app_factory()
    await until(lambda: window.notice_bar.isVisible(), message="the notice")
    assert window.notice_bar.text() == (
        "Your settings file could not be read (not a JSON object); it was set aside and "
        "defaults are in use.")
