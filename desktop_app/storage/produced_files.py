"""Files from the Files API kept on this computer, and the deletes on Anthropic's side that
still have to happen.

A file the code made is downloaded once, when it is first shown or saved, and kept beside the
history (``<data>/code_files/<file_id>`` with its facts in ``<file_id>.json``), so a reopened
conversation shows its pictures without asking the API again, and a file that has since
expired on Anthropic's side can still be saved. A deleted conversation takes its files with it.

Deletes that could not reach the API (offline) are kept in ``<data>/code_files/pending
_deletes.json`` and tried again at the next start and with the next delete.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.code_files import is_file_id
from desktop_app.storage.atomic_file import write_bytes_atomic, write_json_atomic

log = logging.getLogger(__name__)

PENDING_DELETES = "pending_deletes.json"


@dataclass(frozen=True)
class CachedFile:
    """A downloaded file: its bytes on disk and what the API said of it.

    Attributes:
        path: where the bytes are.
        name: the file name the code gave it (only a suggestion for Save as…).
        media_type: as declared by the API (not trusted for showing it).
        size: bytes on disk.
    """

    path: Path
    name: str
    media_type: str
    size: int


class ProducedFileCache:
    """The ``code_files`` folder (see the module docstring)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, file_id: str, name: str, media_type: str, data: bytes) -> CachedFile:
        """Keep a downloaded file (atomically, its facts after its bytes).

        Raises:
            ValueError: ``file_id`` is not a Files API id.
            OSError: the write failed.
        """
        path = self._path(file_id)
        write_bytes_atomic(path, data)
        write_json_atomic(path.with_name(file_id + ".json"),
                          {"name": name, "media_type": media_type})
        return CachedFile(path, name, media_type, len(data))

    def get(self, file_id: str) -> CachedFile | None:
        """The kept file, or None when it was never downloaded (or its facts are unreadable)."""
        try:
            path = self._path(file_id)
            facts = json.loads(path.with_name(file_id + ".json").read_text("utf-8"))
            size = path.stat().st_size
        except (ValueError, OSError):
            return None
        if not isinstance(facts, dict):
            return None
        name, media_type = facts.get("name"), facts.get("media_type")
        return CachedFile(path, name if isinstance(name, str) else file_id,
                          media_type if isinstance(media_type, str) else "", size)

    def remove(self, file_ids: list[str]) -> None:
        """Forget these files (missing ones are not an error)."""
        for file_id in file_ids:
            try:
                path = self._path(file_id)
            except ValueError:
                continue
            for item in (path, path.with_name(file_id + ".json")):
                try:
                    item.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    log.warning("cannot remove %s: %s", item.name, exc.strerror or exc)

    def pending_deletes(self) -> list[str]:
        """File ids still to delete on Anthropic's side."""
        try:
            data: Any = json.loads((self.directory / PENDING_DELETES).read_text("utf-8"))
        except (OSError, ValueError):
            return []
        return [i for i in data if is_file_id(i)] if isinstance(data, list) else []

    def set_pending_deletes(self, file_ids: list[str]) -> None:
        """Replace the list of deletes still to do.

        Raises:
            OSError: the write failed.
        """
        path = self.directory / PENDING_DELETES
        if not file_ids:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            return
        write_json_atomic(path, sorted(set(file_ids)))

    def _path(self, file_id: str) -> Path:
        if not is_file_id(file_id):
            raise ValueError(f"invalid file id {file_id!r}")
        return self.directory / file_id
