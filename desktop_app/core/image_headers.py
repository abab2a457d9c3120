"""What an image file is, and its size in pixels, read from its first bytes (no decoding).

For pictures Cairn did not prepare itself, such as those a tool returns: the API refuses an
image whose bytes are not the media type it is labelled with, or that is larger than
``API_MAX_EDGE`` on a side, and a refused image in the history would fail every later request
of the conversation. Reading the header costs microseconds and needs no Pillow.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageHeader:
    """An image's format and size as its header states them.

    Attributes:
        media_type: ``image/jpeg``, ``image/png``, ``image/gif`` or ``image/webp``.
        width: pixels across (0: the header could not be read that far).
        height: pixels down (0: likewise).
    """

    media_type: str
    width: int = 0
    height: int = 0


def read_image_header(data: bytes) -> ImageHeader | None:
    """The format and size of a JPEG, PNG, GIF or WebP file; None for anything else."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data.startswith((b"GIF87a", b"GIF89a")):
            width, height = struct.unpack_from("<HH", data, 6)
            return ImageHeader("image/gif", width, height)
        if data.startswith(b"\xff\xd8\xff"):
            return _jpeg(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except struct.error:  # a header that ends early: the format is known, the size not
        return ImageHeader(_format_of(data))
    return None


def _format_of(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF"):
        return "image/gif"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "image/webp"


def _png(data: bytes) -> ImageHeader:
    if data[12:16] != b"IHDR":
        return ImageHeader("image/png")
    width, height = struct.unpack_from(">II", data, 16)
    return ImageHeader("image/png", width, height)


# Start-of-frame markers (C0-CF, except DHT C4, JPG C8 and DAC CC) carry the frame's size.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset([0x01, *range(0xD0, 0xD8)])


def _jpeg(data: bytes) -> ImageHeader:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            break
        (length,) = struct.unpack_from(">H", data, position + 2)
        if marker in _SOF_MARKERS:
            height, width = struct.unpack_from(">HH", data, position + 5)
            return ImageHeader("image/jpeg", width, height)
        if length < 2:
            break
        position += 2 + length
    return ImageHeader("image/jpeg")


def _webp(data: bytes) -> ImageHeader:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageHeader("image/webp", width, height) if len(data) >= 30 else _unknown_webp()
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageHeader("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return ImageHeader("image/webp", width & 0x3FFF, height & 0x3FFF)
    return _unknown_webp()


def _unknown_webp() -> ImageHeader:
    return ImageHeader("image/webp")
