"""The Files API through the real SDK against the fake over HTTP (api/files_api.py): every
call, and each failure as the reason the window words."""

from __future__ import annotations

import socket

import anthropic
import pytest
import pytest_asyncio

from desktop_app.api.files_api import FilesApi, FilesError
from tests.fake_api import FakeAnthropicServer
from tests.fake_api.stores import StoredFile as FakeFile

pytestmark = pytest.mark.asyncio
KEY = "sk-ant-test-key"


@pytest_asyncio.fixture
async def api(fake_api):
    """The Files API on the fake, its client closed after the test."""
    client = anthropic.AsyncAnthropic(api_key=KEY, base_url=fake_api.base_url, max_retries=0)
    yield FilesApi(client)
    await client.close()


def produced(server: FakeAnthropicServer, file_id: str, data: bytes) -> None:
    server.files[file_id] = FakeFile(id=file_id, filename="plot.png", mime_type="image/png",
                                     data=data, downloadable=True)


async def test_an_upload_is_stored_listed_and_deleted(fake_api, api):
    stored = await api.upload("sales.csv", b"a,b\n1,2\n", "text/csv")
    assert (stored.name, stored.size, stored.downloadable) == ("sales.csv", 8, False)
    assert fake_api.files[stored.id].data == b"a,b\n1,2\n"
    assert (await api.metadata(stored.id)).name == "sales.csv"
    produced(fake_api, "file_made", b"png")
    listed = await api.existing([stored.id, "file_made", "file_unknown"])
    assert [f.id for f in listed] == [stored.id, "file_made"]
    await api.delete(stored.id)
    await api.delete(stored.id)  # already gone counts as deleted
    assert fake_api.files[stored.id].deleted
    assert [f.id for f in await api.existing([stored.id, "file_made"])] == ["file_made"]
    paths = [r.path for r in fake_api.requests]
    assert all(not r.headers.get("anthropic-beta") for r in fake_api.requests
               if r.path.startswith("/v1/files")), paths


async def test_only_produced_files_download_and_failures_have_reasons(fake_api, api):
    produced(fake_api, "file_made", b"\x89PNG data")
    assert await api.download("file_made") == b"\x89PNG data"
    upload = await api.upload("mine.txt", b"x", "text/plain")
    with pytest.raises(FilesError) as refused:
        await api.download(upload.id)
    assert refused.value.reason == "not_downloadable"
    fake_api.expire_file("file_made")
    with pytest.raises(FilesError) as expired:
        await api.download("file_made")
    assert expired.value.reason == "expired"
    with pytest.raises(FilesError) as missing:
        await api.metadata("file_nothing")
    assert missing.value.reason == "not_found"


async def test_a_full_storage_and_a_huge_file_are_said(fake_api, api, monkeypatch):
    fake_api.storage_quota_bytes = 10
    with pytest.raises(FilesError) as full:
        await api.upload("big.bin", b"x" * 11, "application/octet-stream")
    assert full.value.reason == "quota"
    monkeypatch.setattr("desktop_app.api.files_api.UPLOAD_LIMIT", 4)
    with pytest.raises(FilesError) as large:
        await api.upload("big.bin", b"x" * 5, "application/octet-stream")
    assert large.value.reason == "too_large"


async def test_no_connection_is_offline():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = anthropic.AsyncAnthropic(api_key=KEY, base_url=f"http://127.0.0.1:{port}",
                                      max_retries=0)
    with pytest.raises(FilesError) as offline:
        await FilesApi(client).delete("file_a")
    await client.close()
    assert offline.value.reason == "offline"
