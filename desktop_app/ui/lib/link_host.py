"""The host Qt opens for a web address, so what Cairn shows of a link can be checked against
where ``QDesktopServices.openUrl`` would really go."""

from __future__ import annotations

from PySide6.QtCore import QUrl


def opened_host(url: str) -> str | None:
    """The host Qt, and so ``QDesktopServices.openUrl``, makes of a web address (punycode,
    an IPv4 address as dotted decimal), to check against what Cairn shows; None for other
    schemes and for addresses Qt finds invalid."""
    qurl = QUrl(url)
    if not qurl.isValid() or qurl.scheme().lower() not in ("http", "https"):
        return None
    return qurl.host(QUrl.ComponentFormattingOption.FullyEncoded)
