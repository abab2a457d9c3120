"""Images and PDFs through the window: drop, paste, pick, link; what the API receives; restart."""

from __future__ import annotations

import base64
import io
import threading

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLabel

from desktop_app.ui.messages.message_view import UserMessageWidget
from tests.conftest import close_window, until

pytestmark = pytest.mark.asyncio


def png_bytes(width: int, height: int, color=(200, 80, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def drop(window, urls: list[QUrl]) -> None:
    mime = QMimeData()
    mime.setUrls(urls)
    pos = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    assert window.file_drop.hint.isVisible()  # a visible drop target while dragging
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)


async def send(window, qtbot, text: str) -> None:
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, text)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    await until(lambda: window.controller.current.messages
                and window.controller.current.messages[-1].role == "assistant")
    await window.controller.wait_idle()


def sent_images(fake_api) -> list[dict]:
    return [b for m in fake_api.message_requests()[-1].body["messages"]
            for b in m["content"] if b["type"] == "image"]


async def test_dropped_image_is_prepared_sent_as_base64_and_kept(
    app_factory, fake_api, qtbot, tmp_path, data_dir
):
    big = tmp_path / "photo.bmp"
    Image.new("RGB", (3200, 2400), (10, 120, 200)).save(big, "BMP")
    window = await app_factory()
    drop(window, [QUrl.fromLocalFile(str(big))])
    tray = window.controller.attachments
    await tray.wait()
    assert not window.file_drop.hint.isVisible()
    assert len(window.attachment_strip.cards) == 1
    card_text = " ".join(label.text() for label in window.attachment_strip.cards[0].findChildren(type(window.status_line)))
    assert "photo.bmp" in card_text and "1568×1176" in card_text and "tokens" in card_text
    # A click on the card shows the picture larger, in a window named after the file.
    qtbot.mouseClick(window.attachment_strip.cards[0], Qt.MouseButton.LeftButton)
    preview = next(d for d in window.findChildren(QDialog) if d.isVisible())
    assert preview.windowTitle() == "photo.bmp"
    shown = [label.pixmap() for label in preview.findChildren(QLabel) if not label.pixmap().isNull()]
    assert shown and max(shown[0].width(), shown[0].height()) == 760
    preview.reject()
    await until(lambda: not preview.isVisible(), message="preview closed")
    await send(window, qtbot, "What colour is this?")
    images = sent_images(fake_api)
    assert len(images) == 1 and images[0]["source"]["type"] == "base64"
    assert images[0]["source"]["media_type"] in ("image/jpeg", "image/png")
    decoded = Image.open(io.BytesIO(base64.b64decode(images[0]["source"]["data"])))
    assert decoded.size == (1568, 1176)
    assert window.controller.current.messages[-1].text.startswith("Echo: What colour")
    # History references the stored file; no base64 in the JSON.
    saved = (data_dir / "conversations" / f"{window.controller.current.id}.json").read_text()
    assert "cairn_attachment" in saved and images[0]["source"]["data"][:40] not in saved
    assert len(list((data_dir / "attachments").rglob("*.*"))) == 1
    assert not window.attachment_strip.cards  # the strip is empty for the next message
    # After a restart the image is shown again and resent.
    await close_window(window)
    window = await app_factory()
    user = window.messages.widget_for(window.controller.current.messages[0].id)
    assert isinstance(user, UserMessageWidget) and user.thumbnails
    # Decoded on a worker thread: it arrives without holding up the window.
    await until(lambda: not user.thumbnails[0].pixmap().isNull(), message="thumbnail shown")
    assert max(user.thumbnails[0].pixmap().width(), user.thumbnails[0].pixmap().height()) == 160
    await send(window, qtbot, "And now?")
    assert len(sent_images(fake_api)) == 1


async def test_pasted_screenshot_and_image_link(app_factory, fake_api, qtbot):
    window = await app_factory()
    image = QImage(640, 400, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    QGuiApplication.clipboard().setImage(image)
    window.composer.edit.setFocus()
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: window.controller.attachments.items, message="pasted image attached")
    assert window.composer.text == ""  # the image did not turn into text
    window.controller.attachments.add_url("https://example.com/cat.png")
    assert [i.kind for i in window.controller.attachments.items] == ["image", "url"]
    await send(window, qtbot, "Compare them")
    images = sent_images(fake_api)
    assert images[0]["source"]["media_type"] == "image/png"
    assert images[1] == {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}


async def test_ctrl_o_picks_several_files(app_factory, fake_api, qtbot, tmp_path, monkeypatch):
    paths = []
    for n, color in enumerate([(255, 0, 0), (0, 255, 0)]):
        path = tmp_path / f"img{n}.png"
        path.write_bytes(png_bytes(300, 200, color))
        paths.append(str(path))
    shown = []

    async def choose_files(dialog):  # the user picks two files in the open dialog
        shown.append(dialog)
        assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles  # multi-select
        dialog.selectedFiles = lambda: paths
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr("desktop_app.ui.lib.async_dialogs.run_dialog", choose_files)
    window = await app_factory()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    await until(lambda: len(window.controller.attachments.items) == 2, message="two files attached")
    assert isinstance(shown[0], QFileDialog)
    window.attachment_strip.cards[0].remove_button.click()
    assert [i.name for i in window.controller.attachments.items] == ["img1.png"]


async def test_bad_input_gets_a_clear_message_and_keeps_the_text(app_factory, fake_api, qtbot, tmp_path):
    window = await app_factory()
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "my words")
    cases = {
        "notes.txt": b"just some text, not a picture",
        "empty.png": b"",
        "broken.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 40,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        drop(window, [QUrl.fromLocalFile(str(tmp_path / name))])
        await window.controller.attachments.wait()
        assert window.attachment_strip.problem.isVisible()
        assert name in window.attachment_strip.problem.text() or "empty" in window.attachment_strip.problem.text().lower()
    window.controller.attachments.add_url("file:///etc/passwd")
    assert "http" in window.attachment_strip.problem.text()
    assert window.controller.attachments.items == []
    assert window.composer.text == "my words"
    assert fake_api.message_requests() == []


async def test_model_without_image_input_is_refused(app_factory, fake_api, qtbot, tmp_path):
    from tests.fake_api import default_models

    models = default_models()
    for model in models:
        model["capabilities"]["image_input"]["supported"] = False
    fake_api.models = models
    window = await app_factory()
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(50, 50))
    drop(window, [QUrl.fromLocalFile(str(path))])
    await window.controller.attachments.wait()
    assert "does not accept images" in window.attachment_strip.problem.text()
    assert window.controller.attachments.items == []


async def test_pdf_is_attached_as_a_document(app_factory, fake_api, qtbot, tmp_path):
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
           b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    window = await app_factory()
    drop(window, [QUrl.fromLocalFile(str(path))])
    await window.controller.attachments.wait()
    item = window.controller.attachments.items[0]
    assert item.kind == "pdf" and "1 pages" in item.details
    await send(window, qtbot, "Summarise")
    docs = [b for m in fake_api.message_requests()[-1].body["messages"] for b in m["content"]
            if b["type"] == "document"]
    assert docs[0]["source"]["media_type"] == "application/pdf"
    assert base64.b64decode(docs[0]["source"]["data"]) == pdf


async def test_deleting_a_conversation_removes_images_nobody_else_uses(
    app_factory, fake_api, qtbot, tmp_path, data_dir
):
    window = await app_factory()
    shared = tmp_path / "shared.png"
    shared.write_bytes(png_bytes(100, 100, (1, 2, 3)))
    own = tmp_path / "own.png"
    own.write_bytes(png_bytes(100, 100, (9, 8, 7)))
    for paths in ([shared], [shared, own]):
        window.controller.new_conversation()
        window.controller.attachments.add_paths(paths)
        await window.controller.attachments.wait()
        await send(window, qtbot, "look")
    assert len(list((data_dir / "attachments").rglob("*.png"))) == 2
    await window.controller.delete(window.controller.current.id)
    remaining = list((data_dir / "attachments").rglob("*.png"))
    assert len(remaining) == 1  # own.png went, shared.png stays for the other conversation


async def test_full_resolution_images_are_never_prepared_again_once_sent(
        app_factory, fake_api, tmp_path):
    """Images go out byte for byte as they were first sent (re-encoding one would change what
    came before later thinking, which the API refuses, and miss the cache). Past 20 images
    the API wants each within 2000 px: new pictures are prepared that size, and a request
    that still holds larger ones is refused in words before it is sent."""
    big = tmp_path / "wide.png"
    Image.new("RGB", (2400, 1200), (30, 60, 90)).save(big, "PNG")
    window = await app_factory()
    controller = window.controller
    settings = controller.settings
    settings.full_resolution_images = True
    await controller.apply_settings(settings)
    controller.attachments.add_paths([big])
    await controller.attachments.wait()
    block = controller.attachments.take_blocks()[0]
    assert block["cairn"]["width"] == 2400  # not downscaled to 1568
    controller.current.add_user_message("one big image", [block])
    assert controller.retry()
    await controller.wait_idle()
    first = sent_images(fake_api)
    sizes = [Image.open(io.BytesIO(base64.b64decode(i["source"]["data"]))).size for i in first]
    assert sizes == [(2400, 1200)]

    # 19 more small ones: the next request repeats the big image exactly as sent before.
    small = tmp_path / "small.png"
    small.write_bytes(png_bytes(300, 200))
    controller.attachments.add_paths([small])
    await controller.attachments.wait()
    small_block = controller.attachments.take_blocks()[0]
    controller.current.add_user_message("more", [small_block] * 19)
    assert controller.retry()
    await controller.wait_idle()
    assert len(sent_images(fake_api)) == 20 and sent_images(fake_api)[0] == first[0]

    # The conversation holds 20 images: a big picture attached now is prepared within 2000 px.
    controller.attachments.add_paths([big])
    await controller.attachments.wait()
    assert controller.attachments.items[-1].block["cairn"]["width"] == 2000
    controller.attachments.take_blocks()

    # A 21st image while the first is 2400 px wide: refused here, nothing is sent.
    requests = len(fake_api.message_requests())
    controller.current.add_user_message("one more", [small_block])
    assert controller.retry()
    await controller.wait_idle()
    reply = controller.current.messages[-1]
    assert reply.error is not None and reply.error.kind == "too_many_images"
    assert "larger than 2000 px" in reply.error.message and not reply.error.retryable
    assert len(fake_api.message_requests()) == requests


async def test_image_links_count_towards_the_hundred_images_limit(app_factory, fake_api):
    window = await app_factory()
    controller = window.controller
    links = [{"type": "image", "source": {"type": "url", "url": f"https://example.com/{i}.png"}}
             for i in range(101)]
    controller.current.add_user_message("what are these?", links)
    assert controller.retry()
    await controller.wait_idle()
    reply = controller.current.messages[-1]
    assert reply.error is not None and reply.error.kind == "too_many_images"
    assert "101 images" in reply.error.message and "at most 100" in reply.error.message
    assert not fake_api.message_requests()
