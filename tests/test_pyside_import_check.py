"""Importing modules after PySide6 stays cheap: the source is not kept in memory, and PySide6
still learns exactly which modules use it."""

from __future__ import annotations

import linecache
import sys

import PySide6.QtCore  # noqa: F401  (the check exists once PySide6 is imported)

from desktop_app.ui import pyside_import_check


def test_new_imports_are_checked_from_the_file_without_caching_its_lines(tmp_path, monkeypatch):
    assert pyside_import_check.install()
    feature = sys.modules["shibokensupport.feature"]
    (tmp_path / "cairn_probe_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n")
    (tmp_path / "cairn_probe_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("cairn_probe_qt", "cairn_probe_plain"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        __import__(name)  # an import statement, as PySide6 watches them
    assert feature.pyside_feature_dict["cairn_probe_qt"] == 0  # uses PySide6
    assert feature.pyside_feature_dict["cairn_probe_plain"] == -1  # ignored by __feature__
    assert not [f for f in linecache.cache if "cairn_probe" in str(f)]
    assert pyside_import_check.install()  # a second call changes nothing
    assert feature._mod_uses_pyside.reads_bytes
