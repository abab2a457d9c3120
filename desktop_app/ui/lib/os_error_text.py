"""An operating system error in the user's language.

Python gives an ``OSError`` the C library's text in English whatever the interface language
("No space left on device"). Every message that says why a file could not be read or written
words the error here instead: by its errno for the common cases, through Qt's translators,
and otherwise in the system's own words. The English texts are the C library's, so English
messages read as they always did.
"""

from __future__ import annotations

import errno
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop_app.core.os_error_reason import OsErrorReason


# errno name -> its words (looked up by name: not every system defines every errno).
_WORDS: dict[str, Callable[[], str]] = {
    "ENOENT": lambda: QCoreApplication.translate("OsErrorText", "No such file or directory"),
    "EACCES": lambda: QCoreApplication.translate("OsErrorText", "Permission denied"),
    "EPERM": lambda: QCoreApplication.translate("OsErrorText", "Operation not permitted"),
    "ENOSPC": lambda: QCoreApplication.translate("OsErrorText", "No space left on device"),
    "EDQUOT": lambda: QCoreApplication.translate("OsErrorText", "Disk quota exceeded"),
    "EROFS": lambda: QCoreApplication.translate("OsErrorText", "Read-only file system"),
    "EISDIR": lambda: QCoreApplication.translate("OsErrorText", "Is a directory"),
    "ENOTDIR": lambda: QCoreApplication.translate("OsErrorText", "Not a directory"),
    "ENAMETOOLONG": lambda: QCoreApplication.translate("OsErrorText", "File name too long"),
    "EMFILE": lambda: QCoreApplication.translate("OsErrorText", "Too many open files"),
    "ENFILE": lambda: QCoreApplication.translate("OsErrorText",
                                                 "Too many open files in system"),
    "EIO": lambda: QCoreApplication.translate("OsErrorText", "Input/output error"),
    "EEXIST": lambda: QCoreApplication.translate("OsErrorText", "File exists"),
    "EBUSY": lambda: QCoreApplication.translate("OsErrorText", "Device or resource busy"),
    "ETXTBSY": lambda: QCoreApplication.translate("OsErrorText", "Text file busy"),
    "ENOTEMPTY": lambda: QCoreApplication.translate("OsErrorText", "Directory not empty"),
    "EFBIG": lambda: QCoreApplication.translate("OsErrorText", "File too large"),
    "ELOOP": lambda: QCoreApplication.translate("OsErrorText",
                                                "Too many levels of symbolic links"),
}
_BY_ERRNO: dict[int, Callable[[], str]] = {
    getattr(errno, name): words for name, words in _WORDS.items() if hasattr(errno, name)}


def os_error_text(error: OSError | OsErrorReason) -> str:
    """Why the system refused, in the interface language: the words for the error's errno,
    else the system's own text (else the error's message, else its type's name)."""
    words = _BY_ERRNO.get(error.errno) if error.errno is not None else None
    if words is not None:
        return words()
    return str(error if isinstance(error, OsErrorReason) else OsErrorReason.of(error))
