"""Many new files written at once, each as safely as ``atomic_file`` writes one.

An import writes thousands of small conversation files. Written one by one, each costs two
fsyncs (the file, then its folder), which is most of the time of a large import. Here every
file of a batch is written to its temporary name first, then each is flushed to disk, then
all are renamed into place and the folder is flushed once: a crash still leaves every file
either absent or whole, and never a temporary file that a later start would not clean up
(``HistoryStore`` removes stale ``.NAME.json.*.tmp`` files).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from desktop_app.storage.atomic_file import fsync_dir


def write_files_atomic(items: list[tuple[Path, bytes]]) -> list[OSError | None]:
    """Write each ``(path, data)``; all paths in one folder are flushed together.

    Returns:
        For each item, None when it was written, or the error that kept it from being
        written (nothing of it is left behind then).
    """
    errors: list[OSError | None] = [None] * len(items)
    temporary: list[tuple[int, int, str]] = []  # (item, fd, temporary name)
    try:
        for index, (path, data) in enumerate(items):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(
                    prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                errors[index] = exc
                continue
            temporary.append((index, fd, name))
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            except OSError as exc:
                errors[index] = exc
        for index, fd, _ in temporary:
            if errors[index] is None:
                try:
                    os.fsync(fd)
                except OSError as exc:
                    errors[index] = exc
    finally:
        for _, fd, _ in temporary:
            with contextlib.suppress(OSError):
                os.close(fd)
    folders: set[Path] = set()
    for index, _, name in temporary:
        path = items[index][0]
        if errors[index] is None:
            try:
                os.replace(name, path)
                folders.add(path.parent)
                continue
            except OSError as exc:
                errors[index] = exc
        with contextlib.suppress(OSError):
            os.unlink(name)
    for folder in folders:
        fsync_dir(folder)
    return errors

