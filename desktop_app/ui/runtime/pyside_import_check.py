"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6 checks each newly imported module for the text "PySide6" (PYSIDE-2029, for its
``__feature__`` switches) with ``inspect.getsource``, which goes through ``linecache``: every
module's source stays in memory line by line (12 MB for the SDK alone) and imports take
nearly twice as long (the SDK: 2.7 s instead of 1.5 s). Reading the file's bytes answers the
same question without keeping them. Cairn never uses ``__feature__``; the answer is kept
exact anyway, so a library that does still works.
"""

from __future__ import annotations

import sys
from types import ModuleType

_FEATURE_MODULES = ("shibokensupport.feature", "PySide6.support.feature", "__feature__")


def install() -> bool:
    """Replace the check (once PySide6 is imported); False if this PySide6 has none."""
    installed = False
    for name in _FEATURE_MODULES:
        feature = sys.modules.get(name)
        original = getattr(feature, "_mod_uses_pyside", None)
        if feature is None or original is None:
            continue
        if not getattr(original, "reads_bytes", False):
            feature._mod_uses_pyside = _reading_bytes(original)  # type: ignore[attr-defined]
        installed = True
    return installed


def _reading_bytes(original):  # type: ignore[no-untyped-def]
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))  # built-in, compiled or source-less: as PySide does
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    return uses_pyside
