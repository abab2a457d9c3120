"""Images and PDFs made ready for the API: every picture here is generated in memory."""

from __future__ import annotations

import base64
import concurrent.futures
import functools
import hashlib
import io
import os
import random
import struct
import time
import warnings
import zlib
from typing import Any

import pytest
from PIL import Image

from desktop_app.core.images import (
    API_MAX_EDGE,
    DEFAULT_MAX_EDGE,
    MANY_IMAGES_MAX_EDGE,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_DATA_BYTES,
    MAX_PDF_BYTES,
    MAX_REQUEST_BYTES,
    MAX_SOURCE_BYTES,
    ImageError,
    PreparedImage,
    estimate_image_tokens,
    file_suffix,
    prepare_image,
    prepare_pdf,
    resolve_attachment_block,
    stored_document_block,
    stored_image_block,
    url_image_block,
)

# -- helpers ----------------------------------------------------------------------------------


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@functools.lru_cache(maxsize=3)
def photo(width: int, height: int, noise: float = 0.2) -> Image.Image:
    """Smooth random colour fields with grain: compresses like a photograph (do not modify)."""
    small = (width // 16 + 1, height // 16 + 1)
    base = Image.frombytes("RGB", small, os.urandom(small[0] * small[1] * 3))
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    return Image.blend(base, grain, noise)


def diagram(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A few flat colours: compresses like a screenshot or a chart."""
    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste((200, 30, 30), (0, 0, width // 2, height // 2))
    image.paste((30, 30, 200), (width // 2, height // 2, width, height))
    return image.convert(mode)


def decoded(prepared: PreparedImage) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    image.load()
    return image


def png_claiming(width: int, height: int, mode: str = "RGB") -> bytes:
    """A real 1x1 PNG whose header is patched to claim another size (the CRC fixed up)."""
    data = bytearray(encode(Image.new(mode, (1, 1)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def assert_prepared_consistently(prepared: PreparedImage) -> Image.Image:
    image = decoded(prepared)
    assert image.size == (prepared.width, prepared.height)
    assert prepared.sha256 == hashlib.sha256(prepared.data).hexdigest()
    assert prepared.estimated_tokens == estimate_image_tokens(prepared.width, prepared.height)
    assert len(base64.b64encode(prepared.data)) <= MAX_IMAGE_BYTES
    assert Image.MIME[image.format or ""] == prepared.media_type
    return image


# -- what is sent unchanged -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mode", "media_type"),
    [
        ("JPEG", "RGB", "image/jpeg"),
        ("JPEG", "L", "image/jpeg"),
        ("PNG", "RGB", "image/png"),
        ("PNG", "RGBA", "image/png"),
        ("PNG", "P", "image/png"),
        ("GIF", "P", "image/gif"),
        ("WEBP", "RGB", "image/webp"),
    ],
)
def test_a_small_upright_picture_in_an_api_format_is_sent_unchanged(
    fmt: str, mode: str, media_type: str
) -> None:
    data = encode(diagram(640, 480, mode), fmt)
    prepared = prepare_image(data, name=f"small.{fmt.lower()}")
    assert prepared.data == data
    assert prepared.media_type == media_type
    assert (prepared.width, prepared.height) == (640, 480)
    assert (prepared.original_width, prepared.original_height) == (640, 480)
    assert prepared.original_bytes == len(data)
    assert prepared.name == f"small.{fmt.lower()}"
    assert_prepared_consistently(prepared)


def test_preparing_is_deterministic() -> None:
    data = encode(photo(2000, 1500), "JPEG", quality=90)
    assert prepare_image(data, name="a.jpg") == prepare_image(data, name="a.jpg")


# -- sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "max_edge", "expected"),
    [
        ((4000, 3000), DEFAULT_MAX_EDGE, (1568, 1176)),
        ((1500, 2000), 1000, (750, 1000)),
        ((4000, 3000), MANY_IMAGES_MAX_EDGE, (2000, 1500)),
        ((5000, 500), 1000, (1000, 100)),
        ((1920, 1080), 1280, (1280, 720)),
    ],
)
def test_a_large_picture_is_scaled_to_max_edge_keeping_its_aspect_ratio(
    size: tuple[int, int], max_edge: int, expected: tuple[int, int]
) -> None:
    data = encode(photo(*size), "JPEG", quality=90)
    prepared = prepare_image(data, name="big.jpg", max_edge=max_edge)
    assert (prepared.width, prepared.height) == expected
    assert max(prepared.width, prepared.height) == max_edge
    assert (prepared.original_width, prepared.original_height) == size
    assert prepared.media_type == "image/jpeg"
    assert_prepared_consistently(prepared)


def test_scaling_keeps_the_picture() -> None:
    image = diagram(2000, 1500)
    prepared = prepare_image(encode(image, "PNG"), name="chart.png")
    assert prepared.media_type == "image/png"  # a lossless source stays lossless
    result = decoded(prepared).convert("RGB")
    assert result.getpixel((100, 100)) == (200, 30, 30)
    assert result.getpixel((prepared.width - 100, prepared.height - 100)) == (30, 30, 200)
    assert result.getpixel((prepared.width - 100, 100)) == (255, 255, 255)


def test_a_scaled_jpeg_keeps_its_colours() -> None:
    data = encode(diagram(4000, 3000), "JPEG", quality=95)  # decoded at half scale, then scaled
    prepared = prepare_image(data, name="chart.jpg")
    result = decoded(prepared).convert("RGB")
    for point, colour in (((100, 100), (200, 30, 30)), ((1400, 1000), (30, 30, 200)),
                          ((1400, 100), (255, 255, 255))):
        assert all(abs(a - b) <= 4 for a, b in zip(result.getpixel(point), colour, strict=True))


def test_a_noisy_8000x6000_photo_fits_the_api_limit() -> None:
    grain = Image.frombytes("RGB", (2000, 1500), os.urandom(2000 * 1500 * 3))
    data = encode(grain.resize((8000, 6000), Image.Resampling.NEAREST), "JPEG", quality=85)
    assert len(data) > MAX_IMAGE_BYTES
    prepared = prepare_image(data, name="noise.jpg", max_edge=API_MAX_EDGE)
    assert len(prepared.data) <= MAX_IMAGE_DATA_BYTES
    assert abs(prepared.width / prepared.height - 4 / 3) < 0.002
    assert max(prepared.width, prepared.height) <= API_MAX_EDGE
    assert_prepared_consistently(prepared)


def test_a_large_transparent_png_shrinks_until_it_fits_and_keeps_its_alpha() -> None:
    grain = Image.frombytes("RGBA", (1200, 900), os.urandom(1200 * 900 * 4))
    data = encode(grain, "PNG", compress_level=1)
    assert len(data) > MAX_IMAGE_DATA_BYTES
    prepared = prepare_image(data, name="noise.png", max_edge=API_MAX_EDGE)
    assert prepared.media_type == "image/png"
    assert len(prepared.data) <= MAX_IMAGE_DATA_BYTES
    assert prepared.width < 1200
    assert abs(prepared.width / prepared.height - 4 / 3) < 0.01
    assert assert_prepared_consistently(prepared).mode == "RGBA"


def test_a_photo_prepares_quickly() -> None:
    data = encode(photo(4000, 3000), "JPEG", quality=90)
    start = time.perf_counter()
    prepare_image(data, name="photo.jpg")
    assert time.perf_counter() - start < 2.0  # the real figure: benchmarks/image_prepare.py


@pytest.mark.parametrize("max_edge", [0, -1, API_MAX_EDGE + 1])
def test_max_edge_must_be_within_the_api_limit(max_edge: int) -> None:
    with pytest.raises(ValueError, match="max_edge"):
        prepare_image(encode(diagram(10, 10), "PNG"), name="a.png", max_edge=max_edge)


# -- formats and modes ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_formats_the_api_does_not_take_become_jpeg_for_photos_and_png_for_graphics(
    fmt: str,
) -> None:
    as_photo = prepare_image(encode(photo(800, 600), fmt), name=f"photo.{fmt.lower()}")
    assert as_photo.media_type == "image/jpeg"
    assert (as_photo.width, as_photo.height) == (800, 600)
    assert_prepared_consistently(as_photo)
    as_graphic = prepare_image(encode(diagram(800, 600), fmt), name=f"chart.{fmt.lower()}")
    assert as_graphic.media_type == "image/png"
    assert decoded(as_graphic).convert("RGB").getpixel((10, 10)) == (200, 30, 30)


def test_a_tiff_with_transparency_becomes_png_with_alpha() -> None:
    image = diagram(300, 200, "RGBA")
    image.putalpha(128)
    prepared = prepare_image(encode(image, "TIFF"), name="scan.tif")
    assert prepared.media_type == "image/png"
    assert decoded(prepared).getpixel((5, 5)) == (200, 30, 30, 128)


def test_an_icon_becomes_png() -> None:
    image = diagram(64, 64, "RGBA")
    prepared = prepare_image(encode(image, "ICO", sizes=[(64, 64)]), name="app.ico")
    assert prepared.media_type == "image/png"
    assert (prepared.width, prepared.height) == (64, 64)


def test_a_cmyk_jpeg_becomes_an_rgb_jpeg() -> None:
    data = encode(photo(800, 600).convert("CMYK"), "JPEG", quality=90)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    prepared = prepare_image(data, name="print.jpg")
    assert prepared.media_type == "image/jpeg"
    assert assert_prepared_consistently(prepared).mode == "RGB"


def test_a_png_with_alpha_that_is_scaled_stays_png_with_alpha() -> None:
    image = diagram(2000, 1500, "RGBA")
    image.putalpha(Image.linear_gradient("L").resize((2000, 1500)))
    prepared = prepare_image(encode(image, "PNG"), name="logo.png")
    assert prepared.media_type == "image/png"
    result = assert_prepared_consistently(prepared)
    assert result.mode == "RGBA"
    assert result.getpixel((5, 5))[3] < 10  # transparent at the top
    assert result.getpixel((5, prepared.height - 5))[3] > 245  # opaque at the bottom


def test_an_alpha_channel_that_is_fully_opaque_is_dropped() -> None:
    prepared = prepare_image(encode(diagram(2000, 1500, "RGBA"), "PNG"), name="a.png")
    assert assert_prepared_consistently(prepared).mode == "RGB"


def test_a_palette_png_with_a_transparent_colour_keeps_it_when_scaled() -> None:
    image = diagram(2000, 1000).convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    image.info["transparency"] = image.getpixel((1999, 0))  # the white corner
    prepared = prepare_image(encode(image, "PNG", transparency=image.info["transparency"]),
                             name="p.png")
    result = assert_prepared_consistently(prepared)
    assert result.mode == "RGBA"
    assert result.getpixel((prepared.width - 5, 5))[3] == 0
    assert result.getpixel((5, 5)) == (200, 30, 30, 255)


def test_a_gray_png_with_alpha_stays_gray_with_alpha_when_scaled() -> None:
    image = Image.merge("LA", (Image.new("L", (2000, 1000), 90), Image.new("L", (2000, 1000), 40)))
    prepared = prepare_image(encode(image, "PNG"), name="la.png")
    result = assert_prepared_consistently(prepared)
    assert result.mode == "LA"
    gray, alpha = result.getpixel((10, 10))
    assert abs(gray - 90) <= 1 and alpha == 40


def test_a_16_bit_grayscale_png_becomes_8_bit_with_the_same_brightness() -> None:
    image = Image.new("I;16", (300, 200), 40000)
    prepared = prepare_image(encode(image, "PNG"), name="scan16.png")
    assert prepared.media_type == "image/png"
    result = decoded(prepared)
    assert result.mode == "L"
    assert abs(result.getpixel((10, 10)) - 40000 / 257) <= 1


def test_an_animated_gif_sends_its_first_frame() -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "green", "blue")]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    prepared = prepare_image(data, name="anim.gif")
    assert prepared.media_type == "image/png"
    result = assert_prepared_consistently(prepared)
    assert getattr(result, "n_frames", 1) == 1
    assert result.convert("RGB").getpixel((60, 40)) == (255, 0, 0)


def test_an_animated_webp_sends_its_first_frame() -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    prepared = prepare_image(data, name="anim.webp")
    assert prepared.media_type == "image/png"  # few colours
    red, green, blue = decoded(prepared).convert("RGB").getpixel((60, 40))
    assert red > 240 and green < 15 and blue < 15


def test_a_large_webp_photo_is_scaled_and_sent_as_jpeg() -> None:
    data = encode(photo(2000, 1500), "WEBP", quality=80, method=0)
    prepared = prepare_image(data, name="w.webp")
    assert prepared.media_type == "image/jpeg"
    assert (prepared.width, prepared.height) == (1568, 1176)


# -- orientation and metadata -----------------------------------------------------------------


def with_orientation(
    image: Image.Image, orientation: int, extra: dict[int, Any] | None = None
) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.update(extra or {})
    return encode(image, "JPEG", quality=95, exif=exif.tobytes())


def left_red_right_blue(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), (220, 0, 0))
    image.paste((0, 0, 220), (width // 2, 0, width, height))
    return image


def test_exif_orientation_6_turns_the_picture_upright() -> None:
    data = with_orientation(left_red_right_blue(400, 200), 6)  # stored lying on its side
    prepared = prepare_image(data, name="phone.jpg")
    assert (prepared.width, prepared.height) == (200, 400)
    assert (prepared.original_width, prepared.original_height) == (200, 400)
    result = decoded(prepared)
    assert 0x0112 not in result.getexif()
    top, bottom = result.getpixel((100, 20)), result.getpixel((100, 380))
    assert top[0] > 180 and top[2] < 60  # turned clockwise: the stored left is now on top
    assert bottom[2] > 180 and bottom[0] < 60


def test_a_large_turned_photo_is_scaled_and_turned() -> None:
    data = with_orientation(photo(4000, 3000), 6)
    prepared = prepare_image(data, name="phone.jpg")
    assert (prepared.width, prepared.height) == (1176, 1568)
    assert (prepared.original_width, prepared.original_height) == (3000, 4000)


def test_orientation_1_keeps_its_size_and_loses_its_exif() -> None:
    """Any EXIF means re-encoding (it may hold a location); the picture itself is unchanged."""
    data = with_orientation(left_red_right_blue(400, 200), 1)
    prepared = prepare_image(data, name="a.jpg")
    assert (prepared.width, prepared.height) == (400, 200)
    assert not decoded(prepared).getexif()


def test_location_and_camera_metadata_are_not_sent_when_a_photo_is_re_encoded() -> None:
    data = with_orientation(photo(2000, 1500), 1, {0x010F: "Camera maker",
                                                    0x010E: "Our house, 12 Elm Street"})
    prepared = prepare_image(data, name="trip.jpg")
    assert prepared.data != data
    result = decoded(prepared)
    assert not result.getexif()
    assert b"Camera maker" not in prepared.data
    assert b"Elm Street" not in prepared.data


def test_the_colour_profile_is_kept() -> None:
    profile = b"\0" * 128 + b"fake profile"  # carried as bytes; not interpreted
    data = encode(photo(2000, 1500), "JPEG", quality=90, icc_profile=profile)
    prepared = prepare_image(data, name="p3.jpg")
    assert decoded(prepared).info.get("icc_profile") == profile


# -- refusals ---------------------------------------------------------------------------------


def refusal(data: bytes, name: str = "file.jpg") -> str:
    with pytest.raises(ImageError) as caught:
        prepare_image(data, name=name)
    message = str(caught.value)
    assert message.startswith(name)
    assert message.endswith(".") and message.count(". ") == 0  # one sentence
    return message


def test_an_empty_file_is_refused() -> None:
    assert refusal(b"") == "file.jpg is empty."


def test_a_file_over_50_mb_is_refused_without_decoding() -> None:
    message = refusal(b"\xff" * (MAX_SOURCE_BYTES + 1))
    assert message == "file.jpg is larger than 50 MB, too large to attach."


def test_a_truncated_jpeg_is_damaged() -> None:
    data = encode(photo(800, 600), "JPEG", quality=90)
    assert refusal(data[: len(data) // 2]) == "file.jpg is damaged or incomplete."


def test_a_truncated_jpeg_that_needs_scaling_is_damaged() -> None:
    data = encode(photo(2000, 1500), "JPEG", quality=90)
    assert refusal(data[: len(data) // 2]) == "file.jpg is damaged or incomplete."


def test_a_truncated_png_is_damaged() -> None:
    data = encode(photo(400, 300), "PNG")
    assert refusal(data[: len(data) // 2], "shot.png") == "shot.png is damaged or incomplete."


def test_a_png_with_a_bad_checksum_is_damaged() -> None:
    data = bytearray(encode(photo(400, 300), "PNG"))
    data[len(data) // 2] ^= 0xFF
    assert "damaged or incomplete" in refusal(bytes(data), "shot.png")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(5000),
        b"Dear diary,\nnot an image at all.\n" * 20,
        b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n",
        b"\xff\xd8\xff" + random.Random(2).randbytes(1000),  # a JPEG signature, then rubbish
        b"\x89PNG\r\n\x1a\n",  # a PNG signature and nothing else
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # never handed to Ghostscript
    ],
    ids=["random", "text", "pdf", "jpeg-signature", "png-signature", "svg", "eps"],
)
def test_a_file_that_is_not_an_image_is_refused(data: bytes) -> None:
    assert refusal(data, "notes.png") == "notes.png is not an image Cairn can read."


@pytest.mark.parametrize(("width", "height"), [(20000, 10000), (10500, 10000), (100_001, 1000)])
def test_a_decompression_bomb_is_refused_without_a_warning(width: int, height: int) -> None:
    # pytest turns warnings into errors here, so Pillow's DecompressionBombWarning would fail.
    message = refusal(png_claiming(width, height), "bomb.png")
    assert message == "bomb.png is too large to open: pictures can have at most 100 megapixels."


def test_a_picture_just_under_the_pixel_limit_is_opened_without_a_warning() -> None:
    # Over Pillow's own warning threshold (89 MP), under Cairn's limit: it gets decoded (and
    # is damaged, as the header is all there is), with no warning.
    data = png_claiming(9500, 10000, "L")  # 1 byte a pixel: a 95 MB buffer is allocated
    assert refusal(data, "big.png") == "big.png is damaged or incomplete."


def test_threads_can_prepare_at_once_and_leave_the_warning_filters_as_they_were() -> None:
    filters = list(warnings.filters)
    bomb, good = png_claiming(20000, 10000), encode(photo(2000, 1500), "JPEG")

    def attempt(data: bytes) -> str:
        try:
            return prepare_image(data, name="x").media_type
        except ImageError as exc:
            return str(exc)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(attempt, [bomb, good] * 4))
    assert results[:2] == ["x is too large to open: pictures can have at most 100 megapixels.",
                           "image/jpeg"]
    assert set(results) == set(results[:2])
    assert warnings.filters == filters


def test_messages_name_the_file_and_fall_back_to_a_generic_name() -> None:
    with pytest.raises(ImageError, match=r"^The image is empty\.$"):
        prepare_image(b"", name="")


# -- tokens -----------------------------------------------------------------------------------


def test_token_estimate() -> None:
    cases = {(1024, 1024): 1446, (512, 512): 438, (1920, 1080): 2768, (1, 1): 78, (28, 28): 78,
             (29, 28): 79, (1568, 1176): 56 * 42 + 77}
    assert {size: estimate_image_tokens(*size) for size in cases} == cases


def test_token_estimate_needs_a_real_size() -> None:
    with pytest.raises(ValueError):
        estimate_image_tokens(0, 10)


# -- blocks -----------------------------------------------------------------------------------


def test_stored_image_block_resolves_to_valid_base64() -> None:
    prepared = prepare_image(encode(photo(2000, 1500), "JPEG"), name="cat.jpg")
    block = stored_image_block(prepared)
    assert block == {
        "type": "image",
        "source": {"type": "cairn_attachment", "sha256": prepared.sha256,
                   "media_type": "image/jpeg"},
        "cairn": {"name": "cat.jpg", "width": 1568, "height": 1176,
                  "bytes": len(prepared.data)},
    }
    loaded: list[str] = []

    def load(sha256: str) -> bytes:
        loaded.append(sha256)
        return prepared.data

    resolved = resolve_attachment_block(block, load)
    assert loaded == [prepared.sha256]
    assert set(resolved) == {"type", "source"}
    assert resolved["type"] == "image"
    assert resolved["source"]["type"] == "base64"
    assert resolved["source"]["media_type"] == "image/jpeg"
    assert base64.b64decode(resolved["source"]["data"], validate=True) == prepared.data
    assert block["source"]["type"] == "cairn_attachment"  # the stored block is not changed


def test_other_keys_of_a_stored_block_are_kept() -> None:
    prepared = prepare_image(encode(diagram(10, 10), "PNG"), name="x.png")
    block = stored_image_block(prepared) | {"cache_control": {"type": "ephemeral"}}
    resolved = resolve_attachment_block(block, lambda _: prepared.data)
    assert resolved["cache_control"] == {"type": "ephemeral"}


def test_a_missing_attachment_is_reported_by_the_loader() -> None:
    prepared = prepare_image(encode(diagram(10, 10), "PNG"), name="x.png")

    def load(sha256: str) -> bytes:
        raise FileNotFoundError(f"{sha256} is missing")

    with pytest.raises(FileNotFoundError):
        resolve_attachment_block(stored_image_block(prepared), load)


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image", "source": {"type": "cairn_attachment", "media_type": "image/png"}},
        {"type": "image", "source": {"type": "cairn_attachment", "sha256": "ab" * 32,
                                     "media_type": "application/pdf"}},
        {"type": "document", "source": {"type": "cairn_attachment", "sha256": "ab" * 32,
                                        "media_type": "image/png"}},
    ],
)
def test_a_malformed_attachment_block_is_refused(block: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        resolve_attachment_block(block, lambda _: b"")


def test_blocks_without_attachments_pass_through_without_cairns_notes() -> None:
    url_block = url_image_block("https://example.com/cat.png")
    stored = url_block | {"cairn": {"name": "cat.png"}}
    assert resolve_attachment_block(stored, _never_load) == url_block
    text = {"type": "text", "text": "hello"}
    assert resolve_attachment_block(text, _never_load) == text


def _never_load(sha256: str) -> bytes:
    raise AssertionError("nothing should be loaded")


def test_url_image_block_takes_http_and_https_links() -> None:
    for url in ("https://example.com/cat.png", "http://example.com:8080/a/b.jpg?x=1#y",
                "HTTPS://EXAMPLE.COM/X.PNG", "https://[2001:db8::1]/a.png",
                "https://user@host/a.png"):
        assert url_image_block(url) == {"type": "image", "source": {"type": "url", "url": url}}


def test_url_image_block_refuses_other_links() -> None:
    for url in ("", "example.com/cat.png", "/tmp/cat.png", "file:///etc/passwd",
                "ftp://example.com/a.png", "javascript:alert(1)", "data:image/png;base64,AAAA",
                "https://", "http:///path", "https://[::1/a.png", " https://example.com/a.png",
                "https://exa mple.com/a.png"):
        with pytest.raises(ImageError, match=r"^Only http and https image links can be sent\.$"):
            url_image_block(url)


def test_file_suffixes() -> None:
    assert [file_suffix(t) for t in ("image/jpeg", "image/png", "image/gif", "image/webp",
                                     "application/pdf", "text/plain")] == [
        ".jpg", ".png", ".gif", ".webp", ".pdf", ""]


# -- PDFs -------------------------------------------------------------------------------------


def pdf_with_pages(count: int, *, compressed: bool = False) -> bytes:
    """A small, well-formed PDF; with ``compressed`` its pages sit in an object stream."""
    kids = " ".join(f"{3 + n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * count
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add(number: int, body: bytes) -> None:
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    for number, body in enumerate(objects, 1):
        add(number, body)
    if compressed:
        header = " ".join(f"{3 + n} {n * len(pages[0])}" for n in range(count)).encode() + b" "
        text = zlib.compress(header + b"".join(pages))
        add(3 + count, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (count, len(header), len(text)) + text + b"\nendstream")
    else:
        for n, body in enumerate(pages):
            add(3 + n, body)
    out.extend(b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")
    return bytes(out)


def test_prepare_pdf_counts_pages_not_the_page_tree() -> None:
    data = pdf_with_pages(3)
    document = prepare_pdf(data, "report.pdf")
    assert document.page_count == 3
    assert document.data == data
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size_bytes == len(data)
    assert document.media_type == "application/pdf"


def test_prepare_pdf_counts_pages_inside_object_streams() -> None:
    assert prepare_pdf(pdf_with_pages(4, compressed=True), "new.pdf").page_count == 4


def test_prepare_pdf_reads_a_pdf_pillow_wrote() -> None:
    pages = [diagram(200, 100) for _ in range(5)]
    data = encode(pages[0], "PDF", save_all=True, append_images=pages[1:])
    assert prepare_pdf(data, "scan.pdf").page_count == 5


def test_prepare_pdf_without_countable_pages_says_so() -> None:
    assert prepare_pdf(b"%PDF-1.4\n%%EOF\n", "odd.pdf").page_count is None


def test_stored_document_block_resolves_to_valid_base64() -> None:
    document = prepare_pdf(pdf_with_pages(2), "report.pdf")
    block = stored_document_block(document)
    assert block == {
        "type": "document",
        "source": {"type": "cairn_attachment", "sha256": document.sha256,
                   "media_type": "application/pdf"},
        "cairn": {"name": "report.pdf", "pages": 2, "bytes": len(document.data)},
    }
    resolved = resolve_attachment_block(block, lambda _: document.data)
    assert resolved == {"type": "document", "source": {
        "type": "base64", "media_type": "application/pdf",
        "data": base64.b64encode(document.data).decode("ascii")}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "report.pdf is empty."),
        (encode(diagram(10, 10), "PNG"), "report.pdf is not a PDF file."),
        (b"Just text, %%EOF\n", "report.pdf is not a PDF file."),
        (pdf_with_pages(2)[:-40], "report.pdf is damaged or incomplete."),
        (pdf_with_pages(1).replace(b"<< /Root 1 0 R >>", b"<< /Root 1 0 R /Encrypt 9 0 R >>"),
         "report.pdf is encrypted or password-protected, which the API cannot read."),
    ],
    ids=["empty", "png", "text", "truncated", "encrypted"],
)
def test_prepare_pdf_refuses(data: bytes, message: str) -> None:
    with pytest.raises(ImageError) as caught:
        prepare_pdf(data, "report.pdf")
    assert str(caught.value) == message


def test_prepare_pdf_refuses_a_pdf_too_large_to_send() -> None:
    data = b"%PDF-1.7\n" + b"0" * MAX_PDF_BYTES + b"\n%%EOF\n"
    with pytest.raises(ImageError) as caught:
        prepare_pdf(data, "big.pdf")
    assert str(caught.value) == "big.pdf is larger than 24 MB, too large to send in a request."
    assert len(base64.b64encode(b"0" * MAX_PDF_BYTES)) <= MAX_REQUEST_BYTES


def test_location_metadata_is_never_sent() -> None:
    """A photo with GPS data in its EXIF is re-encoded without it, even when it is small."""
    import io as _io

    from PIL import Image as _Image

    from desktop_app.core.images import prepare_image as _prepare

    exif = _Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = _io.BytesIO()
    _Image.new("RGB", (320, 240), (10, 200, 30)).save(out, "JPEG", exif=exif.tobytes())
    prepared = _prepare(out.getvalue(), name="holiday.jpg")
    sent = _Image.open(_io.BytesIO(prepared.data))
    assert not sent.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in prepared.data
    assert prepared.width == 320 and prepared.height == 240
