"""The Files API, as Cairn uses it for code execution: upload a user's file, read a file's
facts, download a file the code made, list and delete what is stored.

The SDK 2.17 ``client.files`` resource is the generally available one and sends no
``anthropic-beta`` header. Older API deployments wanted ``files-api-2025-04-14``: when a
request is refused in words about that beta, the same call is made once more through
``client.beta.files`` with the beta named, and every later call of this client goes there.

Every failure becomes a :class:`FilesError` with a ``reason`` the window words (the SDK's
``error_code`` decides it, never the message text): ``not_downloadable``, ``expired``,
``quota``, ``too_large``, ``not_found``, ``offline``, ``key``, ``refused``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a file is first handled, not at start-up
    import anthropic

FILES_BETA = "files-api-2025-04-14"
UPLOAD_LIMIT = 500 * 1024 * 1024  # the Files API's largest file (500 MB)
_LIST_PAGE = 100  # ``ids=`` takes at most 100 at once


@dataclass(frozen=True)
class StoredFile:
    """What the Files API says of one file.

    Attributes:
        id: ``file_…``.
        name: the file name it was stored under (the user's, or the one the code gave it).
        media_type: the type the API records (declared, not checked: never trusted for
            showing a file; pictures are judged by their bytes).
        size: in bytes.
        downloadable: only files made by a tool can be downloaded.
        created_at, expires_at: ISO 8601 times ("" when the API gave none).
    """

    id: str
    name: str
    media_type: str
    size: int
    downloadable: bool
    created_at: str = ""
    expires_at: str = ""


class FilesError(Exception):
    """A Files API call that did not work, and why.

    Attributes:
        reason: see the module docstring.
        detail: the API's or the SDK's own words (for the log and for ``refused``).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


_REASONS_BY_CODE = {
    "file_not_downloadable": "not_downloadable",
    "file_expired": "expired",
    "storage_quota_exceeded": "quota",
}


def _files_error(exc: Exception) -> FilesError:
    import anthropic

    if isinstance(exc, FilesError):
        return exc
    if isinstance(exc, anthropic.APIConnectionError):  # timeouts are connection errors too
        return FilesError("offline", str(exc))
    if isinstance(exc, anthropic.APIStatusError):
        code = getattr(exc, "error_code", None)
        detail = _message_of(exc)
        if code in _REASONS_BY_CODE:
            return FilesError(_REASONS_BY_CODE[code], detail)
        if exc.status_code == 413:
            return FilesError("too_large", detail)
        if exc.status_code == 404:
            return FilesError("not_found", detail)
        if exc.status_code in (401, 403):
            return FilesError("key", detail)
        return FilesError("refused", detail)
    return FilesError("refused", str(exc))


def _message_of(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
    return str(exc.message)


def _wants_beta(exc: Exception) -> bool:
    """Whether the API refused a call for want of the Files API beta header."""
    import anthropic

    if not isinstance(exc, anthropic.BadRequestError):
        return False
    words = _message_of(exc).lower()
    return FILES_BETA in words or ("anthropic-beta" in words and "files" in words)


def _time(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _stored(meta: Any) -> StoredFile:
    return StoredFile(
        id=str(meta.id), name=str(meta.filename), media_type=str(meta.mime_type),
        size=int(meta.size_bytes), downloadable=bool(meta.downloadable),
        created_at=_time(meta.created_at), expires_at=_time(meta.expires_at),
    )


class FilesApi:
    """The Files API through one SDK client (see the module docstring).

    Args:
        client: the SDK client of the current key and settings.
    """

    def __init__(self, client: anthropic.AsyncAnthropic) -> None:
        self.client = client
        self.use_beta = False

    async def _call(self, run: Callable[[Any, dict[str, Any]], Awaitable[Any]]) -> Any:
        """``run(client.files, {})``, or ``run(client.beta.files, {"betas": [...]})`` once
        the API wants the beta (see the module docstring); failures as FilesError."""
        try:
            if not self.use_beta:
                try:
                    return await run(self.client.files, {})
                except Exception as exc:
                    if not _wants_beta(exc):
                        raise
                    self.use_beta = True
            return await run(self.client.beta.files, {"betas": [FILES_BETA]})
        except Exception as exc:
            raise _files_error(exc) from exc

    async def upload(self, name: str, data: bytes, media_type: str) -> StoredFile:
        """Store a user's file for code execution.

        Raises:
            FilesError: ``too_large`` (over 500 MB, said before sending), ``quota``,
                ``offline``, ...
        """
        if len(data) > UPLOAD_LIMIT:
            raise FilesError("too_large", f"{len(data)} bytes")
        upload = (name, data, media_type or "application/octet-stream")
        meta = await self._call(lambda files, beta: files.upload(file=upload, **beta))
        return _stored(meta)

    async def metadata(self, file_id: str) -> StoredFile:
        """The facts of one file (``not_found`` once deleted or gone)."""
        return _stored(await self._call(
            lambda files, beta: files.retrieve_metadata(file_id, **beta)))

    async def download(self, file_id: str) -> bytes:
        """The bytes of a file the code made (``not_downloadable`` for uploads)."""
        response = await self._call(lambda files, beta: files.download(file_id, **beta))
        try:
            return bytes(await response.read())
        except Exception as exc:
            raise _files_error(exc) from exc

    async def delete(self, file_id: str) -> None:
        """Delete a file; one already gone counts as deleted."""
        try:
            await self._call(lambda files, beta: files.delete(file_id, **beta))
        except FilesError as exc:
            if exc.reason != "not_found":
                raise

    async def existing(self, file_ids: list[str]) -> list[StoredFile]:
        """The files of ``file_ids`` that are still stored (deleted or unknown ones are
        left out by the API), in the order asked."""
        found: dict[str, StoredFile] = {}
        for start in range(0, len(file_ids), _LIST_PAGE):
            ids = file_ids[start:start + _LIST_PAGE]
            await self._call(lambda files, beta: _collect(files.list(ids=ids, **beta), found))
        return [found[i] for i in file_ids if i in found]


async def _collect(pages: Any, found: dict[str, StoredFile]) -> None:
    """Every file of a listing (it pages by itself), by id."""
    async for meta in pages:
        found[str(meta.id)] = _stored(meta)
