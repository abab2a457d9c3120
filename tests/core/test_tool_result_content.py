"""What a tool returns becomes tool_result content the API accepts, or a note saying what was
left out: a refused block would be stored and fail every later request of the conversation.
Tool output is untrusted, so hostile shapes and sizes must never raise. Pure core."""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop_app.core.image_headers import ImageHeader, read_image_header
from desktop_app.core.images import MAX_IMAGE_BYTES
from desktop_app.core.tool_calls import tool_result_content
from desktop_app.core.tool_result_content import (
    MAX_RESULT_BINARY_BYTES,
    MAX_RESULT_BLOCKS,
    MAX_RESULT_IMAGES,
    MAX_RESULT_TEXT_CHARS,
)

API_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def picture(fmt: str, size: tuple[int, int] = (7, 5), **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(out, fmt, **options)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def png_header(width: int, height: int, padding: int = 0) -> bytes:
    """The start of a PNG stating this size, then filler: enough for the header checks."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\0" * padding


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def assert_api_content(blocks: list[dict[str, Any]]) -> None:
    """Each block is one the API takes inside a tool_result, exactly."""
    assert blocks, "a tool_result's content is never empty"
    for block in blocks:
        kind = block["type"]
        if kind == "text":
            assert set(block) == {"type", "text"}
            assert isinstance(block["text"], str) and block["text"].strip()
        elif kind in ("image", "document"):
            assert set(block) == {"type", "source"}
            source = block["source"]
            assert set(source) == {"type", "media_type", "data"} and source["type"] == "base64"
            data = base64.b64decode(source["data"], validate=True)
            if kind == "image":
                assert len(source["data"]) <= MAX_IMAGE_BYTES
                header = read_image_header(data)
                assert header is not None and header.media_type == source["media_type"]
                assert source["media_type"] in API_IMAGE_TYPES
            else:
                assert source["media_type"] == "application/pdf"
                assert b"%PDF-" in data[:1024]
        else:
            pytest.fail(f"the API does not take {kind!r} in a tool_result")
    json.dumps(blocks, ensure_ascii=False).encode("utf-8")  # sendable as UTF-8 JSON


@pytest.mark.parametrize(("fmt", "media_type", "options"), [
    ("PNG", "image/png", {}), ("JPEG", "image/jpeg", {}), ("GIF", "image/gif", {}),
    ("WEBP", "image/webp", {"lossless": True}), ("WEBP", "image/webp", {"quality": 50}),
])
def test_the_header_of_each_image_format_the_api_takes_gives_its_size(
        fmt: str, media_type: str, options: dict[str, Any]) -> None:
    assert read_image_header(picture(fmt, (301, 17), **options)) == ImageHeader(
        media_type, 301, 17)


def test_a_jpeg_with_metadata_before_its_frame_still_gives_its_size() -> None:
    exif = Image.Exif()
    exif[0x010E] = "x" * 5000  # a long ImageDescription pushes the frame header back
    assert read_image_header(picture("JPEG", (40, 30), exif=exif)) == ImageHeader(
        "image/jpeg", 40, 30)


def test_other_bytes_are_not_an_image() -> None:
    assert read_image_header(picture("BMP")) is None
    assert read_image_header(b"") is None
    assert read_image_header(b"\x89PNG\r\n\x1a\n") == ImageHeader("image/png")
    assert read_image_header(b"GIF89a\x01") == ImageHeader("image/gif")


def test_text_stays_text_and_empty_text_is_dropped() -> None:
    content, notes = tool_result_content([
        {"type": "text", "text": "hello", "annotations": None, "_meta": None},
        {"type": "text", "text": "  \n"}, {"type": "text", "text": ""},
        {"type": "text", "text": "world"}], None)
    assert content == [{"type": "text", "text": "hello"}, {"type": "text", "text": "world"}]
    assert notes == []


def test_an_image_is_sent_as_base64_in_the_api_shape() -> None:
    data = b64(picture("PNG"))
    content, notes = tool_result_content(
        [{"type": "image", "data": data, "mimeType": "image/png", "annotations": None}], None)
    assert content == [{"type": "image", "source": {
        "type": "base64", "media_type": "image/png", "data": data}}]
    assert notes == []


def test_an_image_goes_with_the_type_of_its_bytes_whatever_its_label() -> None:
    data = b64(picture("JPEG"))
    wrapped = "\n".join(data[i:i + 76] for i in range(0, len(data), 76))
    content, _ = tool_result_content([{"type": "image", "data": wrapped, "mimeType": "image/png"}])
    assert content[0]["source"]["media_type"] == "image/jpeg"
    assert content[0]["source"]["data"] == data  # line breaks some servers add are removed
    assert_api_content(content)


@pytest.mark.parametrize(("data", "words"), [
    (b64(picture("BMP")), "only JPEG, PNG, GIF and WebP"),
    ("not base64 at all!", "damaged"),
    ("A" * (MAX_IMAGE_BYTES + 4), "larger than the 5.2 MB"),
    (b64(png_header(8001, 10)), "8001 × 10 px"),
    (None, "without its data"),
])
def test_an_image_the_api_would_refuse_becomes_a_note(data: Any, words: str) -> None:
    content, notes = tool_result_content([{"type": "image", "data": data,
                                           "mimeType": "image/png"}], None)
    assert len(notes) == 1 and words in notes[0]
    assert content == [{"type": "text", "text": f"[{notes[0]}]"}]  # Claude is told too
    assert_api_content(content)


def test_a_picture_at_the_api_s_limits_is_still_sent() -> None:
    content, notes = tool_result_content([
        {"type": "image", "data": b64(png_header(8000, 8000)), "mimeType": "image/png"}])
    assert notes == [] and content[0]["type"] == "image"


def test_audio_and_unknown_content_are_described_not_sent() -> None:
    content, notes = tool_result_content([
        {"type": "audio", "data": "UklGR" * 4000, "mimeType": "audio/wav"},
        {"type": "hologram", "data": "x"}], None)
    assert notes == ["Audio (audio/wav, 15 kB) not shown to the model",
                     "Content of type 'hologram' not shown to the model"]
    assert_api_content(content)


def test_resources_become_text_documents_or_notes() -> None:
    content, notes = tool_result_content([
        {"type": "resource", "resource": {"uri": "file:///notes.txt", "mimeType": "text/plain",
                                          "text": "line one", "_meta": None}},
        {"type": "resource", "resource": {"uri": "file:///a.pdf", "mimeType": "application/pdf",
                                          "blob": b64(PDF)}},
        {"type": "resource", "resource": {"uri": "file:///p.png", "mimeType": "image/png",
                                          "blob": b64(picture("PNG"))}},
        {"type": "resource", "resource": {"uri": "file:///a.zip",
                                          "mimeType": "application/zip", "blob": "UEsDBA=="}},
        {"type": "resource_link", "uri": "file:///big.log", "name": "big.log", "title": None,
         "description": "The full log", "mimeType": "text/plain", "size": 10},
    ], None)
    assert content[0] == {"type": "text", "text": "file:///notes.txt\nline one"}
    assert content[1] == {"type": "document", "source": {
        "type": "base64", "media_type": "application/pdf", "data": b64(PDF)}}
    assert content[2]["type"] == "image"
    assert content[3] == {"type": "text", "text":
                          "[The resource file:///a.zip (application/zip, 4 bytes) not shown to "
                          "the model]"}
    assert content[4] == {"type": "text", "text":
                          "Resource link: big.log <file:///big.log> (text/plain)\nThe full log"}
    assert len(notes) == 1
    assert_api_content(content)


def test_a_pdf_that_is_not_one_is_not_sent_as_a_document() -> None:
    content, notes = tool_result_content([{"type": "resource", "resource": {
        "uri": "x", "mimeType": "application/pdf", "blob": b64(b"MZ\x90\x00")}}])
    assert content[0]["type"] == "text" and "not a readable PDF" in notes[0]


def test_no_content_gives_the_structured_content_or_no_output() -> None:
    assert tool_result_content([], {"sum": 3, "name": "é"}) == (
        [{"type": "text", "text": '{"sum": 3, "name": "é"}'}], [])
    assert tool_result_content([], None) == ([{"type": "text", "text": "(no output)"}], [])
    assert tool_result_content([{"type": "text", "text": " "}], None)[0] == [
        {"type": "text", "text": "(no output)"}]
    # With content, the structured copy (which servers also send as text) is not repeated.
    assert tool_result_content([{"type": "text", "text": "3"}], {"sum": 3})[0] == [
        {"type": "text", "text": "3"}]


def test_runaway_text_is_cut_with_a_note() -> None:
    content, notes = tool_result_content(
        [{"type": "text", "text": "a" * (MAX_RESULT_TEXT_CHARS - 10)},
         {"type": "text", "text": "b" * 100}, {"type": "text", "text": "c" * 50}], None)
    assert sum(len(b["text"]) for b in content if not b["text"].startswith("[")) == (
        MAX_RESULT_TEXT_CHARS)
    assert notes == ["Cairn cut the output here: 90 more characters were not sent",
                     "Cairn left out 50 more characters of output"]


def test_too_many_images_or_bytes_in_one_result_are_left_out() -> None:
    small = {"type": "image", "data": b64(picture("PNG")), "mimeType": "image/png"}
    content, notes = tool_result_content([small] * (MAX_RESULT_IMAGES + 3), None)
    assert sum(b["type"] == "image" for b in content) == MAX_RESULT_IMAGES
    assert len(notes) == 3
    big = {"type": "image", "data": b64(png_header(10, 10, padding=3_000_000)),
           "mimeType": "image/png"}
    fits = MAX_RESULT_BINARY_BYTES // len(big["data"])
    content, notes = tool_result_content([big] * (fits + 2), None)
    assert sum(b["type"] == "image" for b in content) == fits
    assert len(notes) == 2 and "too large to send" in notes[0]
    assert_api_content(content)


def test_a_result_of_thousands_of_parts_stays_bounded() -> None:
    content, notes = tool_result_content([{"type": "text", "text": "x"}] * 5000, None)
    assert len(content) == MAX_RESULT_BLOCKS + 1
    assert notes == [f"Cairn left out {5000 - MAX_RESULT_BLOCKS:,} more parts of the result"]


def test_text_that_is_not_valid_unicode_is_repaired() -> None:
    content, _ = tool_result_content([{"type": "text", "text": "bad \ud800 surrogate"}], None)
    assert content == [{"type": "text", "text": "bad \ufffd surrogate"}]


_KEYS = ["type", "text", "data", "mimeType", "resource", "uri", "blob", "name", "title",
         "description", "annotations"]
_leaf = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
         | st.sampled_from([b64(picture("PNG")), b64(PDF), "%%", "", " ", "image/png",
                            "application/pdf", b64(png_header(9000, 9000))]))
_value = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5), max_leaves=10)
_item = st.fixed_dictionaries(
    {"type": st.sampled_from(["text", "image", "audio", "resource", "resource_link", "x"])},
    optional={key: _value for key in _KEYS[1:]})


@settings(max_examples=300, deadline=None)
@given(st.lists(_item | _value, max_size=6) | _value, _value)
def test_any_json_a_server_sends_gives_content_the_api_takes(
        mcp_content: Any, structured: Any) -> None:
    content, notes = tool_result_content(mcp_content, structured)
    assert_api_content(content)
    assert all(isinstance(note, str) and note for note in notes)
