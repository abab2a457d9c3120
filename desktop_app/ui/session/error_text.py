"""A failed request's sentence in the user's language.

``api/errors.py`` keeps each failure as a reason and its facts (with the English sentence for
files and logs); this says the same sentence through Qt's translators, with counts grouped the
locale's way. A sentence of no known reason (an old history file, a sentence made elsewhere)
is shown as it was stored.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.api.errors import ERROR_CONTEXT, word_error
from desktop_app.core.conversation import ErrorInfo
from desktop_app.ui.lib.numbers import grouped


def _translate(text: str) -> str:
    return QCoreApplication.translate(ERROR_CONTEXT, text)


def error_sentence(info: ErrorInfo) -> str:
    """What went wrong, in the interface language."""
    if not info.reason:
        return info.message
    return word_error(info.reason, info.facts, _translate, grouped) or info.message
