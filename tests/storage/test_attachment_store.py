"""The attachments folder: one file per content hash, written atomically, cleaned up on request."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop_app.storage import attachment_store
from desktop_app.storage.attachment_store import AttachmentStore


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def test_put_stores_the_file_under_its_hash(store: AttachmentStore) -> None:
    data = b"\x89PNG pretend"
    path = store.put(data, sha(data), ".png")
    assert path == store.directory / sha(data)[:2] / f"{sha(data)}.png"
    assert path.read_bytes() == data
    assert store.path_for(sha(data)) == path
    assert store.load(sha(data)) == data
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_second_put_of_the_same_content_writes_nothing(
    store: AttachmentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"same picture"
    first = store.put(data, sha(data), ".jpg")

    def no_write(path: Path, data: bytes) -> None:
        raise AssertionError(f"{path} written again")

    monkeypatch.setattr(attachment_store, "write_bytes_atomic", no_write)
    assert store.put(data, sha(data), ".jpg") == first
    assert store.put(data, sha(data), ".jpeg") == first  # the earlier copy serves


def test_put_without_a_suffix(store: AttachmentStore) -> None:
    data = b"raw"
    assert store.put(data, sha(data), "").name == sha(data)
    assert store.load(sha(data)) == data


def test_put_refuses_data_that_does_not_match_its_hash(store: AttachmentStore) -> None:
    with pytest.raises(ValueError, match="does not match"):
        store.put(b"one thing", sha(b"another"), ".png")
    assert not store.directory.exists()


def test_a_malformed_hash_is_refused_everywhere(store: AttachmentStore) -> None:
    for bad in ("", "abc", "A" * 64, "g" * 64, "../" + "a" * 61, "a" * 63 + "/", "a" * 65,
                "a" * 32 + "\\" + "a" * 31, " " + "a" * 63):
        with pytest.raises(ValueError, match="invalid attachment sha256"):
            store.put(b"x", bad, ".png")
        with pytest.raises(ValueError, match="invalid attachment sha256"):
            store.load(bad)
        with pytest.raises(ValueError, match="invalid attachment sha256"):
            store.path_for(bad)
    assert not store.directory.exists()


def test_a_bad_suffix_is_refused(store: AttachmentStore) -> None:
    for suffix in ("png", "./../x", "/png", ".p/g", ".png\n", "." + "a" * 17):
        with pytest.raises(ValueError, match="suffix"):
            store.put(b"x", sha(b"x"), suffix)
    assert not store.directory.exists()


def test_loading_a_missing_attachment_says_which(store: AttachmentStore) -> None:
    missing = sha(b"never stored")
    assert store.path_for(missing) is None
    with pytest.raises(FileNotFoundError, match=missing[:12]):
        store.load(missing)


def test_other_files_in_a_shard_are_not_taken_for_attachments(store: AttachmentStore) -> None:
    data = b"content"
    shard = store.directory / sha(data)[:2]
    shard.mkdir(parents=True)
    (shard / f".{sha(data)}.png.abc123.tmp").write_bytes(b"half")  # a write under way
    (shard / f"{sha(data)}.png.bak").write_bytes(b"backup")
    (shard / f"{sha(data)}.png").mkdir()
    assert store.path_for(sha(data)) is None


def test_remove_unreferenced_keeps_only_what_is_kept(store: AttachmentStore) -> None:
    kept, dropped, also_dropped = b"kept", b"dropped", b"also dropped"
    for data, suffix in ((kept, ".png"), (dropped, ".jpg"), (also_dropped, ".pdf")):
        store.put(data, sha(data), suffix)
    stranger = store.directory / "notes.txt"
    stranger.write_text("not an attachment")
    temporary = store.directory / sha(kept)[:2] / f".{sha(dropped)}.jpg.x.tmp"
    temporary.write_bytes(b"a write under way")

    assert store.remove_unreferenced({sha(kept)}) == 2
    assert store.load(sha(kept)) == kept
    assert store.path_for(sha(dropped)) is None
    assert store.path_for(sha(also_dropped)) is None
    assert stranger.exists() and temporary.exists()
    shards = {p.name for p in store.directory.iterdir() if p.is_dir()}
    assert shards == {sha(kept)[:2]}  # emptied shards are removed
    assert store.remove_unreferenced({sha(kept)}) == 0


def test_remove_unreferenced_with_nothing_kept_empties_the_store(store: AttachmentStore) -> None:
    for n in range(5):
        data = f"file {n}".encode()
        store.put(data, sha(data), ".png")
    assert store.remove_unreferenced(set()) == 5
    assert list(store.directory.iterdir()) == []


def test_remove_unreferenced_ignores_a_file_in_the_wrong_shard(store: AttachmentStore) -> None:
    data = b"misplaced"
    wrong = "00" if not sha(data).startswith("00") else "01"
    (store.directory / wrong).mkdir(parents=True)
    misplaced = store.directory / wrong / f"{sha(data)}.png"
    misplaced.write_bytes(data)
    assert store.remove_unreferenced(set()) == 0
    assert misplaced.exists()


def test_a_missing_folder_is_an_empty_store(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path / "nowhere")
    assert store.path_for(sha(b"x")) is None
    assert store.remove_unreferenced(set()) == 0
    assert not store.directory.exists()
