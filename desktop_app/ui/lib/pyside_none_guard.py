"""Keeps Python's ``None`` alive under a PySide6 that does not count its references.

PySide6 6.12 returns ``None`` from methods that return nothing (``update()``, ``setText()``,
``setFocusPolicy()``, ...) without taking a reference for it, as Python 3.12 allows (``None``
is immortal there). On Python 3.11 every such call therefore uses up one of ``None``'s
references for good. Measured in Cairn: a session starts with about 180,000; a 50,000-token
reply uses 1,300-5,600 of them, a 10 MB reply shown up to its display limit about 23,000,
and "Show all" on it ten times that. When they run out Python aborts ("Fatal Python error:
none_dealloc: deallocating None"), in the middle of a session or when it exits.

``install()`` checks whether the running PySide6 does this and, if so, gives ``None`` a
reference count that no session can use up (2**48), which is what Python 3.12 does for it.
With a fixed PySide6, or on Python 3.12 or later, it does nothing.
"""

from __future__ import annotations

import sys

_RESERVE = 1 << 48  # a million calls a second would need nine years to use this up
_PROBE_CALLS = 64


def takes_none_references() -> bool:
    """Whether calling a PySide6 method that returns nothing uses up a reference to None."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - _PROBE_CALLS // 2


def install() -> bool:
    """Give None references to spare if this PySide6 takes them; True if it did."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not takes_none_references():
        return False
    import ctypes

    # ob_refcnt is the first field of every object in CPython 3.11's (release) layout.
    ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
    return True
