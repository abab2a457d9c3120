"""Preparing a picture with Pillow: the half of ``core.images`` that needs it.

Kept apart so that Pillow (about 30 ms to import) is loaded when a picture is first attached,
not while Cairn starts.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import threading
import warnings
from collections.abc import Iterator
from typing import Any, cast

from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

from desktop_app.core.images import (
    _DECODE_ERRORS,
    _GRAY_MODES,
    _MAX_ENCODE_ATTEMPTS,
    _MEDIA_TYPES,
    _READABLE_FORMATS,
    _REDUCING_GAP,
    _RGB_MODES,
    _SENDABLE_MODES,
    API_MAX_EDGE,
    DEFAULT_MAX_EDGE,
    JPEG_QUALITY,
    MAX_IMAGE_DATA_BYTES,
    MAX_SOURCE_BYTES,
    MAX_SOURCE_PIXELS,
    ImageError,
    ImageMediaType,
    PixelLayout,
    PreparedImage,
    _megabytes,
    estimate_image_tokens,
)


def prepare_with_pillow(data: bytes, *, name: str, max_edge: int = DEFAULT_MAX_EDGE) -> PreparedImage:
    """See ``core.images.prepare_image``."""
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


_PIXEL_MODES: dict[str, tuple[str, int]] = {  # layout -> (Pillow mode, bytes per pixel)
    "RGBA": ("RGBA", 4), "BGRA": ("RGBA", 4), "RGBX": ("RGB", 4), "BGRX": ("RGB", 4),
    "RGB": ("RGB", 3), "L": ("L", 1),
}


def prepare_pixels_with_pillow(
    pixels: bytes | bytearray | memoryview,
    *,
    width: int,
    height: int,
    stride: int,
    layout: PixelLayout,
    name: str,
    max_edge: int = DEFAULT_MAX_EDGE,
) -> PreparedImage:
    """See ``core.images.prepare_pixels``."""
    if not 1 <= max_edge <= API_MAX_EDGE:
        raise ValueError(f"max_edge must be within 1..{API_MAX_EDGE}, not {max_edge}")
    label = name or "The image"
    if width <= 0 or height <= 0:
        raise ImageError(f"{label} is empty.")
    if width * height > MAX_SOURCE_PIXELS:
        raise ImageError(
            f"{label} is too large to open: pictures can have at most "
            f"{MAX_SOURCE_PIXELS // 1_000_000} megapixels."
        )
    mode, depth = _PIXEL_MODES[layout]
    if stride < width * depth or len(memoryview(pixels)) < stride * (height - 1) + width * depth:
        raise ValueError("the pixel buffer is smaller than its size says")
    with _quiet_pillow():
        # Any buffer works (a memoryview of Qt's pixels is read in place, not copied), though
        # Pillow's annotations name only bytes.
        image = Image.frombuffer(
            mode, (width, height), cast(bytes, pixels), "raw", layout, stride, 1)
        if max(width, height) > max_edge:
            image = image.resize(
                _fitted_size(width, height, max_edge), Image.Resampling.LANCZOS,
                reducing_gap=_REDUCING_GAP,
            )
        image = _normalise_mode(image)
        # As a lossless source (a PNG) would be: PNG unless that is over the API's limit.
        data, out_format, size = _encode_to_fit(image, "PNG", None, label)
    return PreparedImage(
        data=data,
        media_type=_MEDIA_TYPES[out_format],
        width=size[0],
        height=size[1],
        original_width=width,
        original_height=height,
        original_bytes=stride * height,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        estimated_tokens=estimate_image_tokens(*size),
    )


def thumbnail_with_pillow(data: bytes, edge: int) -> tuple[int, int, bytes] | None:
    """See ``core.images.thumbnail_rgba``."""
    with _quiet_pillow():
        try:
            with Image.open(io.BytesIO(data), formats=_readable_formats()) as source:
                if source.width * source.height > MAX_SOURCE_PIXELS:
                    return None
                source.draft("RGB", (edge, edge))  # JPEG: decode at a reduced scale
                image = ImageOps.exif_transpose(source)
                image.thumbnail((edge, edge), Image.Resampling.LANCZOS,
                                reducing_gap=_REDUCING_GAP)
                image = image.convert("RGBA")
        except (UnidentifiedImageError, Image.DecompressionBombError, *_DECODE_ERRORS):
            return None
    return image.width, image.height, image.tobytes()


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


