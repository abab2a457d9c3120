"""Files between the user and Claude's code execution (Files API), through the window and the
fake API: produced files saved and shown, a user's file uploaded and sent, files deleted with
their conversation (later when offline), and the conversation's list of stored files."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop_app.core.code_files import FileRecord, record_file, upload_block
from tests.conftest import close_window, until
from tests.fake_api.stores import StoredFile as FakeFile
from tests.helpers.gui_helpers import chat_with

pytestmark = pytest.mark.asyncio


def bash_result(*file_ids: str) -> dict:
    return {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_01abc",
            "content": {"type": "bash_code_execution_result", "stdout": "", "stderr": "",
                        "return_code": 0,
                        "content": [{"type": "bash_code_execution_output", "file_id": i}
                                    for i in file_ids]}}


def store(fake_api, file_id: str, name: str, data: bytes, *, made: bool) -> None:
    fake_api.files[file_id] = FakeFile(id=file_id, filename=name, mime_type="text/csv",
                                       data=data, downloadable=made)


async def conversation_with_files(window, qtbot, fake_api):
    """A saved conversation that gave the code ``data.csv`` and got ``out.csv`` back."""
    store(fake_api, "file_upload1", "data.csv", b"a,b\n", made=False)
    store(fake_api, "file_made1", "out.csv", b"total\n3\n", made=True)
    conversation = await chat_with(window, qtbot, "hello")
    conversation.messages[0].content.append(upload_block("file_upload1", "data.csv", 4, "text/csv"))
    record_file(conversation, FileRecord("file_upload1", "data.csv", 4, "text/csv"))
    conversation.messages[-1].content.insert(0, bash_result("file_made1"))
    assert await window.controller.save(conversation)
    return conversation


async def test_the_stored_files_list_shows_both_kinds_and_deletes_one(
        app_factory, fake_api, qtbot):
    window = await app_factory()
    conversation = await conversation_with_files(window, qtbot, fake_api)
    row_menu = window.sidebar.row_menu(conversation.id, pinned=False)
    item = next(a for a in row_menu.actions() if a.text() == "Files on Anthropic…")
    item.trigger()
    row_menu.close()
    dialog = window.files_ops.dialog
    await until(lambda: dialog.table.topLevelItemCount() == 2, message="two files listed")
    rows = {dialog.table.topLevelItem(i).text(0): dialog.table.topLevelItem(i).text(2)
            for i in range(2)}
    assert rows == {"data.csv": "You", "out.csv": "Code execution"}
    assert not dialog.delete_button.isEnabled()  # nothing chosen yet
    dialog.table.setCurrentItem(dialog.table.topLevelItem(dialog.file_ids().index("file_upload1")))
    dialog.delete_button.click()
    await until(lambda: dialog.file_ids() == ["file_made1"], message="the upload left the list")
    assert fake_api.files["file_upload1"].deleted and not fake_api.files["file_made1"].deleted
    # The conversation no longer names it (the API would refuse the next request), on disk too.
    stored = window.controller.services.history.load(conversation.id)
    assert "files" not in stored.extra or stored.extra["files"] == []
    assert not [b for b in stored.messages[0].content if b.get("type") == "container_upload"]
    assert "(The file data.csv was deleted.)" in stored.messages[0].content[-1]["text"]
    dialog.close()


async def test_the_list_says_why_it_cannot_be_read(app_factory, fake_api, qtbot, monkeypatch):
    from desktop_app.api.files_api import FilesApi, FilesError

    async def offline(self, ids):
        raise FilesError("offline")

    monkeypatch.setattr(FilesApi, "existing", offline)
    window = await app_factory()
    conversation = await conversation_with_files(window, qtbot, fake_api)
    window.files_ops.on_files_requested(conversation.id)
    dialog = window.files_ops.dialog
    await until(lambda: "could not be reached" in dialog.state.text(), message="offline said")
    dialog.close()


async def test_deleting_a_conversation_deletes_its_files_on_anthropic(
        app_factory, fake_api, qtbot):
    window = await app_factory()
    conversation = await conversation_with_files(window, qtbot, fake_api)
    store(fake_api, "file_other", "other.csv", b"x", made=False)  # not this conversation's
    await window.controller.delete(conversation.id)
    await until(lambda: fake_api.files["file_upload1"].deleted
                and fake_api.files["file_made1"].deleted, message="both files deleted")
    assert not fake_api.files["file_other"].deleted


async def test_deletes_that_could_not_reach_the_api_happen_at_the_next_start(
        app_factory, fake_api, qtbot, monkeypatch):
    from desktop_app.api.files_api import FilesApi, FilesError

    real_delete = FilesApi.delete
    tried: list[str] = []

    async def offline(self, file_id):
        tried.append(file_id)
        raise FilesError("offline")

    monkeypatch.setattr(FilesApi, "delete", offline)
    window = await app_factory()
    conversation = await conversation_with_files(window, qtbot, fake_api)
    await window.controller.delete(conversation.id)
    await until(lambda: tried, message="a delete was tried")
    await window.controller.files.tasks.wait()
    assert not fake_api.files["file_upload1"].deleted
    pending = window.controller.files.cache.pending_deletes()
    assert pending == ["file_made1", "file_upload1"]
    await close_window(window)
    monkeypatch.setattr(FilesApi, "delete", real_delete)  # back online
    again = await app_factory()
    await until(lambda: fake_api.files["file_upload1"].deleted
                and fake_api.files["file_made1"].deleted, message="deleted at the next start")
    await again.controller.files.tasks.wait()
    assert again.controller.files.cache.pending_deletes() == []
