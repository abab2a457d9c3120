"""Images and documents as the API reads them: the size limits (measured where the API measures
them), the media type from the file's first bytes, the pixel size from its header, what an image
costs in tokens, and the per-request count of images and documents."""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass, field
from typing import Any

from .errors import _invalid


MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""Largest image, measured like the API does: on the base64 text, not on the decoded bytes."""
MAX_IMAGE_SIDE = 8000
MANY_IMAGES = 20
"""A request with more images than this is a many-image request: every image at most ..."""
MANY_IMAGES_MAX_SIDE = 2000
MAX_MEDIA = 100
"""Most images + documents in one request (URL images count too)."""
IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


_IMAGE_MAGIC: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}


def _sniff_image(data: bytes) -> str | None:
    for media_type, magics in _IMAGE_MAGIC.items():
        if any(data.startswith(m) for m in magics):
            return media_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _image_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """``(width, height)`` read from the image's header; ``None`` if it cannot be read or is
    empty (0 pixels)."""
    size: tuple[int, int] | None = None
    try:
        if media_type == "image/png":
            if data[12:16] == b"IHDR":
                size = struct.unpack(">II", data[16:24])
        elif media_type == "image/gif":
            size = struct.unpack("<HH", data[6:10])
        elif media_type == "image/webp":
            chunk = data[12:16]
            if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
                w, h = struct.unpack("<HH", data[26:30])
                size = (w & 0x3FFF, h & 0x3FFF)
            elif chunk == b"VP8L" and data[20:21] == b"\x2f":
                bits = int.from_bytes(data[21:25], "little")
                size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            elif chunk == b"VP8X":
                size = (int.from_bytes(data[24:27], "little") + 1,
                        int.from_bytes(data[27:30], "little") + 1)
        elif media_type == "image/jpeg":
            size = _jpeg_size(data)
    except struct.error:
        return None
    if size is None or min(size) <= 0:
        return None
    return int(size[0]), int(size[1])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first SOFn segment of a JPEG."""
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            return None
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        if marker == 0xD9 or i + 2 > n:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 3:i + 7])
            return width, height
        i += struct.unpack(">H", data[i:i + 2])[0]
    return None


IMAGE_MAX_EDGE = 1568
"""Images with a longer edge are scaled down by the API before they are tokenized."""
URL_IMAGE_TOKENS = 1600


def _image_tokens(source: Any) -> int:
    """What an image costs: ``width * height / 750`` after scaling the long edge down to 1568
    px (a URL / file image, whose size the fake cannot know, costs the maximum)."""
    size = None
    if isinstance(source, dict) and source.get("type") == "base64":
        text = source.get("data")
        media_type = source.get("media_type")
        if isinstance(text, str) and isinstance(media_type, str):
            for head in (text[:262_144], text):  # the header is near the start
                try:
                    size = _image_size(base64.b64decode(head[: len(head) // 4 * 4]), media_type)
                except (binascii.Error, ValueError):
                    size = None
                if size is not None or len(head) == len(text):
                    break
    if size is None:
        return URL_IMAGE_TOKENS
    scale = min(1.0, IMAGE_MAX_EDGE / max(size))
    return max(1, round(size[0] * scale * size[1] * scale / 750))


@dataclass
class _Media:
    """The images (where, pixel size or ``None`` for URL / file images) and documents of one
    request, for the per-request limits."""

    images: list[tuple[str, tuple[int, int] | None]] = field(default_factory=list)
    documents: int = 0

    def check(self) -> None:
        if len(self.images) + self.documents > MAX_MEDIA:
            raise _invalid(f"too many images and documents: {len(self.images)} + "
                           f"{self.documents} > {MAX_MEDIA}")
        if len(self.images) > MANY_IMAGES:
            for where, size in self.images:
                if size is not None and max(size) > MANY_IMAGES_MAX_SIDE:
                    raise _invalid(f"{where}.base64.data: At least one of the image dimensions "
                                   "exceed max allowed size for many-image requests: "
                                   f"{MANY_IMAGES_MAX_SIDE} pixels")


def _decode_b64(data: Any, where: str) -> bytes:
    if not isinstance(data, str) or not data:
        raise _invalid(f"{where}.data: Input should be a non-empty base64 string")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(f"{where}.data: invalid base64 data") from None
