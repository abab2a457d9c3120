"""Attached files (prepared images, PDFs), stored once each under their SHA-256.

History only names an attachment by its hash, so a conversation file stays small however many
pictures it holds, and a picture sent in several conversations (or twice in one) is kept once.
Files are written atomically and never changed afterwards: the name is the content's hash.
Layout: ``<directory>/<first two hex digits>/<sha256><suffix>``, e.g. ``ab/ab12...ef.jpg``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from desktop_app.storage.atomic_file import write_bytes_atomic

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"(\.[A-Za-z0-9]{1,16})?")
_SHARD = re.compile(r"[0-9a-f]{2}")


class AttachmentStore:
    """Reads and writes the attachments folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, data: bytes, sha256: str, suffix: str) -> Path:
        """Store ``data`` under its hash, unless a file with that hash is already there.

        Args:
            data: the file's bytes.
            sha256: their SHA-256, 64 lowercase hex digits (checked against ``data``).
            suffix: the file name suffix, such as ``.jpg`` (or empty).

        Returns:
            The stored file, which may be an earlier copy (with its own suffix).

        Raises:
            ValueError: the hash is malformed or not that of ``data``, or the suffix is bad.
            OSError: the write failed; nothing is left half-written.
        """
        _check(sha256)
        if not _SUFFIX.fullmatch(suffix):
            raise ValueError(f"invalid attachment suffix {suffix!r}")
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"data does not match sha256 {sha256}")
        existing = self.path_for(sha256)
        if existing is not None:
            return existing
        path = self.directory / sha256[:2] / f"{sha256}{suffix}"
        write_bytes_atomic(path, data)
        return path

    def load(self, sha256: str) -> bytes:
        """The bytes of a stored attachment.

        Raises:
            ValueError: the hash is malformed.
            FileNotFoundError: no attachment has this hash.
            OSError: it could not be read.
        """
        path = self.path_for(sha256)
        if path is None:
            raise FileNotFoundError(
                f"The attachment {sha256[:12]}… is missing from {self.directory}; "
                "it may have been deleted."
            )
        return path.read_bytes()

    def path_for(self, sha256: str) -> Path | None:
        """Where the attachment with this hash is stored, or None when it is not.

        Raises:
            ValueError: the hash is malformed.
        """
        _check(sha256)
        shard = self.directory / sha256[:2]
        try:
            for path in shard.iterdir():
                if _hash_of(path.name) == sha256 and path.is_file():
                    return path
        except (FileNotFoundError, NotADirectoryError):
            pass
        return None

    def remove_unreferenced(self, keep: set[str]) -> int:
        """Delete every attachment whose hash is not in ``keep``; return how many went.

        Only files named like attachments are touched (temporary files of a write under way
        and anything else in the folder are left alone). Call it when no attachment is being
        added, or include the hashes being added in ``keep``.
        """
        removed = 0
        for path in self._attachments():
            if _hash_of(path.name) in keep:
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("cannot remove attachment %s: %s", path.name, exc.strerror or exc)
                continue
            removed += 1
        for shard in self._shards():
            try:
                shard.rmdir()  # only succeeds when it is empty
            except OSError:
                pass
        return removed

    def _shards(self) -> Iterator[Path]:
        try:
            entries = list(self.directory.iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if _SHARD.fullmatch(entry.name) and entry.is_dir():
                yield entry

    def _attachments(self) -> Iterator[Path]:
        for shard in self._shards():
            for path in sorted(shard.iterdir()):
                sha256 = _hash_of(path.name)
                if sha256 is not None and sha256.startswith(shard.name) and path.is_file():
                    yield path


def _check(sha256: str) -> None:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"invalid attachment sha256 {sha256!r}")


def _hash_of(file_name: str) -> str | None:
    """The hash an attachment's file name starts with, or None for any other file."""
    sha256, suffix = file_name[:64], file_name[64:]
    if _SHA256.fullmatch(sha256) and _SUFFIX.fullmatch(suffix):
        return sha256
    return None
