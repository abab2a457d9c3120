"""Attachments made ready for the Messages API: images and PDFs, from bytes to content blocks.

People attach whatever they have: 12-megapixel phone photos lying on their side, screenshots,
TIFF scans, CMYK JPEGs, animated GIFs, damaged downloads. The API takes JPEG, PNG, GIF and
WebP of at most 8000 px a side and 5 MB (measured on the base64 text it receives), and scales
anything larger than about 1568 px down itself - so sending more only costs upload time and
latency. ``prepare_image`` turns any readable picture into the smallest faithful file the API
accepts, or refuses it with one sentence the user can act on. Files that are already fine are
sent byte for byte as they are.

History does not hold the bytes: it stores a ``cairn_attachment`` block naming the file by its
SHA-256 (the storage layer keeps the file), and ``resolve_attachment_block`` turns it into the
API's base64 block when a request is built. This module does no file I/O and has no Qt.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import math
import re
import struct
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

ImageMediaType = Literal["image/jpeg", "image/png", "image/gif", "image/webp"]

MAX_IMAGES_PER_REQUEST = 100
MANY_IMAGES = 20  # above this many images in one request ...
MANY_IMAGES_MAX_EDGE = 2000  # ... no image may be larger than this on either side
API_MAX_EDGE = 8000  # the API refuses an image larger than this on either side
DEFAULT_MAX_EDGE = 1568  # the API scales longer edges down to this anyway
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # the API's per-image limit, on the base64 text it receives
MAX_IMAGE_DATA_BYTES = MAX_IMAGE_BYTES // 4 * 3  # the raw bytes whose base64 is MAX_IMAGE_BYTES
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # larger files are refused before decoding
MAX_SOURCE_PIXELS = 100_000_000  # larger pictures are refused before decoding (bomb guard)
JPEG_QUALITY = 85
MAX_REQUEST_BYTES = 32 * 1024 * 1024  # the API's limit on a whole request
MAX_PDF_BYTES = MAX_REQUEST_BYTES // 4 * 3  # its base64 text alone fills a request

PDF_MEDIA_TYPE: Final = "application/pdf"

_MEDIA_TYPES: dict[str, ImageMediaType] = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
_SUFFIXES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    PDF_MEDIA_TYPE: ".pdf",
}
# Files in these formats and modes are sent unchanged when small enough and upright.
_SENDABLE_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "GIF": {"L", "P"},
    "WEBP": {"RGB", "RGBA"},
}
# Formats Pillow may try. Formats without a signature (TGA) would "read" random bytes, and
# EPS would run Ghostscript on whatever was attached. HEIF and AVIF count only when a plugin
# registered them.
_READABLE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "MPO", "BMP", "TIFF", "ICO", "HEIF", "AVIF")
# What a damaged file makes Pillow raise while it decodes (it is not consistent about it).
_DECODE_ERRORS = (
    OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError, KeyError,
    ZeroDivisionError,
)
_GRAY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"}
_RGB_MODES = {"P", "PA", "RGB", "RGBA", "RGBa", "RGBX"}
_REDUCING_GAP = 2.0  # resize() reduce()s by whole factors first, leaving >= 2x (as thumbnail)
_MAX_ENCODE_ATTEMPTS = 12


class ImageError(Exception):
    """An attachment Cairn cannot send; ``str(error)`` is one clear sentence for the user."""


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to send.

    Attributes:
        data: the file to send (the original bytes when nothing had to change).
        media_type: its format, one the API accepts.
        width: its width in pixels, upright.
        height: its height in pixels, upright.
        original_width: the attached picture's width, upright (after EXIF orientation).
        original_height: the attached picture's height, upright.
        original_bytes: the size of the attached file.
        name: the file name shown to the user.
        sha256: hex digest of ``data``; the attachment's identity in storage and history.
        estimated_tokens: what the image should cost in input tokens.
    """

    data: bytes = field(repr=False)
    media_type: ImageMediaType
    width: int
    height: int
    original_width: int
    original_height: int
    original_bytes: int
    name: str
    sha256: str
    estimated_tokens: int

    @property
    def size_bytes(self) -> int:
        """The size of ``data``."""
        return len(self.data)


@dataclass(frozen=True)
class PreparedDocument:
    """A PDF ready to send.

    Attributes:
        data: the file, unchanged.
        name: the file name shown to the user.
        sha256: hex digest of ``data``.
        page_count: pages found in the file (an estimate), or None when they could not be
            counted.
        media_type: always ``application/pdf``.
    """

    data: bytes = field(repr=False)
    name: str
    sha256: str
    page_count: int | None
    media_type: Literal["application/pdf"] = PDF_MEDIA_TYPE

    @property
    def size_bytes(self) -> int:
        """The size of ``data``."""
        return len(self.data)


# -- images -----------------------------------------------------------------------------------


def estimate_image_tokens(width: int, height: int) -> int:
    """Input tokens an image of this size should cost.

    An estimate of the current models' formula: one token per 28 x 28 pixel patch (partial
    patches count whole) plus 77. The API's own count may differ slightly; images the API
    scales down cost what their scaled size costs.

    Raises:
        ValueError: when a side is not a positive number of pixels.
    """
    if width < 1 or height < 1:
        raise ValueError(f"an image needs a positive size, not {width}x{height}")
    return math.ceil(width / 28) * math.ceil(height / 28) + 77


def prepare_image(data: bytes, *, name: str, max_edge: int = DEFAULT_MAX_EDGE) -> PreparedImage:
    """Make an attached picture ready to send, or say in one sentence why it cannot be.
    (Pillow is loaded here, when a picture is first attached, not when Cairn starts.)

    The picture is turned upright (EXIF orientation), an animation keeps its first frame, and
    a picture longer than ``max_edge`` is scaled down (Lanczos, after a JPEG is decoded at a
    reduced scale and others are reduce()d by an integer factor). Formats and colour modes the
    API does not take become PNG when the picture has transparency or few colours, else JPEG
    (quality 85); PNG and GIF sources stay lossless. Metadata other than the colour profile
    (location, camera) is dropped from re-encoded files. If the result is over the API's
    5 MB, JPEG quality and then the size are lowered until it fits. A JPEG, PNG, static GIF or
    WebP that is upright, within ``max_edge`` and small enough is sent unchanged (once it has
    decoded completely).

    Args:
        data: the attached file.
        name: the file name, used in messages.
        max_edge: the longest side allowed, at most ``API_MAX_EDGE``; pass
            ``MANY_IMAGES_MAX_EDGE`` (or less) for a request holding more than ``MANY_IMAGES``.

    Raises:
        ImageError: the file is empty, too large, not a picture, or damaged.
        ValueError: ``max_edge`` is outside 1 .. ``API_MAX_EDGE``.
    """
    from desktop_app.core.image_pillow import prepare_with_pillow

    return prepare_with_pillow(data, name=name, max_edge=max_edge)


PixelLayout = Literal["RGBA", "BGRA", "RGBX", "BGRX", "RGB", "L"]


def prepare_pixels(
    pixels: bytes | bytearray | memoryview,
    *,
    width: int,
    height: int,
    stride: int,
    layout: PixelLayout,
    name: str,
    max_edge: int = DEFAULT_MAX_EDGE,
) -> PreparedImage:
    """Like ``prepare_image``, for a picture that is already decoded (a pasted screenshot):
    rows of ``stride`` bytes, each pixel's bytes in ``layout`` order ("BGRA" is a
    little-endian 0xAARRGGBB word; X is an unused byte). It is scaled down to ``max_edge`` and
    encoded as PNG (JPEG if a PNG would be over the API's limit), with no detour through an
    encoded copy of the full-size picture.

    Raises:
        ImageError: the picture is empty or over ``MAX_SOURCE_PIXELS``.
        ValueError: ``max_edge`` is outside 1 .. ``API_MAX_EDGE``, or the buffer is too short.
    """
    from desktop_app.core.image_pillow import prepare_pixels_with_pillow

    return prepare_pixels_with_pillow(
        pixels, width=width, height=height, stride=stride, layout=layout, name=name,
        max_edge=max_edge,
    )


def thumbnail_rgba(data: bytes, edge: int) -> tuple[int, int, bytes] | None:
    """A prepared or stored image's thumbnail, at most ``edge`` pixels a side, upright, as
    (width, height, RGBA bytes); None if the bytes are not a picture Cairn can read. For
    showing a picture without decoding it on the UI thread."""
    from desktop_app.core.image_pillow import thumbnail_with_pillow

    return thumbnail_with_pillow(data, edge)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


# -- PDFs -------------------------------------------------------------------------------------

_PDF_SIGNATURE_WITHIN = 1024  # readers accept a little junk before %PDF- and after %%EOF
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])")
_ENCRYPTED = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_INFLATE_BUDGET = 32 * 1024 * 1024  # at most this much object-stream text is decompressed


def prepare_pdf(data: bytes, name: str) -> PreparedDocument:
    """Check that a file looks like a whole, unencrypted PDF the API can take.

    The page count is an estimate: it counts ``/Type /Page`` objects, also inside compressed
    object streams; a file edited in place may hold old copies of pages too.

    Raises:
        ImageError: the file is empty, too large, not a PDF, cut short or encrypted.
    """
    label = name or "The PDF"
    if not data:
        raise ImageError(f"{label} is empty.")
    if len(data) > MAX_PDF_BYTES:
        raise ImageError(
            f"{label} is larger than {_megabytes(MAX_PDF_BYTES)}, too large to send in a request."
        )
    if b"%PDF-" not in data[:_PDF_SIGNATURE_WITHIN]:
        raise ImageError(f"{label} is not a PDF file.")
    if b"%%EOF" not in data[-_PDF_SIGNATURE_WITHIN:]:
        raise ImageError(f"{label} is damaged or incomplete.")
    if _ENCRYPTED.search(data):
        raise ImageError(f"{label} is encrypted or password-protected, which the API cannot read.")
    pages = len(_PAGE_OBJECT.findall(data))
    pages += sum(len(_PAGE_OBJECT.findall(text)) for text in _object_streams(data))
    return PreparedDocument(
        data=data, name=name, sha256=hashlib.sha256(data).hexdigest(), page_count=pages or None
    )


def _object_streams(data: bytes) -> Iterator[bytes]:
    """The decompressed text of the file's Flate object streams, where newer PDFs keep pages."""
    budget = _INFLATE_BUDGET
    view = memoryview(data)
    for match in _STREAM_START.finditer(data):
        head = data[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b"obj") :]  # this object's dictionary
        if b"/ObjStm" not in head or b"/FlateDecode" not in head:
            continue
        end = data.find(b"endstream", match.end())
        stream = view[match.end() : end if end >= 0 else len(data)]
        try:
            text = zlib.decompressobj().decompress(stream, budget)
        except zlib.error:
            continue
        yield text
        budget -= len(text)
        if budget <= 0:
            return


# -- content blocks ---------------------------------------------------------------------------


def file_suffix(media_type: str) -> str:
    """The file name suffix for an attachment of this media type (``.jpg``, ``.pdf``...)."""
    return _SUFFIXES.get(media_type, "")


def stored_image_block(prepared: PreparedImage) -> dict[str, Any]:
    """The block history keeps for a prepared image: a reference to the stored file."""
    return {
        "type": "image",
        "source": {
            "type": "cairn_attachment",
            "sha256": prepared.sha256,
            "media_type": prepared.media_type,
        },
        "cairn": {
            "name": prepared.name,
            "width": prepared.width,
            "height": prepared.height,
            "bytes": len(prepared.data),
        },
    }


def stored_document_block(document: PreparedDocument) -> dict[str, Any]:
    """The block history keeps for a prepared PDF: a reference to the stored file."""
    return {
        "type": "document",
        "source": {
            "type": "cairn_attachment",
            "sha256": document.sha256,
            "media_type": document.media_type,
        },
        "cairn": {
            "name": document.name,
            "pages": document.page_count,
            "bytes": len(document.data),
        },
    }


def url_image_block(url: str) -> dict[str, Any]:
    """An image block the API fetches itself from an http(s) link.

    Raises:
        ImageError: the link is not an absolute http or https URL with a host.
    """
    refused = ImageError("Only http and https image links can be sent.")
    if not isinstance(url, str) or url != url.strip() or any(c.isspace() for c in url):
        raise refused
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise refused from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise refused
    return {"type": "image", "source": {"type": "url", "url": url}}


_ATTACHMENT_MEDIA_TYPES = {"image": set(_SUFFIXES) - {PDF_MEDIA_TYPE}, "document": {PDF_MEDIA_TYPE}}


def resolve_attachment_block(
    block: dict[str, Any], load: Callable[[str], bytes]
) -> dict[str, Any]:
    """The API's shape of a stored block: attachments inlined as base64, Cairn's notes dropped.

    Blocks that do not reference a stored attachment (URL images, text, ...) come back as a
    copy without the ``cairn`` key.

    Args:
        block: a content block from history.
        load: reads an attachment's bytes by SHA-256 (``AttachmentStore.load``).

    Raises:
        ValueError: the block references an attachment but is malformed.
        FileNotFoundError: (from ``load``) the attachment is missing.
    """
    result = {key: copy.deepcopy(value) for key, value in block.items() if key != "cairn"}
    source = block.get("source")
    if not isinstance(source, dict) or source.get("type") != "cairn_attachment":
        return result
    kind = block.get("type")
    sha256 = source.get("sha256")
    media_type = source.get("media_type")
    if media_type not in _ATTACHMENT_MEDIA_TYPES.get(str(kind), ()) or not isinstance(sha256, str):
        raise ValueError(f"malformed attachment block: {kind!r}, {media_type!r}, {sha256!r}")
    result["source"] = {
        "type": "base64",
        "media_type": media_type,
        "data": base64.b64encode(load(sha256)).decode("ascii"),
    }
    return result
