"""What the fake keeps between requests for server tools: the Files store (uploads and the files
code runs make) and the code execution containers. Plain records; the Files API endpoints are
``files_api.py`` and the container rules ``server_blocks.py``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

CONTAINER_LIFETIME = 30 * 24 * 3600.0
"""How long a new container lives (seconds): the code execution tool's documented 30 days."""


def iso(timestamp: float) -> str:
    """RFC 3339 in UTC with milliseconds, as the API writes its timestamps."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class StoredFile:
    """One file in the fake Files store (``fake_api.files[id]``). ``downloadable`` is true only
    for files code execution made; ``deleted`` files are gone from every endpoint."""

    id: str
    filename: str
    mime_type: str
    data: bytes
    downloadable: bool
    created_at: float = field(default_factory=time.time)
    expires_at: float | None = None
    deleted: bool = False

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= time.time()

    @property
    def usable(self) -> bool:
        """Still there: neither deleted nor expired."""
        return not self.deleted and not self.expired

    def metadata(self) -> dict[str, Any]:
        """``FileMetadata`` as the API sends it."""
        return {"type": "file", "id": self.id, "filename": self.filename,
                "mime_type": self.mime_type, "size_bytes": len(self.data),
                "created_at": iso(self.created_at), "downloadable": self.downloadable,
                "expires_at": None if self.expires_at is None else iso(self.expires_at)}


@dataclass
class ContainerRecord:
    """A code execution container (``fake_api.containers[id]``): the files uploaded into it
    (``container_upload``) and made in it; ``expire_container(id)`` ends it early."""

    id: str
    expires_at: float
    file_ids: list[str] = field(default_factory=list)

    @property
    def expired(self) -> bool:
        return self.expires_at <= time.time()

    def wire(self) -> dict[str, Any]:
        """The ``container`` object of a Message / ``message_delta.delta``."""
        return {"id": self.id, "expires_at": iso(self.expires_at)}
