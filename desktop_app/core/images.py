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
import contextlib
import copy
import hashlib
import io
import math
import re
import struct
import threading
import urllib.parse
import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

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
    if not 1 <= max_edge <= API_MAX_EDGE:
        raise ValueError(f"max_edge must be within 1..{API_MAX_EDGE}, not {max_edge}")
    label = name or "The image"
    if not data:
        raise ImageError(f"{label} is empty.")
    if len(data) > MAX_SOURCE_BYTES:
        limit = _megabytes(MAX_SOURCE_BYTES)
        raise ImageError(f"{label} is larger than {limit}, too large to attach.")
    too_large = ImageError(
        f"{label} is too large to open: pictures can have at most "
        f"{MAX_SOURCE_PIXELS // 1_000_000} megapixels."
    )
    with _quiet_pillow():
        try:
            source = Image.open(io.BytesIO(data), formats=_readable_formats())
        except Image.DecompressionBombError:
            raise too_large from None
        except UnidentifiedImageError:
            raise ImageError(f"{label} is not an image Cairn can read.") from None
        except _DECODE_ERRORS as exc:
            raise ImageError(f"{label} is damaged or incomplete.") from exc
        with source:
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise too_large
            try:
                return _prepare(source, data, name, max_edge)
            except Image.DecompressionBombError:
                raise too_large from None
            except MemoryError:
                raise too_large from None
            except _Damaged as exc:
                raise ImageError(f"{label} is damaged or incomplete.") from exc.__cause__


class _Damaged(Exception):
    """Decoding failed; raised from a Pillow exception (kept apart from our own errors)."""


def _prepare(
    source: ImageFile.ImageFile, data: bytes, name: str, max_edge: int
) -> PreparedImage:
    try:
        orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
        frames = getattr(source, "n_frames", 1)
    except _DECODE_ERRORS as exc:
        raise _Damaged from exc
    has_metadata = bool(source.info.get("exif")) or bool(source.info.get("xmp"))
    turned = orientation in (5, 6, 7, 8)
    upright = orientation not in (2, 3, 4, 5, 6, 7, 8)
    width, height = source.size
    original_width, original_height = (height, width) if turned else (width, height)

    def prepared(
        image_data: bytes, media_type: ImageMediaType, size: tuple[int, int]
    ) -> PreparedImage:
        return PreparedImage(
            data=image_data,
            media_type=media_type,
            width=size[0],
            height=size[1],
            original_width=original_width,
            original_height=original_height,
            original_bytes=len(data),
            name=name,
            sha256=hashlib.sha256(image_data).hexdigest(),
            estimated_tokens=estimate_image_tokens(*size),
        )

    fmt = source.format or ""
    if (
        source.mode in _SENDABLE_MODES.get(fmt, ())
        and frames == 1
        and upright
        and max(width, height) <= max_edge
        and len(data) <= MAX_IMAGE_DATA_BYTES
        and not has_metadata  # EXIF can carry the place a photo was taken: re-encode it away
    ):
        try:
            source.load()  # refuse a damaged file rather than send it
        except _DECODE_ERRORS as exc:
            raise _Damaged from exc
        return prepared(data, _MEDIA_TYPES[fmt], source.size)

    try:
        if max(width, height) > max_edge:
            # JPEG: let libjpeg decode at 1/2, 1/4 or 1/8 scale, still at least the target size.
            source.draft(None, _fitted_size(width, height, max_edge))
        source.load()  # the first frame of an animation
        image: Image.Image = source
        if not upright:
            image = ImageOps.exif_transpose(image)
        icc_profile = source.info.get("icc_profile")
        source_mode = image.mode
        image = _normalise_mode(image)
    except _DECODE_ERRORS as exc:
        raise _Damaged from exc

    if max(image.size) > max_edge:
        image = image.resize(
            _fitted_size(*image.size, max_edge), Image.Resampling.LANCZOS,
            reducing_gap=_REDUCING_GAP,
        )
    if not _same_colour_space(source_mode, image.mode):
        icc_profile = None
    image_data, out_format, size = _encode_to_fit(
        image, _output_format(image, fmt), icc_profile, name or "The image"
    )
    return prepared(image_data, _MEDIA_TYPES[out_format], size)


def _fitted_size(width: int, height: int, max_edge: int) -> tuple[int, int]:
    """The size with the same aspect ratio whose long edge is ``max_edge``."""
    if width >= height:
        return max_edge, max(1, round(height * max_edge / width))
    return max(1, round(width * max_edge / height)), max_edge


def _normalise_mode(image: Image.Image) -> Image.Image:
    """8-bit L, LA, RGB or RGBA: alpha only when some pixel is not fully opaque."""
    mode = image.mode
    gray = mode in _GRAY_MODES
    if mode.startswith("I;16"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif mode in ("I", "F"):
        low, high = image.getextrema()
        assert isinstance(low, (int, float)) and isinstance(high, (int, float))
        if low < 0 or high > 255:  # stretch the values it uses over 0..255
            scale = 255 / (high - low) if high > low else 0.0
            image = image.point(lambda v: v * scale - low * scale)
        image = image.convert("L")
    if image.has_transparency_data:
        image = image.convert("RGBA")
        alpha_low, _ = image.getchannel("A").getextrema()
        if alpha_low != 255:
            return image.convert("LA") if gray else image
    if gray:
        return image if image.mode == "L" else image.convert("L")
    return image if image.mode == "RGB" else image.convert("RGB")


def _same_colour_space(source_mode: str, mode: str) -> bool:
    """Whether a colour profile of the source still describes the result."""
    if mode in ("L", "LA"):
        return source_mode in _GRAY_MODES
    return source_mode in _RGB_MODES


def _output_format(image: Image.Image, source_format: str) -> str:
    """PNG for transparency, lossless sources and few colours; JPEG for photos."""
    if image.mode in ("LA", "RGBA") or source_format in ("PNG", "GIF"):
        return "PNG"
    if source_format not in ("JPEG", "MPO") and image.getcolors(256) is not None:
        return "PNG"
    return "JPEG"


def _encode_to_fit(
    image: Image.Image, fmt: str, icc_profile: bytes | None, label: str
) -> tuple[bytes, str, tuple[int, int]]:
    """Encode, lowering JPEG quality and then the size until the API's limit is met."""
    quality = JPEG_QUALITY
    shape = image.size  # every smaller size keeps this aspect ratio
    image.info = {}  # no EXIF, XMP or comments in what is sent; the profile goes explicitly
    for _ in range(_MAX_ENCODE_ATTEMPTS):
        buffer = io.BytesIO()
        options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
        if fmt == "JPEG":
            image.save(buffer, "JPEG", quality=quality, **options)
        else:
            image.save(buffer, "PNG", **options)
        encoded = buffer.getvalue()
        if len(encoded) <= MAX_IMAGE_DATA_BYTES:
            return encoded, fmt, image.size
        if fmt == "PNG" and image.mode in ("L", "RGB"):
            fmt = "JPEG"  # opaque: a photo-like PNG is much smaller as JPEG
            continue
        if fmt == "JPEG" and quality > 65 and len(encoded) <= 2 * MAX_IMAGE_DATA_BYTES:
            quality -= 10
            continue
        # Bytes grow roughly with the pixel count; aim a little under the limit.
        factor = min(0.9, max(0.25, 0.95 * math.sqrt(MAX_IMAGE_DATA_BYTES / len(encoded))))
        size = _fitted_size(*shape, max(1, int(max(image.size) * factor)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP)
    raise ImageError(f"{label} cannot be made small enough to send.")


def _readable_formats() -> list[str]:
    Image.init()  # registers every plugin, including any HEIF/AVIF plugin installed
    return [name for name in _READABLE_FORMATS if name in Image.OPEN]


_PILLOW_LOCK = threading.Lock()


@contextlib.contextmanager
def _quiet_pillow() -> Iterator[None]:
    """Silence Pillow's warnings about attached files: they are refused or repaired instead.

    Warning filters are process-wide (Python 3.11), and two threads entering and leaving
    ``catch_warnings`` out of order would leave each other's filters behind; so files are
    decoded one at a time, whichever thread asks.
    """
    with _PILLOW_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.filterwarnings("ignore", module=r"PIL(\.|$)")
        yield


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
