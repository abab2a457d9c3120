"""Numbers as the user's locale writes them: "12,345" (or "12.345", "12 345"), "3.2k", "1M".

The core keeps counts as integers; everything shown goes through here, so grouping and the
decimal sign follow the locale. The POSIX "C" locale (a bare Linux session, the tests) has no
grouping at all, so it is shown as English (United States) instead of "12345".
"""

from __future__ import annotations

from PySide6.QtCore import QLocale


def display_locale() -> QLocale:
    """The locale numbers are written in: the default one, or US English for "C"."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def grouped(count: int) -> str:
    """An exact count with thousands separators: ``12,345``."""
    return display_locale().toString(count)


def short_count(count: int) -> str:
    """A count at a glance, as ``core.cost.format_tokens`` rounds it: ``950``, ``3.2k``,
    ``12k``, ``1.2M`` (one decimal, left out when it is zero), in the locale's digits."""
    locale = display_locale()
    if count < 1000:
        return locale.toString(count)
    value, unit = (count / 1000, "k") if round(count / 1000, 1) < 1000 else (count / 1e6, "M")
    if round(value, 1) == round(value):
        return locale.toString(round(value)) + unit
    return locale.toString(value, "f", 1) + unit


def size_text(size: int) -> str:
    """A file size as people read it ("812 B", "14 KB", "2.3 MB")."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
