"""The local copies of produced files and the deletes still owed (storage/produced_files.py)."""

from __future__ import annotations

import pytest

from desktop_app.storage.produced_files import ProducedFileCache


def test_a_downloaded_file_is_kept_with_its_facts(tmp_path):
    cache = ProducedFileCache(tmp_path / "code_files")
    assert cache.get("file_a") is None
    kept = cache.put("file_a", "plot.png", "image/png", b"bytes")
    assert kept.path.read_bytes() == b"bytes"
    again = cache.get("file_a")
    assert again is not None and (again.name, again.media_type, again.size) == (
        "plot.png", "image/png", 5)
    cache.remove(["file_a", "file_missing", "../escape"])
    assert cache.get("file_a") is None
    assert list((tmp_path / "code_files").iterdir()) == []


@pytest.mark.parametrize("bad", ["../x", "file_a/../../b", "", "plot.png"])
def test_ids_that_could_leave_the_folder_are_refused(tmp_path, bad):
    cache = ProducedFileCache(tmp_path)
    with pytest.raises(ValueError):
        cache.put(bad, "x", "", b"")
    assert cache.get(bad) is None


def test_unreadable_facts_mean_not_kept(tmp_path):
    cache = ProducedFileCache(tmp_path)
    cache.put("file_a", "a", "", b"1")
    (tmp_path / "file_a.json").write_text("[1, 2]")
    assert cache.get("file_a") is None


def test_pending_deletes_survive_and_hostile_lists_are_cleaned(tmp_path):
    cache = ProducedFileCache(tmp_path)
    assert cache.pending_deletes() == []
    cache.set_pending_deletes(["file_b", "file_a", "file_b"])
    assert ProducedFileCache(tmp_path).pending_deletes() == ["file_a", "file_b"]
    (tmp_path / "pending_deletes.json").write_text('["file_c", 3, "../x", null]')
    assert cache.pending_deletes() == ["file_c"]
    (tmp_path / "pending_deletes.json").write_text("{not json")
    assert cache.pending_deletes() == []
    cache.set_pending_deletes([])
    assert not (tmp_path / "pending_deletes.json").exists()
