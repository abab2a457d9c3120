"""Write a file so that a crash or a full disk leaves either the old or the new version whole."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the same directory, flush + fsync, then ``os.replace``.

    Raises:
        OSError: when the write fails; the previous file is then untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)


def json_bytes(data: Any) -> bytes:
    """A document as history files hold it: readable UTF-8 (not escaped), indented, except
    lone surrogates (which API JSON can carry and UTF-8 cannot): they become ``\\udXXX``
    escapes, which JSON reads back as-is."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.encode("utf-8", errors="backslashreplace")


def write_json_atomic(path: Path, data: Any) -> None:
    """Serialise first (so a bad value never truncates anything), then write atomically."""
    write_bytes_atomic(path, json_bytes(data))


def fsync_dir(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
