"""The Files API on the fake: ``POST /v1/files`` (multipart, as the SDK sends it),
``GET /v1/files`` (cursor pages: ``data`` + ``next_page``), ``GET /v1/files/{id}``,
``GET /v1/files/{id}/content`` and ``DELETE /v1/files/{id}``.

The ``anthropic-beta`` header: the installed SDK's ``client.files`` (GA) sends none, and its
``client.beta.files`` sends ``files-api-2025-04-14`` only when ``betas=`` is given; the API the
SDK was generated from therefore serves the Files API without a beta, and the fake accepts both
(it records nothing about the header; the request's headers are in ``server.requests``).

Only ``downloadable`` files (those code execution made) can be downloaded: an upload answers
400 ``file_not_downloadable`` (``anthropic.FileNotDownloadableError``), an expired file 404
``file_expired`` (``FileExpiredError``); ``storage_quota_bytes`` makes an upload that would pass
it fail with 400 ``storage_quota_exceeded`` (``StorageQuotaExceededError``)."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import mimetypes
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .errors import _ApiFailure, _invalid
from .server_scripts import new_file_id
from .stores import StoredFile

if TYPE_CHECKING:
    from .scripts import RecordedRequest
    from .wire import _Exchange

MIN_EXPIRY, MAX_EXPIRY = 3600, 7_776_000
"""``expires_in_seconds`` bounds (one hour to ninety days)."""


def _page_token(offset: int) -> str:
    return "page_" + base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _page_offset(token: str) -> int:
    try:
        raw = token.removeprefix("page_")
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        return int(text.removeprefix("offset:"))
    except (ValueError, UnicodeDecodeError):
        raise _invalid("page: Invalid page token") from None


def _multipart(rec: RecordedRequest) -> dict[str, tuple[str | None, str, bytes]]:
    """The form's parts by name: ``(filename, content type, bytes)``."""
    content_type = rec.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise _invalid("There was an error parsing the body of your request: expected "
                       "multipart/form-data")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + rec.raw_body)
    parts: dict[str, tuple[str | None, str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            parts[name] = (part.get_filename(), part.get_content_type(),
                           payload if isinstance(payload, bytes) else b"")
    return parts


class FilesApi:
    """``FakeAnthropicServer``'s Files API endpoints and store helpers."""

    _lock: threading.RLock
    files: dict[str, StoredFile]
    storage_quota_bytes: int | None

    def _route_files(self, ex: _Exchange, rec: RecordedRequest, path: str) -> bool:
        """Serve ``/v1/files...``; ``False`` when ``path`` is not a Files API path."""
        if path == "/v1/files":
            if rec.method == "POST":
                ex.json(200, self._upload(rec))
            elif rec.method == "GET":
                ex.json(200, self._list_files(rec.query))
            else:
                raise _ApiFailure(405, "invalid_request_error", "Method not allowed")
            return True
        if not path.startswith("/v1/files/"):
            return False
        rest = unquote(path[len("/v1/files/"):])
        file_id, _, tail = rest.partition("/")
        stored = self._visible_file(file_id)
        if tail == "content" and rec.method == "GET":
            if stored.expired:
                raise _ApiFailure(404, "not_found_error", f"File '{file_id}' has expired and "
                                  "its content is no longer available", error_code="file_expired")
            if not stored.downloadable:
                raise _invalid(f"File '{file_id}' is not downloadable. Only files created by a "
                               "tool, such as the code execution tool, can be downloaded.",
                               "file_not_downloadable")
            ex.headers(200, stored.mime_type, length=len(stored.data))
            ex.write(stored.data)
        elif tail == "" and rec.method == "GET":
            ex.json(200, stored.metadata())
        elif tail == "" and rec.method == "DELETE":
            with self._lock:
                stored.deleted = True
            ex.json(200, {"id": file_id, "type": "file_deleted"})
        else:
            raise _ApiFailure(404, "not_found_error", "Not Found")
        return True

    def _visible_file(self, file_id: str) -> StoredFile:
        with self._lock:
            stored = self.files.get(file_id)
        if stored is None or stored.deleted:
            raise _ApiFailure(404, "not_found_error", f"File not found: '{file_id}'")
        return stored

    def _upload(self, rec: RecordedRequest) -> dict[str, Any]:
        parts = _multipart(rec)
        if "file" not in parts:
            raise _invalid("file: Field required")
        for name in parts:
            if name not in ("file", "expires_in_seconds"):
                raise _invalid(f"{name}: Extra inputs are not permitted")
        filename, content_type, data = parts["file"]
        expires_at = None
        if "expires_in_seconds" in parts:
            try:
                seconds = int(parts["expires_in_seconds"][2].decode())
            except ValueError:
                raise _invalid("expires_in_seconds: Input should be a valid integer") from None
            if not MIN_EXPIRY <= seconds <= MAX_EXPIRY:
                raise _invalid(f"expires_in_seconds: Input should be between {MIN_EXPIRY} and "
                               f"{MAX_EXPIRY}")
            expires_at = time.time() + seconds
        name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        mime = content_type
        if mime in ("application/octet-stream", "text/plain") and name:
            mime = mimetypes.guess_type(name)[0] or mime
        if not name:
            name = "unnamed" + (mimetypes.guess_extension(mime) or "")
        with self._lock:
            used = sum(len(f.data) for f in self.files.values() if not f.deleted)
            quota = self.storage_quota_bytes
            if quota is not None and used + len(data) > quota:
                raise _invalid("Your organization's file storage quota is exhausted. Delete "
                               "files to free up space, then retry the upload.",
                               "storage_quota_exceeded")
            stored = StoredFile(id=new_file_id(), filename=name, mime_type=mime, data=data,
                                downloadable=False, expires_at=expires_at)
            self.files[stored.id] = stored
        return stored.metadata()

    def _list_files(self, query: dict[str, str]) -> dict[str, Any]:
        ids_raw = query.get("ids[]") or query.get("ids")
        with self._lock:
            newest_first = [f for f in reversed(list(self.files.values())) if not f.deleted]
        if ids_raw is not None:
            if "page" in query or "limit" in query:
                raise _invalid("ids: `ids` is mutually exclusive with `page` and `limit`")
            wanted = list(dict.fromkeys(i for i in ids_raw.split(",") if i))
            if len(wanted) > 100:
                raise _invalid("ids: List should have at most 100 items after validation")
            page = [f for f in newest_first if f.id in wanted]
            return {"data": [f.metadata() for f in page], "next_page": None,
                    "has_more": False}
        try:
            limit = int(query.get("limit", "20"))
        except ValueError:
            raise _invalid("limit: Input should be a valid integer") from None
        if not 1 <= limit <= 1000:
            raise _invalid("limit: Input should be between 1 and 1000")
        start = _page_offset(query["page"]) if query.get("page") else 0
        page = newest_first[start:start + limit]
        more = start + limit < len(newest_first)
        return {"data": [f.metadata() for f in page],
                "next_page": _page_token(start + limit) if more else None,
                "has_more": more,
                "first_id": page[0].id if page else None,
                "last_id": page[-1].id if page else None}

    # -- test helpers ------------------------------------------------------------------------
    def expire_file(self, file_id: str) -> None:
        """Make a stored file expire now (its content answers 404 ``file_expired``)."""
        with self._lock:
            self.files[file_id].expires_at = time.time() - 1
