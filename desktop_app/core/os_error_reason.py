"""Why the operating system refused a file operation, as data the UI can word.

Storage reports an ``OSError`` inside a problem (an import, an export, a history file that
could not be read) as an ``OsErrorReason``: its ``errno`` lets the UI say it in the user's
language (``ui.lib.os_error_text``); its text is the system's own words, which Cairn has
always shown and still writes to logs.
"""

from __future__ import annotations

from typing import Any


class OsErrorReason(str):
    """An ``OSError`` reduced to what a message needs: ``errno`` (None: the error gave none)
    and, as its text, the system's description ("No space left on device").

    It is a ``str`` so that a problem holding it still reads as the sentence it always was.
    """

    errno: int | None

    def __new__(cls, text: str, errno: int | None = None) -> OsErrorReason:
        self = super().__new__(cls, text)
        self.errno = errno
        return self

    @classmethod
    def of(cls, error: OSError) -> OsErrorReason:
        """The reason of ``error``: its errno, and its system text (else its message, else
        the exception's name; the file name is left out, messages name the file themselves)."""
        text = error.strerror or (str(error) if error.args else "") or type(error).__name__
        return cls(text, error.errno)

    def __reduce__(self) -> tuple[Any, ...]:
        return OsErrorReason, (str(self), self.errno)  # copy and pickle keep the errno

    def __repr__(self) -> str:
        return f"OsErrorReason({str(self)!r}, errno={self.errno!r})"
