"""Reading an untrusted .zip without trusting what it says about itself.

``zipfile`` is used only for the central directory (the list of entries). The bytes of each
entry are read and inflated here, a piece at a time, counting what goes in and what comes
out, so that:

- an entry never yields more bytes than it declares (one that tries is a lie: the whole
  archive is refused at once, before more than a piece past the declared size is inflated);
- no entry, and not the archive as a whole, inflates to more than ``MAX_RATIO`` times the
  compressed bytes it consumed (past the first ``RATIO_ALLOWANCE`` bytes) — counted on the
  bytes actually read, not on the sizes declared;
- nothing inflates to more than the caller's limit for that entry, or ``max_total`` for the
  whole archive;
- entries may not share compressed data (the "overlapping" zip bomb, where thousands of
  entries point at the same few kilobytes) or point outside the file.

What the entries declare is checked up front as well (a quick refusal of an honest bomb,
before anything is written), but the limits above hold whatever they declare.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.claude_import import ImportFormatError
from desktop_app.core.import_limits import megabytes
from desktop_app.core.import_problems import ImportProblem, ProblemKind
from desktop_app.core.os_error_reason import OsErrorReason

MAX_RATIO = 100  # real conversations compress 3-10 times; zip bombs about 1,000 times
RATIO_ALLOWANCE = 1024**2  # small files may compress oddly well: the ratio counts past this
MAX_ENTRIES = 1_000_000
_PIECE = 256 * 1024  # bytes inflated (and compressed bytes read) at a time

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_SUPPORTED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ArchiveRefused(ImportFormatError):
    """The archive as a whole is hostile or impossible (a bomb, an entry that lies about its
    size, overlapping entries); nothing more may be read from it."""


class EntryUnreadable(Exception):
    """One entry cannot be read (damaged, encrypted, compressed in a way Cairn does not
    read); the others may still be fine. ``problem`` is the reason (``str(error)`` its short
    English words, such as "it is encrypted")."""

    def __init__(self, kind: ProblemKind, **facts: str | int) -> None:
        self.problem = ImportProblem(kind, **facts)
        super().__init__(self.problem)


def is_zip(path: Path) -> bool:
    """Whether the file starts like a .zip (its first entry, or an empty archive)."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:
        return False


class SafeZip:
    """An untrusted .zip, open for reading its entries one at a time.

    Raises (from the constructor):
        ImportFormatError: the file is not a readable .zip.
        ArchiveRefused: its directory is hostile (too many entries, entries outside the file
            or overlapping, declared sizes over the limits).
    """

    def __init__(self, path: Path, *, max_total: int) -> None:
        self.path = path
        self.max_total = max_total
        try:
            self._file: BinaryIO = path.open("rb")
        except OSError as exc:
            raise ImportFormatError(ImportProblem(
                ProblemKind.FILE_UNREADABLE, name=path.name,
                reason=OsErrorReason.of(exc))) from None
        try:
            self.size = os.fstat(self._file.fileno()).st_size
            try:
                self._zip = zipfile.ZipFile(self._file)
            except Exception:  # noqa: BLE001 - whatever a damaged directory makes zipfile raise
                raise ImportFormatError(
                    ImportProblem(ProblemKind.NOT_A_ZIP, name=path.name)) from None
            self.entries = self._zip.infolist()
            self._data_start: dict[int, int] = {}
            self._check_directory()
        except BaseException:
            self._file.close()
            raise
        self.inflated = 0  # bytes inflated so far, every entry together
        self.consumed = 0  # compressed bytes read so far

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def total_limit(self) -> int:
        """The most this archive may inflate to, all entries together."""
        return min(self.max_total, RATIO_ALLOWANCE + MAX_RATIO * self.size)

    def _check_directory(self) -> None:
        name = self.path.name
        if len(self.entries) > MAX_ENTRIES:
            raise ArchiveRefused(ImportProblem(ProblemKind.TOO_MANY_ENTRIES, name=name,
                                               limit=MAX_ENTRIES))
        declared = sum(max(0, info.file_size) for info in self.entries)
        if declared > self.total_limit:
            raise ArchiveRefused(
                ImportProblem(ProblemKind.ZIP_BOMB_DECLARED, name=name,
                              unpacked=megabytes(declared), size=megabytes(self.size))
                if declared > RATIO_ALLOWANCE + MAX_RATIO * self.size else
                ImportProblem(ProblemKind.ARCHIVE_TOO_LARGE, name=name,
                              limit=megabytes(self.max_total))
            )
        end_of_data = getattr(self._zip, "start_dir", self.size)
        spans: list[tuple[int, int, str]] = []
        for info in self.entries:
            if info.is_dir() and info.file_size == 0:
                continue
            if info.file_size > RATIO_ALLOWANCE + MAX_RATIO * max(info.compress_size, 0):
                raise ArchiveRefused(ImportProblem(
                    ProblemKind.ZIP_BOMB_ENTRY_DECLARED, name=name,
                    unpacked=megabytes(info.file_size), compressed=megabytes(info.compress_size)))
            start = self._local_data_start(info)
            end = start + info.compress_size
            if info.header_offset < 0 or end > end_of_data:
                raise ArchiveRefused(ImportProblem(ProblemKind.ENTRY_OUTSIDE_FILE, name=name))
            spans.append((info.header_offset, end, info.filename))
        spans.sort()
        for (_, end, _), (next_start, _, _) in zip(spans, spans[1:]):
            if next_start < end:
                raise ArchiveRefused(ImportProblem(ProblemKind.ENTRIES_OVERLAP, name=name))

    def _local_data_start(self, info: zipfile.ZipInfo) -> int:
        """Where the entry's compressed bytes start (after its local header)."""
        try:
            self._file.seek(info.header_offset)
            header = self._file.read(_LOCAL_HEADER.size)
            fields = _LOCAL_HEADER.unpack(header)
        except (OSError, ValueError, OverflowError, struct.error):
            raise ArchiveRefused(
                ImportProblem(ProblemKind.ENTRY_OUTSIDE_FILE, name=self.path.name)) from None
        if fields[0] != _LOCAL_SIGNATURE:
            raise ArchiveRefused(
                ImportProblem(ProblemKind.ENTRY_OUTSIDE_FILE, name=self.path.name))
        start: int = info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11]
        self._data_start[id(info)] = start
        return start

    def open(self, info: zipfile.ZipInfo, limit: int) -> EntryReader:
        """A reader of one entry's bytes that yields at most ``limit`` of them.

        Raises:
            EntryUnreadable: the entry is encrypted or compressed in a way Cairn does not
                read, or declares more than ``limit``.
        """
        if info.flag_bits & 0x1:
            raise EntryUnreadable(ProblemKind.ENTRY_ENCRYPTED)
        if info.compress_type not in _SUPPORTED:
            raise EntryUnreadable(ProblemKind.ENTRY_COMPRESSION)
        if info.file_size > limit:
            raise EntryUnreadable(ProblemKind.ENTRY_OVER_LIMIT, size=megabytes(info.file_size),
                                  limit=megabytes(limit))
        start = self._data_start.get(id(info))
        if start is None:
            start = self._local_data_start(info)
        return EntryReader(self, info, start)

    def read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """An entry's bytes (at most ``limit``), checked as ``EntryReader`` describes."""
        reader = self.open(info, limit)
        chunks = []
        while chunk := reader.read():
            chunks.append(chunk)
        return b"".join(chunks)


class EntryReader:
    """One entry's bytes, inflated a piece at a time with every count checked.

    ``read()`` returns the next piece (b"" at the end). It raises ``ArchiveRefused`` when the
    entry yields more than it declared or inflates beyond the ratio or the archive's total,
    and ``EntryUnreadable`` when it is damaged (a bad checksum, a broken or short stream).
    """

    def __init__(self, archive: SafeZip, info: zipfile.ZipInfo, start: int) -> None:
        self._archive = archive
        self._info = info
        self._position = start
        self._left = info.compress_size  # compressed bytes not yet read
        self._inflater = (zlib.decompressobj(-15)
                          if info.compress_type == zipfile.ZIP_DEFLATED else None)
        self._pending = b""  # compressed bytes read but not yet inflated
        self.consumed = 0  # compressed bytes used so far
        self.produced = 0  # bytes yielded so far
        self._crc = 0
        self._done = False

    @property
    def compressed_size(self) -> int:
        return self._info.compress_size

    def read(self, size: int = _PIECE) -> bytes:
        while not self._done:
            piece = self._next_piece(max(1, min(size, _PIECE)))
            if piece:
                self._count(piece)
                return piece
        return b""

    def _raw(self, size: int) -> bytes:
        count = min(size, self._left)
        if count <= 0:
            return b""
        handle = self._archive._file
        try:
            handle.seek(self._position)
            data = handle.read(count)
        except (OSError, ValueError) as exc:
            raise EntryUnreadable(ProblemKind.ENTRY_READ_FAILED, reason=str(exc)) from None
        self._position += len(data)
        self._left -= len(data)
        if not data:
            self._left = 0
        return data

    def _next_piece(self, size: int) -> bytes:
        if self._inflater is None:  # stored as it is
            data = self._raw(size)
            self.consumed += len(data)
            if not data:
                self._finish()
            return data
        inflater = self._inflater
        if not self._pending:
            self._pending = self._raw(_PIECE)
            if not self._pending and not inflater.unconsumed_tail:
                if not inflater.eof:
                    raise EntryUnreadable(ProblemKind.ENTRY_ENDS_EARLY)
                self._finish()
                return b""
        fed = len(self._pending)
        try:
            data = inflater.decompress(self._pending, size)
        except zlib.error:
            raise EntryUnreadable(ProblemKind.ENTRY_DAMAGED) from None
        self._pending = inflater.unconsumed_tail
        self.consumed += fed - len(self._pending) - len(inflater.unused_data)
        if inflater.eof:
            self._pending = b""
            if not data:
                self._finish()
        return data

    def _count(self, piece: bytes) -> None:
        archive, info = self._archive, self._info
        self.produced += len(piece)
        archive.inflated += len(piece)
        self._crc = zlib.crc32(piece, self._crc)
        name = archive.path.name
        if self.produced > info.file_size:
            raise ArchiveRefused(ImportProblem(
                ProblemKind.ENTRY_LONGER_THAN_DECLARED, name=name, entry=_short(info.filename),
                declared=info.file_size))
        if self.produced > RATIO_ALLOWANCE + MAX_RATIO * max(self.consumed, 1):
            raise ArchiveRefused(ImportProblem(
                ProblemKind.ZIP_BOMB_RATIO, name=name, entry=_short(info.filename),
                ratio=MAX_RATIO))
        if archive.inflated > archive.total_limit:
            raise ArchiveRefused(ImportProblem(
                ProblemKind.ARCHIVE_UNPACKS_TOO_MUCH, name=name,
                limit=megabytes(archive.total_limit), ratio=MAX_RATIO,
                size=megabytes(archive.size), max_total=megabytes(archive.max_total)))

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._archive.consumed += self.consumed
        if self.produced != self._info.file_size:
            raise EntryUnreadable(ProblemKind.ENTRY_SHORTER)
        if (self._crc & 0xFFFFFFFF) != self._info.CRC:
            raise EntryUnreadable(ProblemKind.ENTRY_CHECKSUM)


def _short(text: str, limit: int = 80) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
