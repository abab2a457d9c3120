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


# -- a user's file given to code execution --------------------------------------------------------


@pytest.fixture
def pick(monkeypatch):
    """The open dialog answers with the paths a test puts in ``pick.paths``."""

    class Answer:
        paths: list[str] = []

    async def choose(dialog):
        dialog.selectedFiles = lambda: list(Answer.paths)
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", choose)
    return Answer


async def code_execution_window(app_factory):
    from desktop_app.core.server_tools import ServerToolOptions
    from desktop_app.ui.operations.context import Changes

    window = await app_factory()
    window.controller.services.settings.server_tools = ServerToolOptions(code_execution=True)
    window.on_operation_executed(Changes(header=True))
    return window


def sent_content(request) -> list[dict]:
    return [b for m in request.body["messages"] if m["role"] == "user" for b in m["content"]]


async def test_a_users_file_is_uploaded_and_sent_as_a_container_upload(
        app_factory, fake_api, qtbot, tmp_path, pick):
    from tests.fake_api import Reply

    window = await code_execution_window(app_factory)
    action = window.composer.code_file_action
    assert action.isVisible() and action.text() == "File for code execution…"
    data = tmp_path / "sales.csv"
    data.write_bytes(b"month,total\njan,3\n")
    pick.paths = [str(data)]
    action.trigger()
    await until(lambda: window.controller.attachments.items, message="the file is in the strip")
    item = window.controller.attachments.items[0]
    file_id = item.block["file_id"]
    assert item.kind == "code_file" and fake_api.files[file_id].data == data.read_bytes()
    assert window.attachment_strip.cards[0].item.name == "sales.csv"
    fake_api.enqueue(Reply("It has one month."))
    await chat_with(window, qtbot, "Sum the totals")
    request = fake_api.message_requests()[-1]
    assert {"type": "container_upload", "file_id": file_id} in sent_content(request)
    assert any(t.get("name") == "code_execution" for t in request.body.get("tools", []))
    conversation = window.controller.current
    await until(lambda: window.controller.services.history.load(conversation.id).extra.get(
        "files"), message="the upload recorded on disk")
    assert window.controller.services.history.load(conversation.id).extra["files"] == [
        {"id": file_id, "name": "sales.csv", "size": 18, "media_type": "text/csv",
         "origin": "upload"}]
    assert fake_api.script_errors == []


async def test_any_file_attached_with_code_execution_on_goes_to_the_code(
        app_factory, fake_api, qtbot, tmp_path):
    window = await code_execution_window(app_factory)
    script = tmp_path / "clean.py"
    script.write_text("print('hi')\n")
    window.controller.attachments.add_paths([script])
    await until(lambda: window.controller.attachments.items, message="attached")
    item = window.controller.attachments.items[0]
    assert item.block["type"] == "container_upload"
    # Taken out before sending: it does not stay on Anthropic's side.
    window.attachment_strip.cards[0].remove_button.click()
    await until(lambda: fake_api.files[item.block["file_id"]].deleted, message="upload deleted")


async def test_a_full_storage_is_said_in_words(app_factory, fake_api, qtbot, tmp_path):
    window = await code_execution_window(app_factory)
    fake_api.storage_quota_bytes = 5
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 100)
    window.controller.attachments.add_code_paths([big])
    await until(lambda: "storage on Anthropic's side is full" in window.attachment_strip.problem.text(),
                message="the quota said")
    assert window.controller.attachments.items == []


async def test_the_menu_offers_a_file_for_code_execution_only_while_it_is_on(
        app_factory, fake_api):
    from desktop_app.core.server_tools import ServerToolOptions
    from desktop_app.ui.operations.context import Changes

    window = await code_execution_window(app_factory)
    assert window.composer.code_file_action.isVisible()
    assert "code execution" in window.composer.attach_button.toolTip()
    window.controller.services.settings.server_tools = ServerToolOptions(code_execution=False)
    window.on_operation_executed(Changes(header=True))
    assert not window.composer.code_file_action.isVisible()
    assert "code execution" not in window.composer.attach_button.toolTip()


# -- files the code made ------------------------------------------------------------------------

def png_bytes(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def save_as(monkeypatch):
    """The save dialog answers with the path a test puts in ``save_as.path``."""

    class Answer:
        path = ""
        asked: list[str] = []

    async def choose(dialog):
        Answer.asked.append(dialog.directory().filePath(dialog.selectedFiles()[0])
                            if dialog.selectedFiles() else "")
        dialog.selectedFiles = lambda: [Answer.path]
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", choose)
    return Answer


async def code_reply(window, qtbot, fake_api, *files):
    """A reply whose code run made ``files``; the views that show them once it is shown."""
    from desktop_app.ui.messages.produced_files_view import ProducedFilesView
    from tests.fake_api import CodeRun, Reply

    fake_api.enqueue(Reply("Here it is.", server_uses=[
        CodeRun(code="python make.py", stdout="done\n", files=list(files))]))
    await chat_with(window, qtbot, "Make it")
    assert fake_api.script_errors == []
    await until(lambda: window.messages.findChildren(ProducedFilesView), message="files shown")
    view = window.messages.findChildren(ProducedFilesView)[-1]
    await until(lambda: len(view.rows) == len(files), message="a row per file")
    return view


async def test_a_produced_file_saves_with_save_as(
        app_factory, fake_api, qtbot, tmp_path, save_as):
    from tests.fake_api import ProducedFile

    window = await code_execution_window(app_factory)
    made = ProducedFile("totals.csv", b"month,total\njan,3\n", "text/csv")
    view = await code_reply(window, qtbot, fake_api, made)
    row = view.rows[made.id]
    await until(lambda: row.name.text() == "totals.csv" and row.save_button.isEnabled(),
                message="the file's name known")
    assert row.picture.isHidden()  # text is never shown as a picture
    target = tmp_path / "saved" / "my totals.csv"
    save_as.path = str(target)
    row.save_button.click()
    await until(lambda: target.exists(), message="saved")
    assert target.read_bytes() == fake_api.files[made.id].data
    assert save_as.asked[-1].endswith("totals.csv")  # the name the code gave, suggested


async def test_a_produced_picture_shows_inline_judged_by_its_bytes(
        app_factory, fake_api, qtbot):
    from tests.fake_api import ProducedFile

    window = await code_execution_window(app_factory)
    picture = ProducedFile("chart.bin", png_bytes(1200, 600), "application/octet-stream")
    liar = ProducedFile("photo.png", b"<html>not a picture</html>", "image/png")
    view = await code_reply(window, qtbot, fake_api, picture, liar)
    shown, refused = view.rows[picture.id], view.rows[liar.id]
    await until(lambda: shown.picture.pixmap() is not None and not shown.picture.pixmap().isNull(),
                message="the picture decoded")
    await until(lambda: refused.name.text() == "photo.png", message="the other one fetched")
    assert not shown.picture.isHidden() and refused.picture.isHidden()
    pixmap = shown.picture.pixmap()
    assert pixmap.width() / pixmap.devicePixelRatio() <= 640  # fitted, not 1200 px wide
    # Kept on this computer: a restart shows it without downloading again.
    cached = window.controller.files.cache.get(picture.id)
    assert cached is not None and cached.path.read_bytes() == fake_api.files[picture.id].data


async def test_an_expired_file_is_said_when_saving(
        app_factory, fake_api, qtbot, tmp_path, save_as, monkeypatch):
    from tests.fake_api import ProducedFile

    monkeypatch.setattr("desktop_app.ui.session.anthropic_files.INLINE_FETCH_LIMIT", 0)
    window = await code_execution_window(app_factory)
    made = ProducedFile("report.txt", b"report", "text/plain")
    view = await code_reply(window, qtbot, fake_api, made)
    row = view.rows[made.id]
    await until(lambda: row.save_button.isEnabled() and row.name.text() == "report.txt",
                message="known, not fetched")
    assert window.controller.files.cache.get(made.id) is None
    fake_api.expire_file(made.id)
    save_as.path = str(tmp_path / "report.txt")
    row.save_button.click()
    await until(lambda: "expired" in window.notice_bar.text(), message="expiry said")
    assert not (tmp_path / "report.txt").exists()


async def test_a_file_over_the_limit_is_refused_before_it_is_read(
        app_factory, fake_api, tmp_path, monkeypatch):
    monkeypatch.setattr("desktop_app.api.files_api.UPLOAD_LIMIT", 10)
    window = await code_execution_window(app_factory)
    big = tmp_path / "huge.bin"
    big.write_bytes(b"x" * 11)
    window.controller.attachments.add_code_paths([big])
    await until(lambda: "too large" in window.attachment_strip.problem.text(), message="said")
    assert not [f for f in fake_api.files.values() if f.filename == "huge.bin"]
