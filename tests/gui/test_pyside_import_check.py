"""Importing modules after PySide6 stays cheap: PySide6's check of each new module (does it
use PySide6?) gives the same answers without keeping the module's source in memory."""

from __future__ import annotations

import importlib
import linecache
import sys

import PySide6.QtCore  # noqa: F401  (the check exists once PySide6 is imported)

from desktop_app.ui.runtime import pyside_import_check


def test_the_check_reads_the_file_and_caches_no_lines(tmp_path, monkeypatch):
    assert pyside_import_check.install()
    feature = sys.modules["shibokensupport.feature"]
    (tmp_path / "cairn_probe_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n")
    (tmp_path / "cairn_probe_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = {}
    for name in ("cairn_probe_qt", "cairn_probe_plain"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        modules[name] = importlib.import_module(name)
    # What PySide6 calls for every module imported after it:
    assert feature._mod_uses_pyside(modules["cairn_probe_qt"]) is True
    assert feature._mod_uses_pyside(modules["cairn_probe_plain"]) is False
    assert feature._mod_uses_pyside(sys) is False  # built-in: answered as PySide6 does
    assert not [f for f in linecache.cache if "cairn_probe" in str(f)]
    assert pyside_import_check.install()  # a second call changes nothing
    assert feature._mod_uses_pyside.reads_bytes
