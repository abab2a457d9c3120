"""Hand-made .zip files for the importer tests: entries whose headers say whatever the test
wants (sizes and checksums that lie, entries sharing their data), and deflated entries
written from a stream, so a bomb that unpacks to gigabytes is built without ever holding or
writing them."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ForgedEntry:
    """One entry: its compressed bytes and what its headers claim.

    ``file_size``, ``compress_size`` and ``crc`` default to the truth; set them to lie.
    ``same_data_as``: the index of an earlier entry whose local header and data this entry
    points at (an "overlapping" bomb) instead of having its own.
    """

    name: str
    data: bytes = b""  # as stored (deflated when ``method`` is 8)
    method: int = 8
    true_size: int = 0
    true_crc: int = 0
    file_size: int | None = None
    compress_size: int | None = None
    crc: int | None = None
    same_data_as: int | None = None


def deflated(chunks: Iterable[bytes]) -> tuple[bytes, int, int]:
    """(raw deflate data, size, crc32) of the concatenated chunks, compressed as they come."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts: list[bytes] = []
    size = 0
    crc = 0
    for chunk in chunks:
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    return b"".join(parts), size, crc & 0xFFFFFFFF


def entry(name: str, chunks: Iterable[bytes], **lies: int) -> ForgedEntry:
    """A deflated entry of the concatenated chunks (``lies``: see ``ForgedEntry``)."""
    data, size, crc = deflated(chunks)
    return ForgedEntry(name, data, 8, size, crc, **lies)


def bomb(name: str, prefix: bytes, filler: bytes, count: int, suffix: bytes,
         **lies: int) -> ForgedEntry:
    """A deflated entry of ``prefix + filler * count + suffix``, built in milliseconds
    whatever its size: ``filler`` is compressed once, after a full flush (no reference to
    anything before it), and its compressed block is repeated. The checksum is not worked
    out (it would mean reading gigabytes): an importer must refuse the entry long before it
    could check it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(filler) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(suffix) + packer.flush()
    size = len(prefix) + len(filler) * count + len(suffix)
    return ForgedEntry(name, head + block * count + tail, 8, size, 0, **lies)


def stored(name: str, content: bytes, **lies: int) -> ForgedEntry:
    return ForgedEntry(name, content, 0, len(content), zlib.crc32(content) & 0xFFFFFFFF, **lies)


def repeated(piece: bytes, total: int, chunk: int = 1024 * 1024) -> Iterable[bytes]:
    """``total`` bytes of ``piece`` repeated, a chunk at a time."""
    block = (piece * (chunk // len(piece) + 1))[:chunk]
    left = total
    while left > 0:
        yield block[:left]
        left -= len(block)


def forge_zip(path: Path, entries: list[ForgedEntry], padding: bytes = b"") -> Path:
    """Write the entries as a .zip (no zip64; ``padding`` goes after each entry's data and is
    counted in its declared compressed size when that is not given)."""
    body = bytearray()
    offsets: list[int] = []
    central = bytearray()
    for item in entries:
        name = item.name.encode("utf-8")
        file_size = item.true_size if item.file_size is None else item.file_size
        crc = item.true_crc if item.crc is None else item.crc
        if item.same_data_as is not None:
            offset = offsets[item.same_data_as]
            compress_size = (len(entries[item.same_data_as].data) + len(padding)
                             if item.compress_size is None else item.compress_size)
        else:
            offset = len(body)
            compress_size = (len(item.data) + len(padding)
                             if item.compress_size is None else item.compress_size)
            body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, item.method, 0, 0x21,
                                crc, compress_size, file_size, len(name), 0)
            body += name + item.data + padding
        offsets.append(offset)
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, item.method, 0,
                               0x21, crc, compress_size, file_size, len(name), 0, 0, 0, 0,
                               0o100644 << 16, offset)
        central += name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))
    return path
