"""Fixtures the GUI tests share beyond the top-level conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from desktop_app.ui.runtime.translations import install_translators, remove_translators


@pytest.fixture
def chinese() -> Iterator[None]:
    """Simplified Chinese installed for one test, and English (and the locale) put back."""
    locale = QLocale()
    assert install_translators("zh_CN") == "zh_CN"
    yield
    remove_translators()
    QLocale.setDefault(locale)
